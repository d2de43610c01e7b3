/** The browser's calls to the readings route handlers. */
import { apiFetch } from "@/lib/http/api-client";
import type { DeviceReading } from "@/lib/partner-api/schemas";
import type { SubmitReadingsInput } from "@/lib/readings/validation";

export function fetchSeries(deviceId: string, params: Record<string, string>, signal?: AbortSignal) {
  return apiFetch<{ points: DeviceReading[] }>(`/api/devices/${encodeURIComponent(deviceId)}/readings?${new URLSearchParams(params)}`, { signal });
}

export function submitReadings(deviceId: string, input: SubmitReadingsInput) {
  return apiFetch<{ stored: number }>(`/api/devices/${encodeURIComponent(deviceId)}/readings`, { method: "POST", body: JSON.stringify(input) });
}
