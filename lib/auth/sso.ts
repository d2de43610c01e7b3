import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { staffAccounts } from "@/lib/db/schema";
import { auditSafely } from "@/lib/audit";
import { ROLES, isRole, type Role } from "@/lib/auth/permissions";
import { createStaffAccount, findStaffByEmail, normaliseEmail, withoutHash, type StaffAccount } from "@/lib/auth/staff";

/**
 * Single sign-on through one OpenID Connect provider (Keycloak, Entra ID, Authentik, …).
 *
 * The provider proves who someone is; whether they are dashboard staff, and with which role, is
 * decided here:
 * - an account is found by the provider's subject once bound; the first sign-in binds it through
 *   a *verified* e-mail only;
 * - a password account (the demo ones included) is taken over only where a manager allowed it on
 *   /staff; afterwards it signs in with SSO only;
 * - with OIDC_ROLE_MAP, a directory claim (OIDC_ROLE_CLAIM, default `groups`) sets the role at
 *   every sign-in; without a matching value the account falls back to OIDC_AUTO_PROVISION_ROLE,
 *   or is refused when that is unset;
 * - without a role map, roles are ours (/staff) and OIDC_AUTO_PROVISION_ROLE, if set, is the role
 *   an unknown, verified e-mail gets.
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  /** Scopes asked for: "openid email profile", plus OIDC_SCOPES (e.g. "groups"). */
  scope: string;
  autoProvisionRole: Role | null;
  roleClaim: string;
  /** Directory value → role; empty: roles are managed on /staff. */
  roleMap: ReadonlyMap<string, Role>;
  /** Shown to a refused person: whom to ask for an account. */
  adminContact: string | null;
}

export const OIDC_PROVIDER_ID = "oidc";

/** SSO is on only when issuer, client id and secret are all set. A malformed setting stops the start, never grants access. */
export function readOidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  const autoProvisionRole = env.OIDC_AUTO_PROVISION_ROLE?.trim() || null;
  if (autoProvisionRole !== null && !isRole(autoProvisionRole)) {
    throw new Error(`OIDC_AUTO_PROVISION_ROLE must be support, staff or manager, not "${autoProvisionRole}".`);
  }
  const extraScopes = (env.OIDC_SCOPES ?? "").split(/[\s,]+/).filter((s) => /^[\w.:-]+$/.test(s));
  return {
    issuer: OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME?.trim() || "SSO",
    scope: [...new Set(["openid", "email", "profile", ...extraScopes])].join(" "),
    autoProvisionRole,
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || "groups",
    roleMap: parseRoleMap(env.OIDC_ROLE_MAP ?? ""),
    adminContact: env.OIDC_ADMIN_CONTACT?.trim() || null,
  };
}

/** "dashboard-managers=manager, dashboard-staff=staff" → map; a role that does not exist stops the start. */
export function parseRoleMap(value: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf("=");
    const claim = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !claim || !isRole(role)) throw new Error(`OIDC_ROLE_MAP: "${pair}" is not "<directory value>=support|staff|manager".`);
    map.set(claim, role);
  }
  return map;
}

/** What the sign-in learns from the provider's ID token. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
  /** The values of the role claim (a string or a list of strings in the token). */
  directoryValues: string[];
}

export function identityFromClaims(config: OidcConfig, claims: Record<string, unknown>): SsoIdentity {
  const raw = claims[config.roleClaim];
  const values = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
  const email = typeof claims.email === "string" && claims.email.includes("@") ? normaliseEmail(claims.email) : null;
  const name = [claims.name, claims.preferred_username, email].find((v): v is string => typeof v === "string" && v.trim() !== "");
  return {
    issuer: config.issuer,
    subject: typeof claims.sub === "string" ? claims.sub : "",
    email,
    // Only an explicit true counts: a provider that does not say has not verified it.
    emailVerified: claims.email_verified === true || claims.email_verified === "true",
    name: (name ?? "").trim().slice(0, 200),
    directoryValues: values.filter((v): v is string => typeof v === "string"),
  };
}

/** Why an SSO sign-in was refused; the login page says each in the person's language. */
export type SsoRefusal = "no_account" | "unverified_email" | "password_account" | "disabled" | "no_role";
export type SsoResult = { ok: true; account: StaffAccount } | { ok: false; reason: SsoRefusal };

const rank = (role: Role) => ROLES.indexOf(role);

/** The highest role any directory value maps to; null when none does (or there is no map). */
export function mappedRole(config: Pick<OidcConfig, "roleMap">, values: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const value of values) {
    const role = config.roleMap.get(value);
    if (role && (best === null || rank(role) > rank(best))) best = role;
  }
  return best;
}

const bindingOf = (identity: Pick<SsoIdentity, "issuer" | "subject">) => `${identity.issuer}|${identity.subject}`;

/** The account bound to the provider's subject (after resolveSsoSignIn bound it). */
export async function findSsoAccount(db: Database, config: Pick<OidcConfig, "issuer">, subject: string): Promise<StaffAccount | null> {
  const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.ssoSubject, bindingOf({ issuer: config.issuer, subject })));
  return row ? withoutHash(row) : null;
}

/**
 * The staff account an SSO sign-in becomes, or why it is refused. Binds on the first sign-in,
 * applies the directory's role at every sign-in, and audits what it changed.
 */
export async function resolveSsoSignIn(db: Database, config: OidcConfig, identity: SsoIdentity): Promise<SsoResult> {
  if (!identity.subject) return { ok: false, reason: "no_account" };
  const directoryRole = config.roleMap.size > 0 ? (mappedRole(config, identity.directoryValues) ?? config.autoProvisionRole) : null;
  const binding = bindingOf(identity);

  const [bound] = await db.select().from(staffAccounts).where(eq(staffAccounts.ssoSubject, binding));
  let account: StaffAccount | null = bound ? withoutHash(bound) : null;

  if (!account) {
    if (!identity.email || !identity.emailVerified) return { ok: false, reason: "unverified_email" };
    const existing = await findStaffByEmail(db, identity.email);
    if (existing) {
      if (existing.disabledAt) return { ok: false, reason: "disabled" };
      if (existing.ssoSubject === binding) {
        account = existing; // a parallel sign-in of this same person bound it a moment ago
      } else {
        // Bound to another identity, or a password account no manager released: not ours to take.
        const released = existing.authProvider === OIDC_PROVIDER_ID || existing.ssoTakeoverAllowed;
        if (existing.ssoSubject || !released) return { ok: false, reason: "password_account" };
        account = await bind(db, existing, binding);
        if (!account) return resolveSsoSignIn(db, config, identity); // a parallel sign-in bound it first
      }
    } else {
      const role = config.roleMap.size > 0 ? directoryRole : config.autoProvisionRole;
      if (!role) return { ok: false, reason: "no_account" };
      const created = await createStaffAccount(db, { email: identity.email, name: identity.name || identity.email, role, authProvider: OIDC_PROVIDER_ID, ssoSubject: binding });
      if (!created) return resolveSsoSignIn(db, config, identity); // created in parallel: bind that one
      await auditSafely(db, { actor: null, action: "staff.create", target: { type: "staff", id: created.id }, summary: `Added ${created.email} as ${role} (SSO)`, details: { email: created.email, role, via: "sso" }, outcome: "ok" });
      return { ok: true, account: created };
    }
  }

  if (account.disabledAt) return { ok: false, reason: "disabled" };
  if (config.roleMap.size > 0) {
    if (!directoryRole) return { ok: false, reason: "no_role" };
    if (directoryRole !== account.role) account = await setDirectoryRole(db, account, directoryRole);
  }
  return { ok: true, account };
}

/** Binds an account to the provider's subject; it signs in with SSO only from now on. Null if someone else bound it first. */
async function bind(db: Database, account: StaffAccount, binding: string): Promise<StaffAccount | null> {
  const [row] = await db
    .update(staffAccounts)
    .set({ ssoSubject: binding, authProvider: OIDC_PROVIDER_ID, passwordHash: null, ssoTakeoverAllowed: false })
    .where(and(eq(staffAccounts.id, account.id), isNull(staffAccounts.ssoSubject)))
    .returning();
  if (!row) return null;
  if (account.authProvider !== OIDC_PROVIDER_ID) {
    await auditSafely(db, { actor: null, action: "staff.bindSso", target: { type: "staff", id: account.id }, summary: `SSO took over the password account ${account.email}`, details: { email: account.email }, outcome: "ok" });
  }
  return withoutHash(row);
}

async function setDirectoryRole(db: Database, account: StaffAccount, role: Role): Promise<StaffAccount> {
  const [row] = await db.update(staffAccounts).set({ role, updatedAt: sql`now()` }).where(eq(staffAccounts.id, account.id)).returning();
  await auditSafely(db, { actor: null, action: "staff.role", target: { type: "staff", id: account.id }, summary: `Role ${account.role} → ${role} from the directory`, details: { email: account.email, role, previousRole: account.role, via: "sso" }, outcome: "ok" });
  return withoutHash(row);
}

/**
 * Where sign-out sends the browser so the provider's session ends too (RP-initiated logout),
 * or null when the provider offers no end-session endpoint.
 */
export async function endSessionUrl(config: OidcConfig, idToken: string | null, returnTo: string): Promise<string | null> {
  let endpoint: unknown;
  try {
    const response = await fetch(`${config.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3_000) });
    endpoint = response.ok ? ((await response.json()) as { end_session_endpoint?: unknown }).end_session_endpoint : undefined;
  } catch {
    return null; // the provider is down: the dashboard's own sign-out still happens
  }
  if (typeof endpoint !== "string" || !/^https?:\/\//.test(endpoint)) return null;
  const url = new URL(endpoint);
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("post_logout_redirect_uri", returnTo);
  return url.href;
}
