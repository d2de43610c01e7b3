import { describe, expect, it } from "vitest";
import { LoginInput, safeCallbackPath } from "./login-schema";

describe("LoginInput", () => {
  it("normalises the e-mail", () => {
    expect(LoginInput.parse({ email: "  Staff@Example.COM ", password: "x" }).email).toBe("staff@example.com");
  });

  it("names the field that is wrong", () => {
    const result = LoginInput.safeParse({ email: "nope", password: "" });
    expect(result.success).toBe(false);
    const fields = result.error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(fields).toEqual([
      ["email", "emailInvalid"],
      ["password", "passwordRequired"],
    ]);
  });
});

describe("safeCallbackPath", () => {
  it("keeps same-site paths", () => {
    expect(safeCallbackPath("/spaces?page=2")).toBe("/spaces?page=2");
  });

  it("percent-encodes what a Location header cannot carry", () => {
    expect(safeCallbackPath("/spaces/Müller straße")).toBe("/spaces/M%C3%BCller%20stra%C3%9Fe");
    expect(safeCallbackPath("/\u{3d705}x")).toMatch(/^\/[%0-9A-Fa-f]+x$/);
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", null, undefined])(
    "sends %s to the start page instead",
    (value) => {
      expect(safeCallbackPath(value)).toBe("/spaces");
    },
  );
});
