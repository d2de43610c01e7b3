import "server-only";
import type { NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { getDb } from "@/lib/db";
import { LoginInput } from "@/lib/auth/login-schema";
import { isRole, type Role } from "@/lib/auth/permissions";
import { ensureDemoAccounts, isDemoMode } from "@/lib/auth/demo";
import { findStaffByEmail, recordLogin, resolveSsoAccount, verifyStaffCredentials } from "@/lib/auth/staff";
import { clearAccount, clientAddress, recordSignInFailure } from "@/lib/auth/throttle";
import { auditSafely } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/session";

const OIDC_ID = "oidc";

interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  autoProvisionRole: Role | null;
}

/** SSO is on only when issuer, client id and secret are all set. */
export function readOidcConfig(env: Record<string, string | undefined> = process.env): OidcConfig | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_AUTO_PROVISION_ROLE } = env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  const autoProvisionRole = OIDC_AUTO_PROVISION_ROLE?.trim() || null;
  // A typo here must not silently grant (or withhold) access: refuse to start SSO instead.
  if (autoProvisionRole !== null && !isRole(autoProvisionRole)) {
    throw new Error(`OIDC_AUTO_PROVISION_ROLE must be support, staff or manager, not "${autoProvisionRole}".`);
  }
  return {
    issuer: OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME?.trim() || "SSO",
    autoProvisionRole,
  };
}

/** For the login page: which buttons to show. */
export function enabledSignInProviders(): { id: string; name: string; type: "credentials" | "oidc" }[] {
  const oidc = readOidcConfig();
  return [
    { id: "credentials", name: "E-mail", type: "credentials" },
    ...(oidc ? [{ id: OIDC_ID, name: oidc.name, type: "oidc" as const }] : []),
  ];
}

interface OidcClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

function oidcProvider(config: OidcConfig): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_ID,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    profile: (claims) => ({
      id: claims.sub,
      // An e-mail the IdP has not verified proves nothing; without one the sign-in is refused.
      email: claims.email_verified === false ? null : (claims.email ?? null),
      name: claims.name ?? claims.preferred_username ?? claims.email ?? null,
    }),
  };
}

// Once per process; reset on failure so the next sign-in tries again.
let demoSeed: Promise<void> | undefined;
function seedDemoAccounts(): Promise<void> {
  demoSeed ??= getDb()
    .then(ensureDemoAccounts)
    .catch((error: unknown) => {
      demoSeed = undefined;
      throw error;
    });
  return demoSeed;
}

/** The credentials check behind the login form: the staff member, or null for any failure. */
export async function authorizeCredentials(credentials: unknown, forwardedFor?: string | null): Promise<SessionUser | null> {
  // The same schema as the login form; a malformed request is just a failed sign-in.
  const input = LoginInput.safeParse(credentials);
  if (!input.success) return null;
  if (isDemoMode()) await seedDemoAccounts();
  const db = await getDb();
  const account = await verifyStaffCredentials(db, input.data.email, input.data.password);
  if (!account) {
    // Counted per account and address (lib/auth/throttle.ts); audited with the e-mail, never the password.
    await recordSignInFailure(db, input.data.email, clientAddress(forwardedFor));
    await auditSafely(db, {
      actor: null,
      action: "auth.signIn",
      target: { type: "staff", id: input.data.email.trim().toLowerCase() },
      summary: "Failed sign-in with a password",
      outcome: "error",
      errorMessage: "invalid credentials",
    });
    return null;
  }
  await clearAccount(db, account.email);
  await recordLogin(db, account.id);
  return { id: account.id, email: account.email, name: account.name, role: account.role };
}

const credentialsProvider = CredentialsProvider({
  id: "credentials",
  name: "E-mail",
  credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
  authorize: (credentials, req) => authorizeCredentials(credentials, headerOf(req?.headers, "x-forwarded-for")),
});

/**
 * The session holds exactly a SessionUser: no partner API token or anything else ever reaches the
 * browser. A token without id or role (older or foreign) yields empty fields that getSessionUser rejects.
 */
function sessionUserFromToken(token: JWT): SessionUser {
  return { id: token.id ?? "", email: token.email ?? "", name: token.name ?? "", role: token.role as Role };
}

/** next-auth hands authorize() the request headers as a plain object (or a Headers). */
function headerOf(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : null;
}

const actorOf = (user: { id?: string; email?: string | null; role?: unknown }) =>
  user.id && user.email && isRole(user.role) ? { id: user.id, email: user.email, role: user.role } : null;

const oidc = readOidcConfig();

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  // JWT sessions cannot be revoked, so keep them to a working day: a disabled account or a changed
  // role takes effect at the next sign-in at the latest.
  session: { strategy: "jwt", maxAge: 10 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: oidc ? [credentialsProvider, oidcProvider(oidc)] : [credentialsProvider],
  // Every sign-in and sign-out goes to the audit log (failed password sign-ins: authorizeCredentials).
  events: {
    async signIn({ user, account }) {
      const db = await getDb();
      const staff = account?.provider === OIDC_ID ? await findStaffByEmail(db, user.email ?? "") : null;
      const actor = actorOf(staff ?? (user as SessionUser));
      await auditSafely(db, {
        actor,
        action: "auth.signIn",
        target: { type: "staff", id: actor?.id ?? user.email ?? "unknown" },
        summary: `Signed in (${account?.provider === OIDC_ID ? "SSO" : "password"})`,
        details: { method: account?.provider === OIDC_ID ? "sso" : "password" },
        outcome: "ok",
      });
    },
    async signOut({ token }) {
      const actor = actorOf({ id: token.id, email: token.email, role: token.role });
      await auditSafely(await getDb(), { actor, action: "auth.signOut", target: { type: "staff", id: actor?.id ?? "unknown" }, summary: "Signed out", outcome: "ok" });
    },
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== OIDC_ID) return true; // credentials were checked in authorize
      if (!oidc || !user.email) return false;
      const db = await getDb();
      const staff = await resolveSsoAccount(db, { email: user.email, name: user.name ?? user.email }, oidc.autoProvisionRole);
      if (!staff) return false;
      await recordLogin(db, staff.id);
      return true;
    },
    async jwt({ token, user, account }) {
      if (!user) return token; // later requests: keep what sign-in stored
      // SSO: `user` is the IdP's profile; our account (checked in signIn) has the id and role.
      const staff = account?.provider === OIDC_ID ? await findStaffByEmail(await getDb(), user.email ?? "") : user;
      if (!staff?.email || !staff.name || !isRole(staff.role)) throw new Error("No staff account for this sign-in.");
      return { sub: staff.id, id: staff.id, email: staff.email, name: staff.name, role: staff.role };
    },
    session({ session, token }): Session {
      return { expires: session.expires, user: sessionUserFromToken(token) };
    },
  },
};
