import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/csp";

/** The policy as directive name → source list. */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) {
      expect(out.has(name)).toBe(false);
      out.set(name, sources);
    }
  }
  return out;
}

describe("pageContentSecurityPolicy", () => {
  const nonce = "q1w2e3r4t5y6u7i8o9p0aA==";

  it("allows scripts only from the dashboard and with this request's nonce", () => {
    const csp = directives(pageContentSecurityPolicy(nonce));
    expect(csp.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  });

  it("puts the given nonce in script-src, not another one", () => {
    const a = directives(pageContentSecurityPolicy("AAAA")).get("script-src");
    const b = directives(pageContentSecurityPolicy("BBBB")).get("script-src");
    expect(a).toContain("'nonce-AAAA'");
    expect(a).not.toContain("'nonce-BBBB'");
    expect(b).toContain("'nonce-BBBB'");
  });

  it("never allows inline scripts, in production or development", () => {
    for (const dev of [false, true]) {
      const scriptSrc = directives(pageContentSecurityPolicy(nonce, { dev })).get("script-src") ?? [];
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(directives(pageContentSecurityPolicy(nonce, { dev })).has("script-src-elem")).toBe(false);
    }
  });

  it("allows 'unsafe-eval' only in development", () => {
    expect(directives(pageContentSecurityPolicy(nonce)).get("script-src")).not.toContain("'unsafe-eval'");
    expect(directives(pageContentSecurityPolicy(nonce, { dev: false })).get("script-src")).not.toContain("'unsafe-eval'");
    expect(directives(pageContentSecurityPolicy(nonce, { dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy(nonce, { dev: false })).not.toContain("unsafe-eval");
  });

  it("lets nothing frame the dashboard and blocks plugins and base changes", () => {
    const csp = directives(pageContentSecurityPolicy(nonce));
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
  });

  it("sends forms only to the dashboard, plus the given targets", () => {
    expect(directives(pageContentSecurityPolicy(nonce)).get("form-action")).toEqual(["'self'"]);
    const withSso = directives(pageContentSecurityPolicy(nonce, { formTargets: ["https://login.example.com", "https://idp.example.org"] }));
    expect(withSso.get("form-action")).toEqual(["'self'", "https://login.example.com", "https://idp.example.org"]);
    // the targets go nowhere else
    expect(withSso.get("connect-src")).toEqual(["'self'"]);
    expect(withSso.get("script-src")).not.toContain("https://login.example.com");
  });
});

describe("newNonce", () => {
  it("is 16 random bytes in base64", () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("differs every time", () => {
    const nonces = new Set(Array.from({ length: 200 }, () => newNonce()));
    expect(nonces.size).toBe(200);
  });

  it("uses all of its bytes (not a constant prefix)", () => {
    const bytes = Array.from({ length: 50 }, () => Buffer.from(newNonce(), "base64"));
    for (let i = 0; i < 16; i++) {
      expect(new Set(bytes.map((b) => b[i])).size).toBeGreaterThan(1);
    }
  });
});
