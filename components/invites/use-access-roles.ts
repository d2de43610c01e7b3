"use client";

import { useQuery } from "@tanstack/react-query";
import { inviteKeys } from "@/lib/invites/keys";
import { fetchAccessRoles } from "./api";

/** The partner's access roles; they rarely change, so one fetch per quarter hour is plenty. */
export function useAccessRoles() {
  return useQuery({ queryKey: inviteKeys.accessRoles(), queryFn: ({ signal }) => fetchAccessRoles(signal), staleTime: 15 * 60_000 });
}
