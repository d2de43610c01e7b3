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
