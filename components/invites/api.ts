/** The browser's calls to the invite and access-role route handlers. */
import { apiFetch, createOnce } from "@/lib/http/api-client";
import type { InviteView, InvitesPage } from "@/lib/invites/types";
import type { CreateInviteInput } from "@/lib/invites/validation";
import type { AccessRole } from "@/lib/partner-api/schemas";

export function fetchAccessRoles(signal?: AbortSignal) {
  return apiFetch<{ accessRoles: AccessRole[] }>("/api/access-roles", { signal });
}

export function fetchSpaceInvites(spaceId: string, signal?: AbortSignal) {
  return apiFetch<{ invites: InviteView[] }>(`/api/spaces/${encodeURIComponent(spaceId)}/invites`, { signal });
}

export function fetchInvites(params: URLSearchParams, signal?: AbortSignal) {
  return apiFetch<InvitesPage & { inviters: string[] }>(`/api/invites?${params}`, { signal });
}

export function createInvite(spaceId: string, input: CreateInviteInput, idempotencyKey: string, onChecking?: (checking: boolean) => void) {
  return createOnce<{ invite: InviteView }>(`/api/spaces/${encodeURIComponent(spaceId)}/invites`, input, idempotencyKey, onChecking);
}

export function resendInvite(id: string, confirmRecent = false) {
  return apiFetch<{ invite: InviteView }>(`/api/invites/${encodeURIComponent(id)}/resend`, { method: "POST", body: JSON.stringify({ confirmRecent }) });
}

export function revokeInvite(id: string, removeUser = false) {
  return apiFetch<{ invite: InviteView }>(`/api/invites/${encodeURIComponent(id)}/revoke`, { method: "POST", body: JSON.stringify({ removeUser }) });
}
