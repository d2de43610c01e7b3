import type { Role } from "@/lib/auth/permissions";

/** A staff account as /staff shows it (never a password hash). */
export interface StaffView {
  id: string;
  email: string;
  name: string;
  role: Role;
  signIn: "password" | "sso";
  passwordSet: boolean;
  /** A manager allowed SSO to take this password account over at its next SSO sign-in. */
  ssoAllowed: boolean;
  lastLoginAt: string | null;
  createdBy: string | null;
  createdAt: string;
  disabled: boolean;
}
