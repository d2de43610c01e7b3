import { expect, test } from "@playwright/test";
import { BASE_URL, DEMO_PASSWORD, DEMO_USERS } from "./env";
import { SAME_ORIGIN, signIn } from "./helpers";
import { SandboxApi } from "./sandbox";

/** Hostile requests against the running server (issue 10): CSRF, headers, the sign-in throttle. */

test("a write from another origin, without an origin, or as text/plain is refused with 403 and never executed", async ({ page, request }) => {
  await signIn(page, DEMO_USERS.staff);
  const tag = Date.now().toString(36);
  const name = `CSRF ${tag}`;
  const body = JSON.stringify({ name, addressLineOne: "Angriffsweg 1", postcode: "10115", city: "Berlin", category: "FLAT" });
  const attempts: Record<string, string>[] = [
    { origin: "http://evil.example", "content-type": "application/json" },
    // Another port on localhost is the same site, so SameSite=Lax lets its cookies through.
    { origin: "http://localhost:3999", "content-type": "application/json" },
    { origin: "null", "content-type": "application/json" },
    { "content-type": "application/json" },
    { ...SAME_ORIGIN, "content-type": "text/plain" },
  ];
  for (const [i, headers] of attempts.entries()) {
    // page.request carries the staff session cookie, as a forged request from a browser would.
    const res = await page.request.fetch("/api/spaces", { method: "POST", headers: { ...headers, "idempotency-key": `csrf-${i}-${tag}` }, data: body });
    expect(res.status(), JSON.stringify(headers)).toBe(403);
    expect((await res.json()).error.code).toBe("cross_site_refused");
  }
  expect((await new SandboxApi(request).spaces()).filter((s) => s.name === name)).toHaveLength(0);
  // The same request from the dashboard's own origin goes through: the refusal was about CSRF.
  const ok = await page.request.fetch("/api/spaces", { method: "POST", headers: { ...SAME_ORIGIN, "content-type": "application/json", "idempotency-key": `csrf-ok-${tag}` }, data: body });
  expect(ok.status()).toBe(200);
});

test("pages carry a nonce CSP and work under it; API answers carry no-store and a strict CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const login = await page.goto("/login");
  const csp = login!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp.split(";").find((d) => d.trim().startsWith("script-src"))).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(login!.headers()["permissions-policy"]).toContain("camera=()");
  await signIn(page, DEMO_USERS.staff);
  const spaces = await page.goto("/spaces");
  expect(spaces!.headers()["content-security-policy"]).not.toBe(csp); // a fresh nonce per request
  await expect(page.getByTestId("tree-status")).toBeVisible();
  expect(violations).toEqual([]);

  for (const url of ["/api/spaces/tree?parent=root", "/api/status", "/api/spaces/%", "/api/auth/session"]) {
    const res = await page.request.get(url);
    expect(res.headers()["cache-control"], url).toContain("no-store");
    expect(res.headers()["content-security-policy"], url).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers()["x-frame-options"], url).toBe("DENY");
  }
});

test("the sixth wrong password in a row is answered 429, the login page says when to try again, and the right one waits for the delay", async ({ page, playwright }) => {
  test.setTimeout(60_000);
  const email = DEMO_USERS.support;
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Passwort").fill(`wrong-${i}`);
    await page.getByLabel("E-Mail").fill(email);
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "E-Mail oder Passwort ist falsch" })).toBeVisible();
    // The form clears the password once the answer is in: the next attempt starts after it.
    await expect(page.getByLabel("Passwort")).toHaveValue("");
  }
  await page.getByLabel("Passwort").fill("wrong-6");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Zu viele fehlgeschlagene Anmeldungen" })).toBeVisible();
  await expect(page.getByLabel("E-Mail")).toHaveValue(email);

  // The right password is refused too while the lock holds, with Retry-After.
  const client = await playwright.request.newContext({ baseURL: BASE_URL });
  const { csrfToken } = await (await client.get("/api/auth/csrf")).json();
  const locked = await client.post("/api/auth/callback/credentials", { headers: SAME_ORIGIN, form: { csrfToken, email, password: DEMO_PASSWORD, json: "true" } });
  expect(locked.status()).toBe(429);
  const retryAfter = Number(locked.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect((await locked.json()).error.code).toBe("too_many_attempts");
  await client.dispose();

  await page.waitForTimeout(retryAfter * 1000 + 500);
  await signIn(page, email);
});

test("liveness and readiness answer without a session and without detail", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
  const health = await anonymous.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  const ready = await anonymous.get("/api/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ ok: true, database: "ok", migrations: "ok" });
  await anonymous.dispose();
});
