/** The browser's calls to the devices route handlers. */
import { apiFetch } from "@/lib/http/api-client";
import type { DeviceDetail } from "@/lib/devices/types";

export function fetchDevice(id: string, signal?: AbortSignal) {
  return apiFetch<DeviceDetail>(`/api/devices/${encodeURIComponent(id)}`, { signal });
}
