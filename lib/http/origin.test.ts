import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertSameOrigin, isSameOrigin, isStateChanging, ownOrigins } from "@/lib/http/origin";

const URL_ = "http://dash.test/api/x";

function request(method: string, headers: Record<string, string> = {}): Request {
  return new Request(URL_, { method, headers });
}

const json = { origin: "http://dash.test", "content-type": "application/json" };

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the request to be refused");
}

function expectRefused(req: Request, contentType?: "json" | "form") {
  const error = refusal(() => assertSameOrigin(req, contentType));
  expect(error.httpStatus).toBe(403);
  expect(error.code).toBe("cross_site_refused");
}

let savedNextAuthUrl: string | undefined;
beforeEach(() => {
  savedNextAuthUrl = process.env.NEXTAUTH_URL;
  delete process.env.NEXTAUTH_URL;
});
afterEach(() => {
  if (savedNextAuthUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = savedNextAuthUrl;
});

describe("isStateChanging", () => {
  it("treats GET, HEAD and OPTIONS as safe, everything else as a change", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) expect(isStateChanging(m)).toBe(false);
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "post"]) expect(isStateChanging(m)).toBe(true);
  });
});

describe("assertSameOrigin", () => {
  it("lets a GET through from anywhere, with any content type", () => {
    expect(() => assertSameOrigin(request("GET", { origin: "https://evil.example", "content-type": "text/plain" }))).not.toThrow();
    expect(() => assertSameOrigin(request("GET"))).not.toThrow();
    expect(() => assertSameOrigin(request("HEAD", { origin: "null" }))).not.toThrow();
  });

  it("accepts a JSON POST from the dashboard's own origin", () => {
    expect(() => assertSameOrigin(request("POST", json))).not.toThrow();
    expect(() => assertSameOrigin(request("POST", { ...json, "content-type": "application/json; charset=utf-8" }))).not.toThrow();
    expect(() => assertSameOrigin(request("PATCH", { ...json, "content-type": "Application/JSON" }))).not.toThrow();
    expect(() => assertSameOrigin(request("PUT", json))).not.toThrow();
  });

  it.each([
    ["another site", "https://evil.example"],
    ["another port of the same host", "http://dash.test:3001"],
    ["another scheme", "https://dash.test"],
    ["a subdomain", "http://sub.dash.test"],
    ["`null`", "null"],
  ])("refuses a POST from %s", (_name, origin) => {
    expectRefused(request("POST", { ...json, origin }));
  });

  it("refuses a POST without Origin unless Sec-Fetch-Site says same-origin", () => {
    expectRefused(request("POST", { "content-type": "application/json" }));
    expectRefused(request("POST", { "content-type": "application/json", "sec-fetch-site": "same-site" }));
    expectRefused(request("POST", { "content-type": "application/json", "sec-fetch-site": "cross-site" }));
    expectRefused(request("POST", { "content-type": "application/json", "sec-fetch-site": "none" }));
    expect(() => assertSameOrigin(request("POST", { "content-type": "application/json", "sec-fetch-site": "same-origin" }))).not.toThrow();
  });

  it("trusts Origin over Sec-Fetch-Site when both are sent", () => {
    expectRefused(request("POST", { ...json, origin: "https://evil.example", "sec-fetch-site": "same-origin" }));
  });

  it.each([
    ["text/plain", "text/plain"],
    ["text/plain with a charset", "text/plain;charset=UTF-8"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["a form", "application/x-www-form-urlencoded"],
    ["a JSON look-alike", "application/json-patch+json"],
  ])("refuses a same-origin POST sent as %s", (_name, type) => {
    expectRefused(request("POST", { ...json, "content-type": type }));
  });

  it("refuses a same-origin POST without a content type", () => {
    expectRefused(request("POST", { origin: "http://dash.test" }));
  });

  it("accepts NEXTAUTH_URL's origin as the dashboard's own", () => {
    const fromPublicUrl = () => request("POST", { ...json, origin: "https://dashboard.example.com" });
    expectRefused(fromPublicUrl());
    process.env.NEXTAUTH_URL = "https://dashboard.example.com/some/base/path";
    expect(() => assertSameOrigin(fromPublicUrl())).not.toThrow();
    // the address the request came to stays accepted, and others stay refused
    expect(() => assertSameOrigin(request("POST", json))).not.toThrow();
    expectRefused(request("POST", { ...json, origin: "https://evil.example" }));
    expect(ownOrigins(fromPublicUrl())).toEqual(new Set(["http://dash.test", "https://dashboard.example.com"]));
  });

  it("ignores a NEXTAUTH_URL that is no URL", () => {
    process.env.NEXTAUTH_URL = "not a url";
    expect(() => assertSameOrigin(request("POST", json))).not.toThrow();
    expect(ownOrigins(request("POST"))).toEqual(new Set(["http://dash.test"]));
  });

  it("accepts a same-origin DELETE without a body or content type", () => {
    expect(() => assertSameOrigin(request("DELETE", { origin: "http://dash.test" }))).not.toThrow();
    expect(() => assertSameOrigin(request("DELETE", json))).not.toThrow();
  });

  it("still checks the origin of a DELETE", () => {
    expectRefused(request("DELETE", { origin: "https://evil.example" }));
    expectRefused(request("DELETE"));
  });

  it("refuses a DELETE whose body is not JSON", () => {
    expectRefused(request("DELETE", { origin: "http://dash.test", "content-type": "text/plain" }));
    expectRefused(request("DELETE", { origin: "http://dash.test", "content-length": "12" }));
  });

  it("requires a urlencoded body in the form variant", () => {
    const form = { origin: "http://dash.test", "content-type": "application/x-www-form-urlencoded" };
    expect(() => assertSameOrigin(request("POST", form), "form")).not.toThrow();
    expect(() => assertSameOrigin(request("POST", { ...form, "content-type": "application/x-www-form-urlencoded;charset=UTF-8" }), "form")).not.toThrow();
    expectRefused(request("POST", json), "form");
    expectRefused(request("POST", { ...form, "content-type": "text/plain" }), "form");
    expectRefused(request("POST", { ...form, "content-type": "multipart/form-data; boundary=x" }), "form");
    expectRefused(request("POST", { origin: "http://dash.test" }), "form");
    // the origin is checked in the form variant too
    expectRefused(request("POST", { ...form, origin: "https://evil.example" }), "form");
    expectRefused(request("POST", { ...form, origin: "null" }), "form");
  });

  it("says what went wrong without leaking the request", () => {
    const error = refusal(() => assertSameOrigin(request("POST", { ...json, "content-type": "text/plain" })));
    expect(error.message).toContain("application/json");
  });
});

describe("isSameOrigin", () => {
  it("compares the Origin header with the request's own origin", () => {
    expect(isSameOrigin(request("POST", { origin: "http://dash.test" }))).toBe(true);
    expect(isSameOrigin(request("POST", { origin: "http://evil.test" }))).toBe(false);
    expect(isSameOrigin(request("POST", { "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOrigin(request("POST"))).toBe(false);
  });
});
