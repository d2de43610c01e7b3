import "server-only";
import { createPartnerClient, type PartnerClient } from "./client";
import { configFromEnv } from "./config";

export { createPartnerClient, type PartnerClient, type PageRequest, type ProgressCallback } from "./client";
export { configFromEnv, isSandboxBaseUrl, CONFIG_DEFAULTS, type PartnerClientConfig } from "./config";
export { PartnerApiError, type PartnerErrorCode } from "./errors";
export type { PartnerOperation } from "./fetch";
export * from "./schemas";

// On globalThis so a Next dev hot reload reuses the client and its token instead of making another.
const globalForPartner = globalThis as typeof globalThis & { __zfPartnerClient?: PartnerClient };

/** The process-wide partner API client, configured from ZF_* environment variables. */
export function getPartnerClient(): PartnerClient {
  globalForPartner.__zfPartnerClient ??= createPartnerClient(configFromEnv());
  return globalForPartner.__zfPartnerClient;
}
