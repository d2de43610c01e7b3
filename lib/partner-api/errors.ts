/**
 * The error the partner API client throws: an AppError (lib/errors.ts) that also says which
 * operation failed, whether a retry is safe, and whether a failed write may have happened anyway.
 * No token or client secret ever ends up in a message.
 */
import { AppError } from "@/lib/errors";

export type PartnerErrorCode =
  | "credentials_rejected"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "bad_request"
  | "rate_limited"
  | "upstream_unavailable"
  | "timeout"
  | "network"
  | "invalid_response";

export interface PartnerApiErrorInit {
  /** Upstream HTTP status; 0 when there was no answer (network, timeout) or no request (bad input). */
  status: number;
  operation: string;
  code: PartnerErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  /** Only for writes whose answer was lost; see PartnerApiError.maybeApplied. */
  maybeApplied?: boolean;
  message: string;
}

/** What the browser gets: the caller's own mistakes stay 4xx, upstream trouble is 502/503/504, never 500. */
const HTTP_STATUS: Record<PartnerErrorCode, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  // The dashboard's own credentials or token failing is a gateway problem, not the user's 401.
  credentials_rejected: 502,
  unauthorized: 502,
  invalid_response: 502,
  network: 502,
  upstream_unavailable: 503,
  timeout: 504,
};

const GENERIC_MESSAGE: Record<PartnerErrorCode, string> = {
  credentials_rejected: "The partner API rejected the client credentials (ZF_CLIENT_ID / ZF_CLIENT_SECRET).",
  unauthorized: "The partner API refused the access token even after a refresh.",
  forbidden: "The partner API does not allow this for the configured partner account.",
  not_found: "The partner API does not know this record; it may have been deleted.",
  conflict: "The partner API reported a conflict with the current state.",
  bad_request: "The partner API rejected the request as invalid.",
  rate_limited: "The partner API is limiting requests. Try again in a moment.",
  upstream_unavailable: "The partner API is unavailable at the moment. Try again later.",
  timeout: "The partner API did not answer in time.",
  network: "The partner API could not be reached.",
  invalid_response: "The partner API sent an answer the dashboard does not understand.",
};

/** Said when a failed write may still have been carried out upstream. */
export const MAYBE_APPLIED = " The change may have been applied anyway: check before trying again.";

/**
 * `message` carries the upstream's own words (for the log and the audit row); the browser only
 * ever gets `publicMessage`, the generic sentence for the code: no upstream body reaches it.
 */
export class PartnerApiError extends AppError {
  static override readonly kind: string = "PartnerApiError";
  /** Upstream HTTP status; 0 when there was no answer (network, timeout) or no request (bad input). */
  readonly status: number;
  readonly operation: string;
  override readonly code: PartnerErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** A write whose answer was lost (timeout, connection cut after sending): it may have been carried out. */
  readonly maybeApplied: boolean;

  constructor(init: PartnerApiErrorInit, options?: ErrorOptions) {
    const upstream4xx = init.code === "bad_request" && init.status >= 400 && init.status < 500;
    const maybeApplied = init.maybeApplied ?? false;
    super(
      upstream4xx ? init.status : HTTP_STATUS[init.code],
      init.code,
      init.message,
      {
        operation: init.operation,
        retryable: init.retryable,
        ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
        ...(maybeApplied ? { maybeApplied: true } : {}),
      },
      options,
    );
    this.status = init.status;
    this.operation = init.operation;
    this.code = init.code;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.maybeApplied = maybeApplied;
  }

  override get publicMessage(): string {
    return GENERIC_MESSAGE[this.code] + (this.maybeApplied ? MAYBE_APPLIED : "");
  }
}

export function codeForStatus(status: number): PartnerErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "upstream_unavailable";
  if (status >= 400) return "bad_request";
  return "invalid_response";
}

export function genericMessage(code: PartnerErrorCode): string {
  return GENERIC_MESSAGE[code];
}

const MAX_MESSAGE_LENGTH = 300;

/** The upstream `{"message"}` when the body is JSON with one; undefined for HTML, empty or other bodies. */
export function upstreamMessage(bodyText: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || !("message" in parsed)) return undefined;
  const message = parsed.message;
  if (typeof message !== "string" || message.trim() === "") return undefined;
  return redact(message.trim(), secrets).slice(0, MAX_MESSAGE_LENGTH);
}

/** An upstream that echoes the token or secret back must not leak it into our logs or the browser. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}
