/**
 * The browser's calls to the spaces route handlers, one function each, so every query and
 * mutation with the same key fetches the same way.
 */
import { apiFetch, createOnce } from "@/lib/http/api-client";
import type {
  IndexStatus,
  SearchResponse,
  SpaceDetail,
  SpaceWriteResponse,
  TreeChildrenResponse,
  TreePathResponse,
} from "@/lib/spaces/types";

export const SEARCH_LIMIT = 20;

export function fetchChildren(parent: string, category: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams({ parent });
  if (category) params.set("category", category);
  return apiFetch<TreeChildrenResponse>(`/api/spaces/tree?${params}`, { signal });
}

export function fetchTreePath(id: string, signal?: AbortSignal) {
  return apiFetch<TreePathResponse>(`/api/spaces/tree/path?${new URLSearchParams({ id })}`, { signal });
}

export function fetchSearch(q: string, signal?: AbortSignal, withCustomers = false) {
  const params = new URLSearchParams({ q, limit: String(SEARCH_LIMIT), ...(withCustomers ? { customers: "1" } : {}) });
  return apiFetch<SearchResponse>(`/api/spaces/search?${params}`, { signal });
}

export function fetchIndexStatus(signal?: AbortSignal) {
  return apiFetch<IndexStatus>("/api/spaces/index", { signal });
}

export function startIndexRefresh() {
  return apiFetch<IndexStatus>("/api/spaces/index", { method: "POST" });
}

export function fetchSpaceDetail(id: string, signal?: AbortSignal) {
  return apiFetch<SpaceDetail>(`/api/spaces/${encodeURIComponent(id)}`, { signal });
}

export function createSpace(body: unknown, idempotencyKey: string, onChecking?: (checking: boolean) => void) {
  return createOnce<SpaceWriteResponse>("/api/spaces", body, idempotencyKey, onChecking);
}

export function updateSpace(id: string, body: unknown) {
  return apiFetch<SpaceWriteResponse>(`/api/spaces/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(body) });
}

export function deleteSpace(id: string, confirmName: string) {
  return apiFetch<{ ok: true }>(`/api/spaces/${encodeURIComponent(id)}`, {
    method: "DELETE",
    body: JSON.stringify({ confirmName }),
  });
}
