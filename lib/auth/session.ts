import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { can, isRole, type Permission, type Role } from "@/lib/auth/permissions";
import { accountState } from "@/lib/auth/staff";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** Everything the app knows about the signed-in person; the session holds exactly this. */
export type SessionUser = { id: string; email: string; name: string; role: Role };

/** 401 (not signed in) or 403 (the role may not). */
export class AuthError extends AppError {
  static override readonly kind: string = "AuthError";
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(status, status === 401 ? "unauthorized" : "forbidden", message);
  }
}

/**
 * The signed-in staff member, or null (also for a token from before a role was renamed or removed).
 *
 * Reads next-auth's session cookie and decodes it once per distinct token (a small cache until
 * the token's `exp`): what getServerSession would answer, without deriving keys, decrypting and
 * re-encrypting a cookie on every request (about a millisecond each, measured by bench:proxy).
 * The jwt and session callbacks of lib/auth/options.ts store exactly these fields.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const token = sessionCookie(await cookies());
  if (!token) return null;
  const now = Date.now() / 1000;
  const cached = decoded.get(token);
  if (cached && cached.exp > now) return withCurrentState(cached.user);
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) return null;
  const payload = await decode({ token, secret }).catch(() => null);
  const exp = typeof payload?.exp === "number" ? payload.exp : 0;
  if (!payload || exp <= now) return null;
  const user = payload.id && payload.email && isRole(payload.role) ? { id: payload.id, email: payload.email, name: payload.name ?? "", role: payload.role } : null;
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
  decoded.set(token, { user, exp });
  return withCurrentState(user);
}

/**
 * JWT sessions cannot be revoked, so every request also asks the database (at most every
 * STATE_TTL_MS per account and instance) for the account's current role and whether it is
 * disabled: a role change or a disabled account takes effect within a minute, on every instance.
 * If the database cannot answer, the session's own claims stand (logged), rather than signing
 * everyone out.
 */
const STATE_TTL_MS = 30_000;
// On globalThis: one map per process, whichever route bundle asks or forgets.
const states: Map<string, { state: { role: Role; disabled: boolean } | null; at: number }> = ((globalThis as { __zfAccountStates?: Map<string, { state: { role: Role; disabled: boolean } | null; at: number }> }).__zfAccountStates ??= new Map());

/** After a change on this instance (role, disabled): its next request sees it at once. */
export function forgetAccountState(id: string): void {
  states.delete(id);
}

async function withCurrentState(user: SessionUser | null): Promise<SessionUser | null> {
  if (!user) return null;
  let cached = states.get(user.id);
  if (!cached || Date.now() - cached.at > STATE_TTL_MS) {
    try {
      cached = { state: await accountState(await getDb(), user.id), at: Date.now() };
      if (states.size >= DECODED_MAX) states.delete(states.keys().next().value!);
      states.set(user.id, cached);
    } catch (error) {
      console.error("Staff account state not read; the session's claims stand", error);
      return user;
    }
  }
  if (!cached.state || cached.state.disabled) return null;
  return { ...user, role: cached.state.role };
}

const DECODED_MAX = 1_000;
const decoded = new Map<string, { user: SessionUser | null; exp: number }>();

/** The session token, also when next-auth split it into chunks (`.0`, `.1`, …) for size. */
function sessionCookie(store: Awaited<ReturnType<typeof cookies>>): string | null {
  const name = `${process.env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-" : ""}next-auth.session-token`;
  const whole = store.get(name)?.value;
  if (whole) return whole;
  const chunks = store
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length > 0 ? chunks.map((c) => c.value).join("") : null;
}

/** The identity provider's ID token of an SSO session (for RP-initiated logout), or null. */
export async function sessionIdToken(): Promise<string | null> {
  const token = sessionCookie(await cookies());
  const secret = process.env.NEXTAUTH_SECRET;
  if (!token || !secret) return null;
  const payload = await decode({ token, secret }).catch(() => null);
  return typeof payload?.idToken === "string" ? payload.idToken : null;
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
