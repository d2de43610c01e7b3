/**
 * SSO sign-in (lib/auth/sso.ts): the settings, what an ID token's claims become, and which staff
 * account a sign-in is (or why it is refused), on PGlite and on PostgreSQL; RP-initiated logout
 * against a tiny local discovery server.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { auditLog, staffAccounts } from "@/lib/db/schema";
import { testDatabases } from "@/lib/testing/databases";
import { createStaffAccount, findStaffByEmail, verifyStaffCredentials } from "@/lib/auth/staff";
import {
  endSessionUrl,
  findSsoAccount,
  identityFromClaims,
  mappedRole,
  readOidcConfig,
  resolveSsoSignIn,
  type OidcConfig,
  type SsoIdentity,
} from "@/lib/auth/sso";

const BASE_ENV = { OIDC_ISSUER: "https://idp.example.com/realms/zf/", OIDC_CLIENT_ID: "dashboard", OIDC_CLIENT_SECRET: "s3cret" };

function config(extra: Record<string, string> = {}): OidcConfig {
  const read = readOidcConfig({ ...BASE_ENV, ...extra });
  if (!read) throw new Error("test config should be on");
  return read;
}

describe("readOidcConfig", () => {
  it("is off unless issuer, client id and secret are all set", () => {
    expect(readOidcConfig({})).toBeNull();
    expect(readOidcConfig({ OIDC_ISSUER: BASE_ENV.OIDC_ISSUER, OIDC_CLIENT_ID: "dashboard" })).toBeNull();
    expect(readOidcConfig({ OIDC_ISSUER: BASE_ENV.OIDC_ISSUER, OIDC_CLIENT_SECRET: "s3cret" })).toBeNull();
    expect(readOidcConfig({ OIDC_CLIENT_ID: "dashboard", OIDC_CLIENT_SECRET: "s3cret" })).toBeNull();
    expect(readOidcConfig({ ...BASE_ENV, OIDC_CLIENT_SECRET: "" })).toBeNull();
    const on = readOidcConfig(BASE_ENV);
    expect(on).toMatchObject({ issuer: "https://idp.example.com/realms/zf", clientId: "dashboard", clientSecret: "s3cret", name: "SSO", autoProvisionRole: null, adminContact: null });
    expect(on?.roleMap.size).toBe(0);
  });

  it("always asks for openid email profile, plus OIDC_SCOPES once each", () => {
    expect(config().scope.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    const scopes = config({ OIDC_SCOPES: "groups, offline_access  openid" }).scope.split(" ");
    expect(scopes.slice(0, 3)).toEqual(["openid", "email", "profile"]);
    expect(scopes.sort()).toEqual(["email", "groups", "offline_access", "openid", "profile"]);
  });

  it("parses OIDC_ROLE_MAP with spaces around pairs and '='", () => {
    const map = config({ OIDC_ROLE_MAP: "a=manager, b = staff" }).roleMap;
    expect([...map.entries()]).toEqual([
      ["a", "manager"],
      ["b", "staff"],
    ]);
  });

  it("stops on an OIDC_ROLE_MAP with a wrong role or a malformed pair", () => {
    expect(() => config({ OIDC_ROLE_MAP: "a=admin" })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => config({ OIDC_ROLE_MAP: "a=manager, b" })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => config({ OIDC_ROLE_MAP: "=manager" })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => config({ OIDC_ROLE_MAP: "a=" })).toThrow(/OIDC_ROLE_MAP/);
  });

  it("stops on an unknown OIDC_AUTO_PROVISION_ROLE and accepts a known one", () => {
    expect(() => config({ OIDC_AUTO_PROVISION_ROLE: "admin" })).toThrow(/OIDC_AUTO_PROVISION_ROLE/);
    expect(config({ OIDC_AUTO_PROVISION_ROLE: " support " }).autoProvisionRole).toBe("support");
  });

  it("reads the role claim from groups unless OIDC_ROLE_CLAIM says otherwise", () => {
    expect(config().roleClaim).toBe("groups");
    expect(config({ OIDC_ROLE_CLAIM: "  " }).roleClaim).toBe("groups");
    expect(config({ OIDC_ROLE_CLAIM: "roles" }).roleClaim).toBe("roles");
  });

  it("reads OIDC_ADMIN_CONTACT, trimmed, null when blank", () => {
    expect(config({ OIDC_ADMIN_CONTACT: " it@zf.example " }).adminContact).toBe("it@zf.example");
    expect(config({ OIDC_ADMIN_CONTACT: "  " }).adminContact).toBeNull();
  });
});

describe("identityFromClaims", () => {
  const c = config();

  it("counts the e-mail as verified only when the token explicitly says so", () => {
    const base = { sub: "u1", email: "a@example.com" };
    expect(identityFromClaims(c, base).emailVerified).toBe(false);
    expect(identityFromClaims(c, { ...base, email_verified: false }).emailVerified).toBe(false);
    expect(identityFromClaims(c, { ...base, email_verified: "false" }).emailVerified).toBe(false);
    expect(identityFromClaims(c, { ...base, email_verified: 1 }).emailVerified).toBe(false);
    expect(identityFromClaims(c, { ...base, email_verified: true }).emailVerified).toBe(true);
    expect(identityFromClaims(c, { ...base, email_verified: "true" }).emailVerified).toBe(true);
  });

  it("lowercases and trims the e-mail, and drops one without @", () => {
    const identity = identityFromClaims(c, { sub: "u1", email: " Erika.Muster@Example.COM " });
    expect(identity).toMatchObject({ email: "erika.muster@example.com", subject: "u1", issuer: "https://idp.example.com/realms/zf" });
    expect(identityFromClaims(c, { sub: "u1", email: "not-an-email" }).email).toBeNull();
    expect(identityFromClaims(c, { sub: "u1", email: 42 }).email).toBeNull();
  });

  it("reads the role claim as a string or a list, ignoring non-strings", () => {
    expect(identityFromClaims(c, { sub: "u1", groups: "zf-managers" }).directoryValues).toEqual(["zf-managers"]);
    expect(identityFromClaims(c, { sub: "u1", groups: ["zf-staff", 7, "zf-managers", null] }).directoryValues).toEqual(["zf-staff", "zf-managers"]);
    expect(identityFromClaims(c, { sub: "u1" }).directoryValues).toEqual([]);
    const roles = config({ OIDC_ROLE_CLAIM: "roles" });
    expect(identityFromClaims(roles, { sub: "u1", roles: ["x"], groups: ["y"] }).directoryValues).toEqual(["x"]);
  });

  it("takes the name from name, then preferred_username, then the e-mail", () => {
    expect(identityFromClaims(c, { sub: "u1", name: " Erika ", preferred_username: "emu", email: "e@example.com" }).name).toBe("Erika");
    expect(identityFromClaims(c, { sub: "u1", name: "  ", preferred_username: "emu", email: "e@example.com" }).name).toBe("emu");
    expect(identityFromClaims(c, { sub: "u1", email: "E@Example.com" }).name).toBe("e@example.com");
    expect(identityFromClaims(c, { sub: "u1" }).name).toBe("");
  });
});

describe("mappedRole", () => {
  const c = config({ OIDC_ROLE_MAP: "zf-support=support, zf-staff=staff, zf-managers=manager" });

  it("is the highest role any of several values maps to", () => {
    expect(mappedRole(c, ["zf-support", "zf-managers", "zf-staff"])).toBe("manager");
    expect(mappedRole(c, ["zf-staff", "zf-support"])).toBe("staff");
    expect(mappedRole(c, ["other", "zf-support"])).toBe("support");
  });

  it("is null when no value maps (or there is no map)", () => {
    expect(mappedRole(c, ["other", "ZF-MANAGERS"])).toBeNull();
    expect(mappedRole(c, [])).toBeNull();
    expect(mappedRole(config(), ["zf-managers"])).toBeNull();
  });
});

describe.each(testDatabases())("resolveSsoSignIn on $name", ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  let n = 0;
  /** A fresh e-mail and subject per call, so tests sharing the database never meet. */
  function person(prefix: string) {
    n++;
    return { email: `${prefix}-${n}@example.com`, sub: `sub-${prefix}-${n}` };
  }

  function identity(c: OidcConfig, claims: Record<string, unknown>): SsoIdentity {
    return identityFromClaims(c, claims);
  }

  async function row(email: string) {
    const [found] = await handle.db.select().from(staffAccounts).where(eq(staffAccounts.email, email));
    return found;
  }

  async function auditRows(action: string, targetId: string) {
    return handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));
  }

  it("refuses an unverified or not-said-verified e-mail even when an SSO account has it", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "staff" });
    const p = person("unverified");
    const existing = (await createStaffAccount(handle.db, { email: p.email, name: "U", role: "staff", authProvider: "oidc" }))!;
    expect(existing).not.toBeNull();
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email }))).toEqual({ ok: false, reason: "unverified_email" });
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: false }))).toEqual({ ok: false, reason: "unverified_email" });
    // Nothing was bound or created.
    expect((await row(p.email)).ssoSubject).toBeNull();
    const q = person("unverified-new");
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: q.sub, email: q.email }))).toEqual({ ok: false, reason: "unverified_email" });
    expect(await findStaffByEmail(handle.db, q.email)).toBeNull();
  });

  it("refuses an unknown verified e-mail with neither auto-provisioning nor a role map", async () => {
    const c = config();
    const p = person("unknown");
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true }))).toEqual({ ok: false, reason: "no_account" });
    expect(await findStaffByEmail(handle.db, p.email)).toBeNull();
  });

  it("creates an unknown verified e-mail with OIDC_AUTO_PROVISION_ROLE, bound, found by subject later even with a changed e-mail", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "support" });
    const p = person("provisioned");
    const first = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, name: "Paula" }));
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(first.account).toMatchObject({ email: p.email, name: "Paula", role: "support", authProvider: "oidc", ssoSubject: `https://idp.example.com/realms/zf|${p.sub}` });
    expect(first.account).not.toHaveProperty("passwordHash");
    expect((await row(p.email)).passwordHash).toBeNull();
    expect(await auditRows("staff.create", first.account.id)).toHaveLength(1);

    const again = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: `renamed-${p.email}`, email_verified: false }));
    expect(again).toMatchObject({ ok: true, account: { id: first.account.id, email: p.email } });
    expect(await findStaffByEmail(handle.db, `renamed-${p.email}`)).toBeNull();
    expect((await findSsoAccount(handle.db, c, p.sub))?.id).toBe(first.account.id);
  });

  it("refuses a password account no manager released", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "staff" });
    const p = person("password");
    await createStaffAccount(handle.db, { email: p.email, name: "Pw", role: "manager", password: "alt-geheim-1" });
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true }))).toEqual({ ok: false, reason: "password_account" });
    const stored = await row(p.email);
    expect(stored).toMatchObject({ authProvider: "credentials", ssoSubject: null });
    expect(await verifyStaffCredentials(handle.db, p.email, "alt-geheim-1")).not.toBeNull();
  });

  it("takes over a released password account: bound, password gone, oidc, audited", async () => {
    const c = config();
    const p = person("takeover");
    const account = (await createStaffAccount(handle.db, { email: p.email, name: "Tk", role: "manager", password: "alt-geheim-2" }))!;
    await handle.db.update(staffAccounts).set({ ssoTakeoverAllowed: true }).where(eq(staffAccounts.id, account.id));

    const result = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true }));
    expect(result).toMatchObject({ ok: true, account: { id: account.id, role: "manager", authProvider: "oidc", ssoSubject: `${c.issuer}|${p.sub}`, ssoTakeoverAllowed: false } });
    const stored = await row(p.email);
    expect(stored.passwordHash).toBeNull();
    expect(stored.authProvider).toBe("oidc");
    expect(await verifyStaffCredentials(handle.db, p.email, "alt-geheim-2")).toBeNull();
    const audits = await auditRows("staff.bindSso", account.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: null, targetType: "staff", outcome: "ok", details: { email: p.email } });
  });

  it("refuses a different subject for an e-mail already bound to another one", async () => {
    const c = config();
    const p = person("bound");
    await createStaffAccount(handle.db, { email: p.email, name: "B", role: "staff", authProvider: "oidc" });
    const first = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true }));
    expect(first.ok).toBe(true);
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: `${p.sub}-other`, email: p.email, email_verified: true }))).toEqual({ ok: false, reason: "password_account" });
    expect((await row(p.email)).ssoSubject).toBe(`${c.issuer}|${p.sub}`);
  });

  it("refuses a disabled account, unbound or bound", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "staff" });
    const unbound = person("disabled-unbound");
    const a = (await createStaffAccount(handle.db, { email: unbound.email, name: "D", role: "staff", authProvider: "oidc" }))!;
    await handle.db.update(staffAccounts).set({ disabledAt: new Date() }).where(eq(staffAccounts.id, a.id));
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: unbound.sub, email: unbound.email, email_verified: true }))).toEqual({ ok: false, reason: "disabled" });
    expect((await row(unbound.email)).ssoSubject).toBeNull();

    const bound = person("disabled-bound");
    const first = await resolveSsoSignIn(handle.db, c, identity(c, { sub: bound.sub, email: bound.email, email_verified: true }));
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    await handle.db.update(staffAccounts).set({ disabledAt: new Date() }).where(eq(staffAccounts.id, first.account.id));
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: bound.sub, email: bound.email, email_verified: true }))).toEqual({ ok: false, reason: "disabled" });
  });

  it("with a role map, creates a manager for an unknown person in zf-managers and demotes them to OIDC_AUTO_PROVISION_ROLE without the group", async () => {
    const c = config({ OIDC_ROLE_MAP: "zf-managers=manager", OIDC_AUTO_PROVISION_ROLE: "support" });
    const p = person("mapped");
    const first = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: ["zf-managers"] }));
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(first.account).toMatchObject({ role: "manager", authProvider: "oidc" });

    const second = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: ["elsewhere"] }));
    expect(second).toMatchObject({ ok: true, account: { id: first.account.id, role: "support" } });
    expect((await row(p.email)).role).toBe("support");
    const audits = await auditRows("staff.role", first.account.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].details).toMatchObject({ role: "support", previousRole: "manager", via: "sso" });

    // Back in the group: promoted again, audited again; same role: no further audit row.
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: "zf-managers" }))).toMatchObject({ ok: true, account: { role: "manager" } });
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: "zf-managers" }))).toMatchObject({ ok: true, account: { role: "manager" } });
    expect(await auditRows("staff.role", first.account.id)).toHaveLength(2);
  });

  it("with a role map and no OIDC_AUTO_PROVISION_ROLE, refuses a known person who left the group with no_role (and an unknown one with no_account)", async () => {
    const c = config({ OIDC_ROLE_MAP: "zf-managers=manager" });
    const p = person("norole");
    const first = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: ["zf-managers"] }));
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(first.account.role).toBe("manager");
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email, email_verified: true, groups: [] }))).toEqual({ ok: false, reason: "no_role" });
    expect((await row(p.email)).role).toBe("manager");

    const q = person("norole-unknown");
    expect(await resolveSsoSignIn(handle.db, c, identity(c, { sub: q.sub, email: q.email, email_verified: true }))).toEqual({ ok: false, reason: "no_account" });
    expect(await findStaffByEmail(handle.db, q.email)).toBeNull();
  });

  it("binds a manager-created SSO account (no password) at the first verified sign-in, without a takeover audit", async () => {
    const c = config();
    const p = person("added");
    const added = (await createStaffAccount(handle.db, { email: p.email, name: "Added", role: "staff", authProvider: "oidc" }))!;
    const result = await resolveSsoSignIn(handle.db, c, identity(c, { sub: p.sub, email: p.email.toUpperCase(), email_verified: true }));
    expect(result).toMatchObject({ ok: true, account: { id: added.id, role: "staff", authProvider: "oidc", ssoSubject: `${c.issuer}|${p.sub}` } });
    expect((await findSsoAccount(handle.db, c, p.sub))?.id).toBe(added.id);
    expect(await auditRows("staff.bindSso", added.id)).toHaveLength(0);
  });

  const ROUNDS = 10;

  it("makes exactly one account when the same new identity signs in several times in parallel", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "staff" });
    for (let round = 0; round < ROUNDS; round++) {
      const p = person("parallel");
      const id = identity(c, { sub: p.sub, email: p.email, email_verified: true });
      await Promise.all([resolveSsoSignIn(handle.db, c, id), resolveSsoSignIn(handle.db, c, id), resolveSsoSignIn(handle.db, c, id)]);
      const rows = await handle.db.select().from(staffAccounts).where(eq(staffAccounts.email, p.email));
      expect(rows).toHaveLength(1);
      expect(rows[0].ssoSubject).toBe(`${c.issuer}|${p.sub}`);
      expect(await auditRows("staff.create", rows[0].id)).toHaveLength(1);
    }
  });

  it("lets every one of several parallel first sign-ins of a new identity in, as that one account", async () => {
    const c = config({ OIDC_AUTO_PROVISION_ROLE: "staff" });
    for (let round = 0; round < ROUNDS; round++) {
      const p = person("parallel-ok");
      const id = identity(c, { sub: p.sub, email: p.email, email_verified: true });
      const results = await Promise.all([resolveSsoSignIn(handle.db, c, id), resolveSsoSignIn(handle.db, c, id), resolveSsoSignIn(handle.db, c, id)]);
      const [row] = await handle.db.select().from(staffAccounts).where(eq(staffAccounts.email, p.email));
      expect(results.map((r) => (r.ok ? r.account.id : r.reason))).toEqual([row.id, row.id, row.id]);
    }
  });

  it("lets both of two racing first sign-ins into an existing SSO account, binding it once", async () => {
    const c = config();
    for (let round = 0; round < ROUNDS; round++) {
      const p = person("parallel-bind");
      const added = (await createStaffAccount(handle.db, { email: p.email, name: "R", role: "staff", authProvider: "oidc" }))!;
      const id = identity(c, { sub: p.sub, email: p.email, email_verified: true });
      const results = await Promise.all([resolveSsoSignIn(handle.db, c, id), resolveSsoSignIn(handle.db, c, id)]);
      expect(results.map((r) => (r.ok ? r.account.id : r.reason))).toEqual([added.id, added.id]);
      expect((await row(p.email)).ssoSubject).toBe(`${c.issuer}|${p.sub}`);
    }
  });
});

describe("endSessionUrl", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** An issuer at a local port whose discovery document is `discovery(base)`. */
  async function issuer(discovery: (base: string) => Record<string, unknown>): Promise<string> {
    const s = createServer((req, res) => {
      if (req.url === "/realms/zf/.well-known/openid-configuration") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(discovery(base)));
      } else {
        res.writeHead(404).end();
      }
    });
    server = s;
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}/realms/zf`;
    return base;
  }

  it("sends the browser to the provider's end-session endpoint with the hint, client and return address", async () => {
    const base = await issuer((b) => ({ issuer: b, end_session_endpoint: `${b}/protocol/openid-connect/logout?ui_locales=de` }));
    const c = readOidcConfig({ ...BASE_ENV, OIDC_ISSUER: `${base}/` })!;
    const href = await endSessionUrl(c, "id.token.value", "https://dash.example.com/login?signedOut=1");
    expect(href).not.toBeNull();
    const url = new URL(href!);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/protocol/openid-connect/logout`);
    expect(url.searchParams.get("ui_locales")).toBe("de");
    expect(url.searchParams.get("id_token_hint")).toBe("id.token.value");
    expect(url.searchParams.get("client_id")).toBe("dashboard");
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe("https://dash.example.com/login?signedOut=1");

    const withoutToken = new URL((await endSessionUrl(c, null, "https://dash.example.com/"))!);
    expect(withoutToken.searchParams.has("id_token_hint")).toBe(false);
    expect(withoutToken.searchParams.get("client_id")).toBe("dashboard");
  });

  it("is null when the discovery has no (or no http) end-session endpoint", async () => {
    const base = await issuer((b) => ({ issuer: b, authorization_endpoint: `${b}/auth` }));
    const c = readOidcConfig({ ...BASE_ENV, OIDC_ISSUER: base })!;
    expect(await endSessionUrl(c, "t", "https://dash.example.com/")).toBeNull();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const js = await issuer(() => ({ end_session_endpoint: "javascript:alert(1)" }));
    expect(await endSessionUrl(readOidcConfig({ ...BASE_ENV, OIDC_ISSUER: js })!, "t", "https://dash.example.com/")).toBeNull();
  });

  it("is null, quickly, when the issuer cannot be reached", async () => {
    // A port that was just free: nothing listens there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const c = readOidcConfig({ ...BASE_ENV, OIDC_ISSUER: `http://127.0.0.1:${port}/realms/zf` })!;
    const started = Date.now();
    expect(await endSessionUrl(c, "t", "https://dash.example.com/")).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
