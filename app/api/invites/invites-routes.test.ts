/**
 * The invite and space-user route handlers called directly: permissions per role, idempotent
 * create, the 10-minute resend rule, acceptance through the sandbox, revoke. Session, database
 * and partner client are injected through vi.mock; the client talks to the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db";
import type { PartnerClient } from "@/lib/partner-api";
import type { RunningSandbox } from "@/sandbox/server";

const current: { user: SessionUser | null; db?: DatabaseHandle; client?: PartnerClient } = { user: null };

vi.mock("@/lib/auth/session", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/session")>();
  return { ...original, requirePermission: (p: Parameters<typeof original.authorize>[1]) => Promise.resolve(original.authorize(current.user, p)) };
});
vi.mock("@/lib/db", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/db")>()), getDb: () => Promise.resolve(current.db!.db) }));
vi.mock("@/lib/partner-api", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/partner-api")>()), getPartnerClient: () => current.client! }));

const { createDatabase } = await import("@/lib/db");
const { createPartnerClient } = await import("@/lib/partner-api");
const { CONFIG_DEFAULTS } = await import("@/lib/partner-api/config");
const { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } = await import("@/lib/partner-api/defaults");
const { startSandbox } = await import("@/sandbox/server");
const { rememberUsers } = await import("@/lib/spaces/index-writes");
const list = await import("./route");
const resend = await import("./[id]/resend/route");
const revoke = await import("./[id]/revoke/route");
const spaceInvites = await import("../spaces/[id]/invites/route");
const spaceUsers = await import("../spaces/[id]/users/route");
const spaceUser = await import("../spaces/[id]/users/[userId]/route");
const accessRoles = await import("../access-roles/route");

let sandbox: RunningSandbox;
let spaceId: string;
const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: `${role}-1`, email: `${role}@example.test`, name: role, role } : null;
};
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const get = (url: string) => new Request(`http://test${url}`);
const send = (method: string, url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://test${url}`, { method, body: JSON.stringify(body), headers: { "content-type": "application/json", origin: "http://test", ...headers } });
const outbox = async (to: string) => ((await (await fetch(`${sandbox.url}/__sandbox/outbox?to=${encodeURIComponent(to)}`)).json()) as { emails: { inviteLink: string }[] }).emails;
const invite = (email: string, key: string, sendEmail = true) =>
  spaceInvites.POST(send("POST", `/api/spaces/${spaceId}/invites`, { email, sendEmail }, { "Idempotency-Key": key }), ctx({ id: spaceId }));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, spaces: 30, readingDays: 1, seed: 7, quiet: true });
  current.db = await createDatabase({ dataDir: "memory://" });
  current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5 });
  spaceId = (await current.client.getAllSpaces()).find((s) => s.category === "FLAT")!.id;
});
afterAll(async () => {
  await current.db?.close();
  await sandbox?.close();
});

describe("permissions", () => {
  it("401 without a user on every handler", async () => {
    as(null);
    expect((await list.GET(get("/api/invites"), ctx())).status).toBe(401);
    expect((await accessRoles.GET(get("/api/access-roles"), ctx())).status).toBe(401);
    expect((await spaceInvites.GET(get("/api/spaces/x/invites"), ctx({ id: "x" }))).status).toBe(401);
    expect((await resend.POST(send("POST", "/api/invites/x/resend", {}), ctx({ id: "x" }))).status).toBe(401);
  });
  it("support may read but not invite or add users; staff may not resend, revoke or remove", async () => {
    as("support");
    expect((await list.GET(get("/api/invites"), ctx())).status).toBe(200);
    expect((await invite("a@example.de", "k-support")).status).toBe(403);
    expect((await spaceUsers.POST(send("POST", "/api/spaces/x/users", { userId: "u", accessRoleId: "r" }), ctx({ id: "x" }))).status).toBe(403);
    as("staff");
    expect((await resend.POST(send("POST", "/api/invites/x/resend", {}), ctx({ id: "x" }))).status).toBe(403);
    expect((await revoke.POST(send("POST", "/api/invites/x/revoke", {}), ctx({ id: "x" }))).status).toBe(403);
    expect((await spaceUser.DELETE(send("DELETE", "/api/spaces/x/users/u", {}), ctx({ id: "x", userId: "u" }))).status).toBe(403);
    expect((await spaceUsers.DELETE(send("DELETE", "/api/spaces/x/users", {}), ctx({ id: "x" }))).status).toBe(403);
  });
});

describe("ledger", () => {
  it("a double submit invites once; the e-mail is validated at the field", async () => {
    as("staff");
    const bad = await invite("not-an-email", "k-bad");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fieldErrors.email).toEqual(["email"]);

    sandbox.resetStats();
    const [a, b] = await Promise.all([invite("Kundin.Eins@Example.de", "k-1"), invite("Kundin.Eins@Example.de", "k-1")]);
    expect([a.status, b.status].sort()[0]).toBe(200);
    expect(sandbox.stats().requests.inviteUserToSpace).toBe(1);
    expect(await outbox("kundin.eins@example.de")).toHaveLength(1);
    const { invite: created } = await (a.status === 200 ? a : b).json();
    expect(created).toMatchObject({ email: "kundin.eins@example.de", status: "pending", sendCount: 1, createdBy: "staff@example.test" });
  });

  it("a resend within 10 minutes needs confirmation, then sends a second e-mail and counts it", async () => {
    as("manager");
    const { invites } = await (await spaceInvites.GET(get(`/api/spaces/${spaceId}/invites`), ctx({ id: spaceId }))).json();
    const id = invites[0].id;
    const early = await resend.POST(send("POST", `/api/invites/${id}/resend`, {}), ctx({ id }));
    expect(early.status).toBe(409);
    expect((await early.json()).error.code).toBe("recently_sent");
    const ok = await resend.POST(send("POST", `/api/invites/${id}/resend`, { confirmRecent: true }), ctx({ id }));
    expect(ok.status).toBe(200);
    expect((await ok.json()).invite.sendCount).toBe(2);
    expect(await outbox("kundin.eins@example.de")).toHaveLength(2);
    expect((await resend.POST(send("POST", "/api/invites/nope/resend", {}), ctx({ id: "nope" }))).status).toBe(404);
  });

  it("two resends at once: exactly one passes the 10-minute rule; an upstream failure gives the send back", async () => {
    as("manager");
    const { invites: rows } = await (await spaceInvites.GET(get(`/api/spaces/${spaceId}/invites`), ctx({ id: spaceId }))).json();
    const id = rows[0].id;
    const before = (await outbox("kundin.eins@example.de")).length;
    const { invites: table } = await import("@/lib/db/schema");
    const { eq } = await import("drizzle-orm");
    await current.db!.db.update(table).set({ lastSentAt: new Date(Date.now() - 20 * 60_000) }).where(eq(table.id, id));
    const racing = await Promise.all([1, 2].map(() => resend.POST(send("POST", `/api/invites/${id}/resend`, {}), ctx({ id }))));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await outbox("kundin.eins@example.de")).toHaveLength(before + 1);

    sandbox.setFaults({ failNext: { status: 503, count: 1, operations: ["inviteUserToSpace"] } });
    const failed = await resend.POST(send("POST", `/api/invites/${id}/resend`, { confirmRecent: true }), ctx({ id }));
    sandbox.setFaults({ failNext: null });
    expect(failed.status).toBe(503);
    const after = (await (await spaceInvites.GET(get(`/api/spaces/${spaceId}/invites`), ctx({ id: spaceId }))).json()).invites[0];
    expect(after.sendCount).toBe(3);
  });

  it("turns accepted once the e-mail appears among the space's users; a link-only invite sends nothing", async () => {
    as("staff");
    const linkOnly = await (await invite("nur.link@example.de", "k-link", false)).json();
    expect(linkOnly.invite).toMatchObject({ sendCount: 0, lastSentAt: null, link: expect.stringContaining("/__sandbox/invites/") });
    expect(await outbox("nur.link@example.de")).toHaveLength(0);

    const [mail] = await outbox("kundin.eins@example.de");
    await fetch(`${mail.inviteLink}/accept`, { method: "POST", headers: { "content-type": "application/json", origin: "http://test" }, body: "{}" });
    await rememberUsers(current.db!.db, spaceId, await current.client!.getAllUsersInSpace(spaceId));
    const page = await (await list.GET(get(`/api/invites?spaceId=${spaceId}&sort=email&dir=asc`), ctx())).json();
    expect(page.invites.map((i: { email: string; status: string }) => [i.email, i.status])).toEqual([
      ["kundin.eins@example.de", "accepted"],
      ["nur.link@example.de", "pending"],
    ]);
    expect((await (await list.GET(get("/api/invites?status=pending&q=LINK"), ctx())).json()).invites).toHaveLength(1);
  });

  it("a manager revokes and may remove the user who already joined", async () => {
    as("manager");
    const { invites } = await (await list.GET(get(`/api/invites?spaceId=${spaceId}&status=accepted`), ctx())).json();
    const res = await revoke.POST(send("POST", `/api/invites/${invites[0].id}/revoke`, { removeUser: true }), ctx({ id: invites[0].id }));
    expect((await res.json()).invite.status).toBe("revoked");
    const users = await current.client!.getAllUsersInSpace(spaceId);
    expect(users.some((u) => u.email.toLowerCase() === "kundin.eins@example.de")).toBe(false);
  });
});
