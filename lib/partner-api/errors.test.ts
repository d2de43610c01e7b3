import { describe, expect, it } from "vitest";
import { PartnerApiError, codeForStatus, upstreamMessage, type PartnerErrorCode } from "./errors";

const CODES: PartnerErrorCode[] = [
  "credentials_rejected",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "bad_request",
  "rate_limited",
  "upstream_unavailable",
  "timeout",
  "network",
  "invalid_response",
];

const error = (code: PartnerErrorCode, status = 0) => new PartnerApiError({ status, operation: "getSpaces", code, retryable: false, message: "m" });

describe("PartnerApiError.toHttpError", () => {
  it("never answers 500, whatever the code or upstream status", () => {
    for (const code of CODES) {
      for (const status of [0, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504]) {
        const http = error(code, status).toHttpError();
        expect(http.status, `${code}/${status}`).not.toBe(500);
        expect(http.status).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it("passes the caller's mistakes through as 4xx and upstream trouble as 502/503/504", () => {
    const mapped = Object.fromEntries(CODES.map((code) => [code, error(code, 0).toHttpError().status]));
    expect(mapped).toEqual({
      bad_request: 400,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      rate_limited: 429,
      credentials_rejected: 502,
      unauthorized: 502,
      invalid_response: 502,
      network: 502,
      upstream_unavailable: 503,
      timeout: 504,
    });
    expect(error("bad_request", 422).toHttpError().status).toBe(422);
  });

  it("answers { error: { code, message, operation, retryable } }", () => {
    const e = new PartnerApiError({ status: 429, operation: "getSpaces", code: "rate_limited", retryable: true, retryAfterMs: 2000, message: "slow down" });
    expect(e.toHttpError().body).toEqual({
      error: { code: "rate_limited", message: "slow down", operation: "getSpaces", retryable: true, retryAfterMs: 2000 },
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PartnerApiError");
  });
});

describe("upstream error bodies", () => {
  it("classifies statuses", () => {
    expect([401, 403, 404, 409, 429, 400, 418, 500, 503].map(codeForStatus)).toEqual([
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "rate_limited",
      "bad_request",
      "bad_request",
      "upstream_unavailable",
      "upstream_unavailable",
    ]);
  });

  it("takes a JSON message and nothing else", () => {
    expect(upstreamMessage('{"message":" Space not found "}', [])).toBe("Space not found");
    for (const body of ["", "<html>502</html>", "null", "[]", '{"message":42}', '{"message":""}', '{"error":"x"}', "{broken"]) {
      expect(upstreamMessage(body, []), body).toBeUndefined();
    }
    expect(upstreamMessage(JSON.stringify({ message: "x".repeat(5000) }), [])).toHaveLength(300);
    expect(upstreamMessage('{"message":"bad secret s3cr3t"}', ["s3cr3t", ""])).toBe("bad secret [redacted]");
  });
});
