/**
 * The browser's way to call the dashboard's own route handlers (never the partner API).
 * Errors come back as `ApiError` with the server's code and message, so components can say
 * what happened and what to do.
 */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    fieldErrors?: Record<string, string[]>;
    retryable?: boolean;
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
    /** The whole `error` object, for codes that carry more (e.g. the warnings of needs_confirmation). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The short id the server logged this failure under, to quote to support. */
  get errorId(): string | undefined {
    return typeof this.body.errorId === "string" ? this.body.errorId : undefined;
  }
}

export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      // Every write is JSON: the server refuses other content types as possible cross-site requests.
      headers: { accept: "application/json", ...(init?.body || (init?.method && init.method !== "GET") ? { "content-type": "application/json" } : {}), ...init?.headers },
    });
  } catch {
    throw new ApiError(0, "network", "The dashboard server could not be reached.");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    throw new ApiError(res.status, error?.code ?? "unknown", error?.message ?? res.statusText, error?.fieldErrors, { ...error });
  }
  return body as T;
}

/** While the server still works on a create or checks upstream after a lost answer, the same request is repeated. */
const REPEAT_CODES = new Set(["outcome_unknown", "in_progress"]);

/**
 * A create with an Idempotency-Key, as the browser sends it: when the server answers that the
 * outcome is not known yet (the partner API's answer was lost and it is checking) or that the
 * first attempt is still running, the very same request is repeated after the server's
 * `retryAfterMs`, so the person sees the record that exists instead of being invited to make a
 * duplicate. `onChecking(true)` while that goes on. Gives up (throwing the last error) after `maxWaitMs`.
 */
export async function createOnce<T>(url: string, body: unknown, idempotencyKey: string, onChecking?: (checking: boolean) => void, maxWaitMs = 90_000): Promise<T> {
  const deadline = Date.now() + maxWaitMs;
  try {
    for (;;) {
      try {
        return await apiFetch<T>(url, { method: "POST", body: JSON.stringify(body), headers: { "Idempotency-Key": idempotencyKey } });
      } catch (error) {
        if (!(error instanceof ApiError) || !REPEAT_CODES.has(error.code) || Date.now() > deadline) throw error;
        onChecking?.(true);
        await new Promise((resolve) => setTimeout(resolve, Number(error.body.retryAfterMs) || 2_000));
      }
    }
  } finally {
    onChecking?.(false);
  }
}
