import "server-only";
import type { ZodType } from "zod";
import type { PartnerClientConfig } from "./config";
import { MAYBE_APPLIED, PartnerApiError, codeForStatus, genericMessage, upstreamMessage } from "./errors";

/** Every partner API call goes through `partnerFetch`: URL, auth, timeout, retries, parsing, errors. */

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** operationIds from the contract; the name errors and sandbox stats use. */
export type PartnerOperation =
  | "createApiToken"
  | "getSpaces"
  | "createSpace"
  | "updateSpace"
  | "deleteSpace"
  | "inviteUserToSpace"
  | "getAccessRoles"
  | "getUsersInSpace"
  | "addUserToSpace"
  | "removeUserFromSpace"
  | "removeAllUsersFromSpace"
  | "getDevicesInSpace"
  | "registerExternalDevice"
  | "registerInexogyDevice"
  | "registerBluemeteringDevice"
  | "registerEsaDevice"
  | "registerNonSmartMeter"
  | "updateDeviceDetails"
  | "addDeviceToSpace"
  | "removeDeviceFromSpace"
  | "deleteDevice"
  | "storeReadings"
  | "getReadingsByDevice"
  | "getReadingsBySpace"
  | "addUpdateCustomer"
  | "getCustomers"
  | "addCustomerContract"
  | "setCustomerContractTimeWindow"
  | "getCustomerSupportContact";

export interface PartnerRequest<T> {
  operation: PartnerOperation;
  method: HttpMethod;
  /** Path segments below the base URL, e.g. ["spaces", spaceId]; each one is URL-encoded. */
  path: readonly string[];
  query?: Record<string, unknown>;
  /** Validates (and applies defaults to) the query before sending. */
  querySchema?: ZodType;
  body?: unknown;
  /** Validates the body before sending: a body the contract rejects never leaves the server. */
  bodySchema?: ZodType;
  /** Response schema; without it the response body is ignored (several operations have none). */
  schema?: ZodType<T>;
  /** Safe to send twice. Defaults to GET only: creates are not idempotent upstream. */
  idempotent?: boolean;
}

export interface TokenSource {
  getToken(): Promise<string>;
  /** Forget `token` if it is still the current one, so the next getToken() fetches a new one. */
  invalidate(token: string): void;
}

export interface PartnerFetch {
  <T>(request: PartnerRequest<T> & { schema: ZodType<T> }): Promise<T>;
  (request: PartnerRequest<void>): Promise<void>;
}

/** Connection-level failures where the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** `tokens` null sends without Authorization (only the token request itself does). */
export function createPartnerFetch(config: PartnerClientConfig, tokens: TokenSource | null): PartnerFetch {
  const doFetch = config.fetch ?? globalThis.fetch;

  async function attempt(request: PartnerRequest<unknown>, url: string, body: unknown, token: string | undefined, idempotent: boolean): Promise<unknown> {
    const secrets = [config.clientSecret, token ?? ""];
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;

    let status: number;
    let responseHeaders: Headers;
    let text: string;
    try {
      // One signal for the answer and its body: a server that stalls mid-body times out too.
      const response = await doFetch(url, {
        method: request.method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (cause) {
      throw transportError(request.operation, cause, idempotent, config.timeoutMs);
    }

    if (status < 200 || status >= 300) throw httpError(request.operation, status, text, responseHeaders, idempotent, secrets);
    return request.schema ? parseResponse(request.operation, request.schema, text) : undefined;
  }

  async function partnerFetch(request: PartnerRequest<unknown>): Promise<unknown> {
    const body = request.bodySchema ? checkInput(request, request.bodySchema, request.body, "body") : request.body;
    const query = request.querySchema ? checkInput(request, request.querySchema, request.query, "query") : request.query;
    const url = buildUrl(config.baseUrl, request, query);
    const idempotent = request.idempotent ?? request.method === "GET";
    let refreshed = false;
    for (let retries = 0; ; ) {
      const token = tokens ? await tokens.getToken() : undefined;
      try {
        return await attempt(request, url, body, token, idempotent);
      } catch (error) {
        if (!(error instanceof PartnerApiError)) throw error;
        // A 401 means the request was refused, not executed: one refresh and one retry are safe for any method.
        if (error.status === 401 && tokens && token && !refreshed) {
          tokens.invalidate(token);
          refreshed = true;
          continue;
        }
        if (!idempotent || !error.retryable || retries >= config.maxRetries) throw error;
        await sleep(retryDelay(config, retries, error.retryAfterMs));
        retries += 1;
      }
    }
  }

  return partnerFetch as PartnerFetch;
}

/** Honours Retry-After (capped); otherwise exponential backoff with full jitter. */
export function retryDelay(config: Pick<PartnerClientConfig, "retryBaseDelayMs" | "retryMaxDelayMs">, retry: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, config.retryMaxDelayMs);
  return Math.random() * Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** retry);
}

/** Retry-After as delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function badRequest(operation: string, message: string): PartnerApiError {
  return new PartnerApiError({ status: 0, operation, code: "bad_request", retryable: false, message });
}

function checkInput(request: PartnerRequest<unknown>, schema: ZodType, value: unknown, where: "body" | "query"): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw badRequest(request.operation, `Invalid ${where} for ${request.operation}: ${field}${issue.message}`);
}

function buildUrl(baseUrl: string, request: PartnerRequest<unknown>, query: unknown): string {
  const segments = request.path.map((segment) => {
    // An empty id would address the collection ("/spaces/"), a dot segment a parent path.
    if (segment.trim() === "" || segment === "." || segment === "..") {
      throw badRequest(request.operation, `Invalid path parameter for ${request.operation}: an id must not be empty.`);
    }
    return encodeURIComponent(segment);
  });
  const url = new URL(`${baseUrl}/${segments.join("/")}`);
  if (typeof query === "object" && query !== null) {
    for (const [key, value] of Object.entries(query)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") url.searchParams.set(key, String(value));
    }
  }
  return url.href;
}

function parseResponse(operation: string, schema: ZodType, text: string): unknown {
  const invalid = (detail: string) =>
    new PartnerApiError({ status: 200, operation, code: "invalid_response", retryable: false, message: `${genericMessage("invalid_response")} (${operation}: ${detail})` });
  if (text.trim() === "") throw invalid("empty body");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid("body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(`${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`);
}

function httpError(operation: string, status: number, text: string, headers: Headers, idempotent: boolean, secrets: string[]): PartnerApiError {
  const code = codeForStatus(status);
  const transient = code === "rate_limited" || code === "upstream_unavailable";
  // 429 and 503 say the server did not do the work, so even a write may be repeated.
  const retryable = transient && (idempotent || status === 429 || status === 503);
  const base = upstreamMessage(text, secrets) ?? `${genericMessage(code)} (HTTP ${status})`;
  const maybeApplied = transient && !retryable;
  return new PartnerApiError({
    status,
    operation,
    code,
    retryable,
    retryAfterMs: parseRetryAfter(headers.get("retry-after")),
    maybeApplied,
    message: maybeApplied ? base + MAYBE_APPLIED : base,
  });
}

function transportError(operation: string, cause: unknown, idempotent: boolean, timeoutMs: number): PartnerApiError {
  const name = cause instanceof Error ? cause.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    const message = `The partner API did not answer within ${timeoutMs / 1000} s.`;
    return new PartnerApiError(
      { status: 0, operation, code: "timeout", retryable: idempotent, maybeApplied: !idempotent, message: idempotent ? message : message + MAYBE_APPLIED },
      { cause },
    );
  }
  const errno = networkErrorCode(cause);
  const notSent = errno !== undefined && NOT_SENT_CODES.has(errno);
  const message = `${genericMessage("network")}${errno ? ` (${errno})` : ""}`;
  return new PartnerApiError(
    {
      status: 0,
      operation,
      code: "network",
      retryable: idempotent || notSent,
      maybeApplied: !idempotent && !notSent,
      message: idempotent || notSent ? message : message + MAYBE_APPLIED,
    },
    { cause },
  );
}

/** undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }). */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Object && depth < 4; depth++) {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}
