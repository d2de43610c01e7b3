"use client";

import { createContext, useContext, type ReactNode } from "react";
import { can, type Permission, type Role } from "@/lib/auth/permissions";

// The role comes from the server session (dashboard layout); the UI only uses it to hide
// controls the server would refuse anyway.
const RoleContext = createContext<Role | null>(null);

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

export function useRole(): Role | null {
  return useContext(RoleContext);
}

export function useCan(permission: Permission): boolean {
  return can(useContext(RoleContext), permission);
}
