/** The browser's calls to the space-user route handlers. */
import { apiFetch } from "@/lib/http/api-client";
import type { User } from "@/lib/partner-api/schemas";
import type { AddUserInput } from "@/lib/users/validation";

const base = (spaceId: string) => `/api/spaces/${encodeURIComponent(spaceId)}/users`;

export function addUser(spaceId: string, input: AddUserInput) {
  return apiFetch<{ users: User[] | null }>(base(spaceId), { method: "POST", body: JSON.stringify(input) });
}

export function removeUser(spaceId: string, userId: string) {
  return apiFetch<{ users: User[] | null }>(`${base(spaceId)}/${encodeURIComponent(userId)}`, { method: "DELETE" });
}

export function removeAllUsers(spaceId: string) {
  return apiFetch<{ users: User[] | null }>(base(spaceId), { method: "DELETE" });
}
