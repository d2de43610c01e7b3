/** The browser's calls to the import route handlers. */
import { apiFetch } from "@/lib/http/api-client";
import type { ImportField } from "@/lib/imports/columns";
import type { ImportJobView, ImportRowsPage } from "@/lib/imports/types";

const base = "/api/imports";

export const fetchImports = (signal?: AbortSignal) => apiFetch<{ jobs: ImportJobView[] }>(base, { signal });
export const fetchImport = (id: string, signal?: AbortSignal) => apiFetch<{ job: ImportJobView }>(`${base}/${encodeURIComponent(id)}`, { signal });

export function fetchImportRows(id: string, filter: { plan?: string; state?: string }, after: number | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ limit: "500" });
  if (filter.plan) params.set("plan", filter.plan);
  if (filter.state) params.set("state", filter.state);
  if (after) params.set("after", String(after));
  return apiFetch<ImportRowsPage>(`${base}/${encodeURIComponent(id)}/rows?${params}`, { signal });
}

/** The file goes as base64 inside JSON: every write to the dashboard is JSON (CSRF rule). */
export async function uploadImport(file: File) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return apiFetch<{ job: ImportJobView }>(base, { method: "POST", body: JSON.stringify({ fileName: file.name, contentBase64: btoa(binary) }) });
}

export const replanImport = (id: string, body: { mapping: Partial<Record<ImportField, number>>; existing: "update" | "skip" }) =>
  apiFetch<{ job: ImportJobView }>(`${base}/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(body) });

export const controlImport = (id: string, action: "start" | "pause" | "resume" | "cancel" | "retryFailed") =>
  apiFetch<{ job: ImportJobView }>(`${base}/${encodeURIComponent(id)}/control`, { method: "POST", body: JSON.stringify({ action }) });

export const importCsvHref = (id: string, kind: "errors" | "result") => `${base}/${encodeURIComponent(id)}/csv?kind=${kind}`;

export interface ImportPresetView {
  id: string;
  name: string;
  columns: Partial<Record<ImportField, string>>;
  createdBy: string;
}
export const fetchPresets = (signal?: AbortSignal) => apiFetch<{ presets: ImportPresetView[] }>(`${base}/presets`, { signal });
export const savePreset = (body: { name: string; jobId: string; mapping: Partial<Record<ImportField, number>> }) =>
  apiFetch<{ preset: ImportPresetView }>(`${base}/presets`, { method: "POST", body: JSON.stringify(body) });
