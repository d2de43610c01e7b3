import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Account, Session } from "next-auth";
import type { AdapterUser } from "next-auth/adapters";
import type { JWT } from "next-auth/jwt";
import { afterAll, describe, expect, it, vi } from "vitest";

// getDb() opens PGlite in DATA_DIR: a directory of this test's own (one process per directory).
const dataDir = mkdtempSync(path.join(tmpdir(), "zf-auth-test-"));
vi.stubEnv("DATA_DIR", dataDir);
vi.stubEnv("DATABASE_URL", "");
vi.stubEnv("DEMO_MODE", "true");
vi.stubEnv("OIDC_ISSUER", "https://idp.example.com/realms/zf/");
vi.stubEnv("OIDC_CLIENT_ID", "dashboard");
vi.stubEnv("OIDC_CLIENT_SECRET", "oidc-secret");
vi.stubEnv("OIDC_NAME", "Firmen-SSO");
vi.stubEnv("OIDC_AUTO_PROVISION_ROLE", "");

const { authOptions, authorizeCredentials, enabledSignInProviders } = await import("@/lib/auth/options");
const { readOidcConfig } = await import("@/lib/auth/sso");
const { closeDb, getDb } = await import("@/lib/db");
const { createStaffAccount } = await import("@/lib/auth/staff");

afterAll(async () => {
  await closeDb();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

const callbacks = authOptions.callbacks!;
const staffUser = { id: "3d0c5a4e-0000-4000-8000-000000000001", email: "staff@example.com", name: "Stefanie Staff", role: "staff" as const };

function signInParams(user: AdapterUser, account: Account) {
  return { token: { name: user.name, email: user.email, picture: "https://img.example/p.png", sub: user.id }, user, account, trigger: "signIn" as const };
}
const credentialsAccount: Account = { provider: "credentials", type: "credentials", providerAccountId: staffUser.id };
const oidcAccount = (sub: string): Account => ({
  provider: "oidc",
  type: "oauth",
  providerAccountId: sub,
  access_token: "idp-access-token",
  id_token: "idp-id-token",
});
const asAdapterUser = (user: { id: string; email: string; name: string; role?: AdapterUser["role"] }): AdapterUser => ({ ...user, emailVerified: null });

describe("jwt and session callbacks", () => {
  it("put id, e-mail, name and role into the token at sign-in, nothing else", async () => {
    const token = await callbacks.jwt!(signInParams(asAdapterUser(staffUser), credentialsAccount));
    expect(token).toEqual({ sub: staffUser.id, ...staffUser });
  });

  it("keep the token as it is on later requests", async () => {
    const token: JWT = { sub: staffUser.id, ...staffUser, iat: 1, exp: 2, jti: "j" };
    // next-auth types `user` as always present, but passes undefined after sign-in.
    expect(await callbacks.jwt!({ token, user: undefined as unknown as AdapterUser, account: null })).toBe(token);
  });

  it("expose exactly { id, email, name, role } as session.user, never a token", async () => {
    const token: JWT = { sub: staffUser.id, ...staffUser, picture: "p", accessToken: "partner-api-token", iat: 1, exp: 2, jti: "j" };
    const session: Session = { expires: "2099-01-01T00:00:00.000Z", user: { ...staffUser, image: "p" } as Session["user"] };
    const result = await callbacks.session!({ session, token, user: asAdapterUser(staffUser), newSession: undefined, trigger: "update" });
    expect(result).toEqual({ expires: "2099-01-01T00:00:00.000Z", user: staffUser });
    expect(JSON.stringify(result)).not.toMatch(/token|picture|image/i);
  });
});

describe("credentials sign-in", () => {
  it("signs in a demo account (seeded on first use) and refuses a wrong password", async () => {
    const user = await authorizeCredentials({ email: " Manager@Example.com", password: "demo" });
    expect(user).toEqual({ id: expect.any(String), email: "manager@example.com", name: "Max Manager", role: "manager" });
    expect(await authorizeCredentials({ email: "manager@example.com", password: "wrong" })).toBeNull();
    expect(await authorizeCredentials({ email: "not-an-email", password: "demo" })).toBeNull();
    expect(await authorizeCredentials(undefined)).toBeNull();
  });

  it("uses one process-wide database in DATA_DIR/pglite", async () => {
    expect(await getDb()).toBe(await getDb());
    expect(existsSync(path.join(dataDir, "pglite"))).toBe(true);
  });
});

describe("SSO", () => {
  it("is configured from the environment with PKCE, state and the issuer's discovery document", () => {
    const oidc = authOptions.providers.find((p) => p.id === "oidc");
    expect(oidc).toMatchObject({
      type: "oauth",
      name: "Firmen-SSO",
      wellKnown: "https://idp.example.com/realms/zf/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state"],
    });
    expect(enabledSignInProviders()).toEqual([
      { id: "credentials", name: "E-mail", type: "credentials" },
      { id: "oidc", name: "Firmen-SSO", type: "oidc" },
    ]);
  });

  it("is off unless issuer, client id and secret are all set, and refuses an unknown auto-provision role", () => {
    expect(readOidcConfig({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "x" })).toBeNull();
    expect(readOidcConfig({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" })).toMatchObject({ name: "SSO", autoProvisionRole: null });
    expect(() =>
      readOidcConfig({ OIDC_ISSUER: "https://idp", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y", OIDC_AUTO_PROVISION_ROLE: "admin" }),
    ).toThrow(/OIDC_AUTO_PROVISION_ROLE/);
  });

  it("sends a refused person back to the login page with the reason, and takes id and role from our account, not the IdP", async () => {
    const stranger = asAdapterUser({ id: "idp-sub-1", email: "", name: "Stranger" });
    const strangerClaims = { sub: "idp-sub-1", email: "stranger@example.com", email_verified: true, name: "Stranger" };
    expect(await callbacks.signIn!({ user: stranger, account: oidcAccount("idp-sub-1"), profile: strangerClaims })).toBe("/login?error=SsoNoAccount&email=stranger%40example.com");
    // Unverified (or unstated) e-mail: never bound, even to an SSO account.
    const staff = await createStaffAccount(await getDb(), { email: "sso.staff@example.com", name: "Sso Staff", role: "staff", authProvider: "oidc" });
    const profile = asAdapterUser({ id: "idp-sub-2", email: "", name: "From IdP" });
    const unverified = { sub: "idp-sub-2", email: "sso.staff@example.com", name: "From IdP", role: "manager" };
    expect(await callbacks.signIn!({ user: profile, account: oidcAccount("idp-sub-2"), profile: unverified })).toBe("/login?error=SsoUnverifiedEmail&email=sso.staff%40example.com");
    expect(await callbacks.signIn!({ user: profile, account: oidcAccount("idp-sub-2"), profile: { ...unverified, email_verified: true } as never })).toBe(true);
    const token = await callbacks.jwt!(signInParams(profile, { ...oidcAccount("idp-sub-2"), id_token: "header.payload.signature" }));
    expect(token).toEqual({ sub: staff!.id, id: staff!.id, email: "sso.staff@example.com", name: "Sso Staff", role: "staff", idToken: "header.payload.signature" });
    // The session the browser can read carries no ID token.
    const session = callbacks.session!({ session: { expires: "x", user: {} }, token } as never) as { user: Record<string, unknown> };
    expect(Object.keys(session.user).sort()).toEqual(["email", "id", "name", "role"]);
  });
});

const { auditLog, signInThrottle } = await import("@/lib/db/schema");
const { desc, eq } = await import("drizzle-orm");

describe("sign-in audit and throttle", () => {  const lastAudit = async () => (await (await getDb()).select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

  it("a wrong password is audited with the e-mail (never the password) and counted per account and address", async () => {
    expect(await authorizeCredentials({ email: "Intruder@Example.com", password: "not-the-password-123" }, "203.0.113.7")).toBeNull();
    const row = await lastAudit();
    expect(row).toMatchObject({ action: "auth.signIn", outcome: "error", targetType: "staff", targetId: "intruder@example.com", actorId: null });
    expect(JSON.stringify(row)).not.toContain("not-the-password-123");
    const db = await getDb();
    expect((await db.select().from(signInThrottle).where(eq(signInThrottle.key, "account:intruder@example.com")))[0].failures).toBe(1);
    expect((await db.select().from(signInThrottle).where(eq(signInThrottle.key, "address:203.0.113.7")))[0].failures).toBe(1);
  });

  it("the right password clears the account's count; sign-in and sign-out events are audited with the actor", async () => {
    await authorizeCredentials({ email: "manager@example.com", password: "wrong-once-more" }, "203.0.113.7");
    const user = await authorizeCredentials({ email: "manager@example.com", password: "demo" }, "203.0.113.7");
    expect(user?.role).toBe("manager");
    const db = await getDb();
    expect(await db.select().from(signInThrottle).where(eq(signInThrottle.key, "account:manager@example.com"))).toHaveLength(0);
    await authOptions.events!.signIn!({ user: user!, account: credentialsAccount, isNewUser: false } as never);
    expect(await lastAudit()).toMatchObject({ action: "auth.signIn", outcome: "ok", actorEmail: "manager@example.com", actorRole: "manager", summary: "Signed in (password)" });
    await authOptions.events!.signOut!({ token: { id: user!.id, email: user!.email, role: user!.role }, session: null } as never);
    expect(await lastAudit()).toMatchObject({ action: "auth.signOut", outcome: "ok", actorId: user!.id });
  });
});
