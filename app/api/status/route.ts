import { getPartnerClient, isSandboxBaseUrl, configFromEnv } from "@/lib/partner-api";
import { codeOf } from "@/lib/errors";
import { route } from "@/lib/http/route";
import type { ConnectionStatus } from "@/lib/system/types";

/** Whether the partner API answers, for the connection indicator in the header. */
export const GET = route("system.status", async (): Promise<ConnectionStatus> => {
  const configured = new URL(configFromEnv().baseUrl);
  const environment = isSandboxBaseUrl(configured.href) ? "sandbox" : "production";
  // Origin and path only: a URL with user info must not show it.
  const baseUrl = `${configured.origin}${configured.pathname}`;
  try {
    const latencyMs = await getPartnerClient().ping();
    return { reachable: true, latencyMs, environment, baseUrl, error: null };
  } catch (error) {
    return { reachable: false, latencyMs: null, environment, baseUrl, error: codeOf(error) };
  }
});
