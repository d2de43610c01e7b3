import "server-only";
import type { NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { getDb } from "@/lib/db";
import { LoginInput } from "@/lib/auth/login-schema";
import { isRole, type Role } from "@/lib/auth/permissions";
import { ensureDemoAccounts, isDemoMode } from "@/lib/auth/demo";
import { recordLogin, verifyStaffCredentials } from "@/lib/auth/staff";
import { findSsoAccount, identityFromClaims, OIDC_PROVIDER_ID as OIDC_ID, readOidcConfig, resolveSsoSignIn, type OidcConfig, type SsoRefusal } from "@/lib/auth/sso";
import { clearAccount, clientAddress, recordSignInFailure } from "@/lib/auth/throttle";
import { auditSafely } from "@/lib/audit";
import { forgetAccountState, type SessionUser } from "@/lib/auth/session";

/** For the login page: which buttons to show. */
export function enabledSignInProviders(): { id: string; name: string; type: "credentials" | "oidc" }[] {
  const oidc = readOidcConfig();
  return [
    { id: "credentials", name: "E-mail", type: "credentials" },
    ...(oidc ? [{ id: OIDC_ID, name: oidc.name, type: "oidc" as const }] : []),
  ];
}

function oidcProvider(config: OidcConfig): OAuthConfig<Record<string, unknown>> {
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
    authorization: { params: { scope: config.scope } },
    // The decision (binding, role) is made in the signIn callback from the raw claims; this is
    // only next-auth's `user`, never trusted for the e-mail.
    profile: (claims) => ({ id: String(claims.sub ?? ""), email: null, name: typeof claims.name === "string" ? claims.name : null }),
  };
}

/** The login page's message for each SSO refusal (login.errors.*). */
const REFUSAL_ERRORS: Record<SsoRefusal, string> = {
  no_account: "SsoNoAccount",
  unverified_email: "SsoUnverifiedEmail",
  password_account: "SsoPasswordAccount",
  disabled: "SsoDisabled",
  no_role: "SsoNoRole",
};

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
  // Errors too (a provider that is down, a refused person): our login page, in the person's language.
  pages: { signIn: "/login", error: "/login" },
  providers: oidc ? [credentialsProvider, oidcProvider(oidc)] : [credentialsProvider],
  // Every sign-in and sign-out goes to the audit log (failed password sign-ins: authorizeCredentials).
  events: {
    async signIn({ user, account }) {
      const db = await getDb();
      // SSO: the account the signIn callback bound to the provider's subject.
      const staff = account?.provider === OIDC_ID && oidc ? await findSsoAccount(db, oidc, account.providerAccountId) : null;
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
    async signIn({ account, profile }) {
      if (account?.provider !== OIDC_ID) return true; // credentials were checked in authorize
      if (!oidc) return false;
      const db = await getDb();
      const identity = identityFromClaims(oidc, (profile ?? {}) as Record<string, unknown>);
      const result = await resolveSsoSignIn(db, oidc, identity);
      if (!result.ok) {
        await auditSafely(db, {
          actor: null,
          action: "auth.signIn",
          target: { type: "staff", id: identity.email ?? identity.subject },
          summary: "Refused SSO sign-in",
          details: { method: "sso", reason: result.reason },
          outcome: "error",
          errorMessage: result.reason,
        });
        // Back to our own login page, which says why in the person's language.
        const query = new URLSearchParams({ error: REFUSAL_ERRORS[result.reason], ...(identity.email ? { email: identity.email } : {}) });
        return `/login?${query}`;
      }
      await recordLogin(db, result.account.id);
      // The directory may just have changed the role: this instance's next request reads it anew.
      forgetAccountState(result.account.id);
      return true;
    },
    async jwt({ token, user, account }) {
      if (!user) return token; // later requests: keep what sign-in stored
      // SSO: `user` is the IdP's profile; our account (bound in signIn) has the id and role.
      const staff = account?.provider === OIDC_ID && oidc ? await findSsoAccount(await getDb(), oidc, account.providerAccountId) : user;
      if (!staff?.email || !staff.name || !isRole(staff.role)) throw new Error("No staff account for this sign-in.");
      // The ID token stays in the encrypted session cookie for RP-initiated logout (id_token_hint).
      const idToken = account?.provider === OIDC_ID && typeof account.id_token === "string" ? account.id_token : undefined;
      return { sub: staff.id, id: staff.id, email: staff.email, name: staff.name, role: staff.role, ...(idToken ? { idToken } : {}) };
    },
    session({ session, token }): Session {
      return { expires: session.expires, user: sessionUserFromToken(token) };
    },
  },
};
