/** What /api/status tells the browser about the partner API connection. */
export interface ConnectionStatus {
  reachable: boolean;
  latencyMs: number | null;
  environment: "sandbox" | "production";
  /** Host and path of the partner API in use; never credentials. */
  baseUrl: string;
  error: string | null;
}
