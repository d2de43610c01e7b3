/** The browser's calls to the onboarding route handlers. */
import { apiFetch } from "@/lib/http/api-client";
import type { DuplicateReport } from "@/lib/onboarding/duplicates-types";
import type { OnboardingView } from "@/lib/onboarding/types";

const base = "/api/onboardings";

export function fetchOpenOnboardings(signal?: AbortSignal) {
  return apiFetch<{ onboardings: OnboardingView[] }>(base, { signal });
}

export function createOnboarding(kind: "customer" | "tenantChange", previousContractId?: string) {
  return apiFetch<{ onboarding: OnboardingView }>(base, { method: "POST", body: JSON.stringify({ kind, previousContractId }) });
}

export function fetchOnboarding(id: string, signal?: AbortSignal) {
  return apiFetch<{ onboarding: OnboardingView }>(`${base}/${encodeURIComponent(id)}`, { signal });
}

export function saveOnboarding(id: string, body: { values: Record<string, string | boolean | null>; step: number; validate?: string }) {
  return apiFetch<{ onboarding: OnboardingView }>(`${base}/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(body) });
}

export function discardOnboarding(id: string) {
  return apiFetch<{ ok: true }>(`${base}/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function fetchChecks(id: string, signal?: AbortSignal) {
  return apiFetch<DuplicateReport>(`${base}/${encodeURIComponent(id)}/checks`, { signal });
}

export function runOnboarding(id: string, deviceId?: string) {
  return apiFetch<{ onboarding: OnboardingView }>(`${base}/${encodeURIComponent(id)}/run`, { method: "POST", body: JSON.stringify(deviceId ? { deviceId } : {}) });
}
