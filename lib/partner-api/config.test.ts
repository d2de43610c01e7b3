import { describe, expect, it } from "vitest";
import { configFromEnv, isSandboxBaseUrl } from "./config";
import { DEFAULT_API_BASE_URL, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./defaults";

describe("configFromEnv", () => {
  it("works with nothing set, against the local sandbox", () => {
    expect(configFromEnv({})).toEqual({
      baseUrl: DEFAULT_API_BASE_URL,
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      timeoutMs: 15_000,
      maxRetries: 3,
      retryBaseDelayMs: 250,
      retryMaxDelayMs: 8_000,
      pageSize: 100,
      pageConcurrency: 6,
      tokenRefreshMarginSeconds: 300,
    });
  });

  it("reads every ZF_* variable, treats empty ones as unset and drops a trailing slash", () => {
    const config = configFromEnv({
      ZF_API_BASE_URL: "https://external.prod.zaehlerfreunde.com/partner/",
      ZF_CLIENT_ID: "id",
      ZF_CLIENT_SECRET: "secret",
      ZF_TIMEOUT_MS: "5000",
      ZF_MAX_RETRIES: "0",
      ZF_PAGE_SIZE: "50",
      ZF_PAGE_CONCURRENCY: "",
    });
    expect(config).toMatchObject({
      baseUrl: "https://external.prod.zaehlerfreunde.com/partner",
      clientId: "id",
      clientSecret: "secret",
      timeoutMs: 5000,
      maxRetries: 0,
      pageSize: 50,
      pageConcurrency: 6,
    });
  });

  it("rejects nonsense with one message naming each variable, never echoing values", () => {
    const env = { ZF_API_BASE_URL: "ftp://x", ZF_TIMEOUT_MS: "soon", ZF_PAGE_SIZE: "-1", ZF_CLIENT_SECRET: "hunter2-secret" };
    expect(() => configFromEnv(env)).toThrow(/ZF_API_BASE_URL.*ZF_TIMEOUT_MS.*ZF_PAGE_SIZE/);
    expect(() => configFromEnv({ ...env, ZF_API_BASE_URL: undefined })).not.toThrow(/hunter2/);
    expect(() => configFromEnv({ ZF_MAX_RETRIES: "1.5" })).toThrow(/ZF_MAX_RETRIES/);
  });
});

describe("isSandboxBaseUrl", () => {
  it("is true only for local hosts", () => {
    expect(isSandboxBaseUrl("http://localhost:4010/partner")).toBe(true);
    expect(isSandboxBaseUrl("http://127.0.0.1:4010/partner")).toBe(true);
    expect(isSandboxBaseUrl("http://127.3.2.1/partner")).toBe(true);
    expect(isSandboxBaseUrl("http://[::1]:4010/partner")).toBe(true);
    expect(isSandboxBaseUrl("https://external.prod.zaehlerfreunde.com/partner")).toBe(false);
    expect(isSandboxBaseUrl("https://localhost.evil.example/partner")).toBe(false);
    expect(isSandboxBaseUrl("https://127.0.0.1.nip.io/partner")).toBe(false);
    expect(isSandboxBaseUrl("not a url")).toBe(false);
  });
});
