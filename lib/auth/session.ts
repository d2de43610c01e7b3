import "server-only";
import { getServerSession } from "next-auth";
import { can, isRole, type Permission, type Role } from "@/lib/auth/permissions";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";

/** Everything the app knows about the signed-in person; the session holds exactly this. */
export type SessionUser = { id: string; email: string; name: string; role: Role };

/** 401 (not signed in) or 403 (the role may not). */
export class AuthError extends AppError {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(status, status === 401 ? "unauthorized" : "forbidden", message);
  }
}

/** The signed-in staff member, or null (also for a token from before a role was renamed or removed). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  if (!user?.id || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Throws AuthError 401 without a user and 403 when the role lacks the permission. */
export function authorize(user: SessionUser | null, permission: Permission): SessionUser {
  if (!user) throw new AuthError(401, "Not signed in. Please sign in again.");
  if (!can(user.role, permission)) {
    throw new AuthError(403, `Your role (${user.role}) may not do this (${permission}). Ask a manager if you need it.`);
  }
  return user;
}

/** For every route handler and server action: the caller, if they may do `permission`. */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  return authorize(await getSessionUser(), permission);
}
