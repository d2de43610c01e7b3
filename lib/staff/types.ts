import type { Role } from "@/lib/auth/permissions";

/** A staff account as /staff shows it (never a password hash). */
export interface StaffView {
  id: string;
  email: string;
  name: string;
  role: Role;
  signIn: "password" | "sso";
  passwordSet: boolean;
  lastLoginAt: string | null;
  createdBy: string | null;
  createdAt: string;
  disabled: boolean;
}
