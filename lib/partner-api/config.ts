import "server-only";
import { z } from "zod";
import { DEFAULT_API_BASE_URL, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./defaults";

/** Everything the partner API client needs; `configFromEnv()` builds it from ZF_* variables. */
export interface PartnerClientConfig {
  /** Base URL including the `/partner` prefix, without a trailing slash. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
  /** Retries after the first attempt (idempotent requests only). */
  maxRetries: number;
  retryBaseDelayMs: number;
  /** Also caps a server's Retry-After. */
  retryMaxDelayMs: number;
  pageSize: number;
  pageConcurrency: number;
  /** Refresh the token this long before its expiry. */
  tokenRefreshMarginSeconds: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export const CONFIG_DEFAULTS = {
  timeoutMs: 15_000,
  maxRetries: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 8_000,
  pageSize: 100,
  pageConcurrency: 6,
  tokenRefreshMarginSeconds: 300,
} as const;

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  ZF_API_BASE_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://external.prod.zaehlerfreunde.com/partner" })
    .default(DEFAULT_API_BASE_URL)
    .transform((url) => url.replace(/\/+$/, "")),
  ZF_CLIENT_ID: z.string().trim().min(1).default(DEFAULT_CLIENT_ID),
  ZF_CLIENT_SECRET: z.string().trim().min(1).default(DEFAULT_CLIENT_SECRET),
  ZF_TIMEOUT_MS: int(100, 300_000, CONFIG_DEFAULTS.timeoutMs),
  ZF_MAX_RETRIES: int(0, 10, CONFIG_DEFAULTS.maxRetries),
  ZF_PAGE_SIZE: int(1, 1_000, CONFIG_DEFAULTS.pageSize),
  ZF_PAGE_CONCURRENCY: int(1, 32, CONFIG_DEFAULTS.pageConcurrency),
});

/** Reads the ZF_* variables; throws one readable error listing every bad variable. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): PartnerClientConfig {
  // An empty variable (`ZF_TIMEOUT_MS=` in a .env file) means "unset", not 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    // Names and rules only: echoing a value could print the client secret.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid partner API configuration. ${problems.join("; ")}`);
  }
  const e = parsed.data;
  return {
    ...CONFIG_DEFAULTS,
    baseUrl: e.ZF_API_BASE_URL,
    clientId: e.ZF_CLIENT_ID,
    clientSecret: e.ZF_CLIENT_SECRET,
    timeoutMs: e.ZF_TIMEOUT_MS,
    maxRetries: e.ZF_MAX_RETRIES,
    pageSize: e.ZF_PAGE_SIZE,
    pageConcurrency: e.ZF_PAGE_CONCURRENCY,
  };
}

/** True for a local sandbox (localhost, 127.x, ::1), for the "sandbox vs production" indicator. */
export function isSandboxBaseUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false;
  }
  return hostname === "localhost" || hostname.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === "[::1]";
}
