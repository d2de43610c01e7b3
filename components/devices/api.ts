/** The browser's calls to the devices route handlers. */
import { apiFetch, createOnce } from "@/lib/http/api-client";
import type { DeviceDetail } from "@/lib/devices/types";

export function fetchDevice(id: string, signal?: AbortSignal) {
  return apiFetch<DeviceDetail>(`/api/devices/${encodeURIComponent(id)}`, { signal });
}

export function registerDevice(spaceId: string, draft: Record<string, unknown>, idempotencyKey: string, onChecking?: (checking: boolean) => void) {
  return createOnce<{ deviceId: string }>(`/api/spaces/${encodeURIComponent(spaceId)}/devices`, draft, idempotencyKey, onChecking);
}

export function editDevice(id: string, input: Record<string, unknown>) {
  return apiFetch<{ ok: true }>(`/api/devices/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(input) });
}

export function linkDevice(id: string, spaceId: string) {
  return apiFetch<{ ok: true }>(`/api/devices/${encodeURIComponent(id)}/links`, { method: "POST", body: JSON.stringify({ spaceId }) });
}

export function unlinkDevice(id: string, spaceId: string) {
  return apiFetch<{ ok: true }>(`/api/devices/${encodeURIComponent(id)}/links/${encodeURIComponent(spaceId)}`, { method: "DELETE" });
}

export function deleteDevice(id: string) {
  return apiFetch<{ ok: true }>(`/api/devices/${encodeURIComponent(id)}`, { method: "DELETE" });
}
