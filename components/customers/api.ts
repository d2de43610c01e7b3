/** The browser's calls to the customers route handlers. */
import type { ContractView, CustomerDetail, CustomersPage } from "@/lib/customers/types";
import { apiFetch } from "@/lib/http/api-client";

export function fetchCustomers(q: string, page: number, signal?: AbortSignal) {
  const params = new URLSearchParams({ page: String(page), ...(q ? { q } : {}) });
  return apiFetch<CustomersPage>(`/api/customers?${params}`, { signal });
}

export function fetchCustomer(id: string, signal?: AbortSignal) {
  return apiFetch<CustomerDetail>(`/api/customers/${encodeURIComponent(id)}`, { signal });
}

export function fetchSpaceContracts(spaceId: string, signal?: AbortSignal) {
  return apiFetch<{ contracts: ContractView[] }>(`/api/spaces/${encodeURIComponent(spaceId)}/contracts`, { signal });
}
