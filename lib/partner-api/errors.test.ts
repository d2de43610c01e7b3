import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
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

describe("PartnerApiError as an AppError", () => {
  it("never answers 500, whatever the code or upstream status", () => {
    for (const code of CODES) {
      for (const status of [0, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504]) {
        const { httpStatus } = error(code, status);
        expect(httpStatus, `${code}/${status}`).not.toBe(500);
        expect(httpStatus).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it("passes the caller's mistakes through as 4xx and upstream trouble as 502/503/504", () => {
    const mapped = Object.fromEntries(CODES.map((code) => [code, error(code, 0).httpStatus]));
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
    expect(error("bad_request", 422).httpStatus).toBe(422);
  });

  it("shows the browser the generic sentence for its code, never the upstream's words", () => {
    const e = new PartnerApiError({ status: 429, operation: "getSpaces", code: "rate_limited", retryable: true, retryAfterMs: 2000, message: "slow down, says upstream" });
    expect(e.publicMessage).toBe("The partner API is limiting requests. Try again in a moment.");
    expect(e.extra).toEqual({ operation: "getSpaces", retryable: true, retryAfterMs: 2000 });
    expect(e.message).toBe("slow down, says upstream");
    expect(e).toBeInstanceOf(AppError);
    expect(e.name).toBe("PartnerApiError");
  });

  it("says a write whose answer was lost may have been applied", () => {
    const e = new PartnerApiError({ status: 0, operation: "createSpace", code: "timeout", retryable: false, maybeApplied: true, message: "t" });
    expect(e.publicMessage).toMatch(/may have been applied/);
    expect(e.extra.maybeApplied).toBe(true);
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
