/**
 * The spaces route handlers called directly: permissions per role, status codes and bodies.
 * Session, database and partner client are injected through vi.mock; the client talks to the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
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
const spaces = await import("./route");
const tree = await import("./tree/route");
const treePath = await import("./tree/path/route");
const search = await import("./search/route");
const index = await import("./index/route");
const detail = await import("./[id]/route");
const activity = await import("./[id]/activity/route");

let sandbox: RunningSandbox;
const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: `${role}-1`, email: `${role}@example.test`, name: role, role } : null;
};
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const get = (url: string) => new Request(`http://test${url}`);
const send = (method: string, url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://test${url}`, { method, body: JSON.stringify(body), headers: { "content-type": "application/json", origin: "http://test", ...headers } });
const newSpace = { name: "Route Haus", addressLineOne: "Lindenstraße 1", postcode: "10115", city: "Berlin", category: "APARTMENT_BUILDING" };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, spaces: 60, readingDays: 1, seed: 5, quiet: true });
  current.db = await createDatabase({ dataDir: "memory://" });
  current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5 });
});
afterAll(async () => {
  await current.db?.close();
  await sandbox?.close();
});

describe("permissions", () => {
  it("401 without a user", async () => {
    as(null);
    expect((await tree.GET(get("/api/spaces/tree"), ctx())).status).toBe(401);
  });
  it("support may read but not create, edit or delete; staff may not delete", async () => {
    as("support");
    expect((await tree.GET(get("/api/spaces/tree?parent=root"), ctx())).status).toBe(200);
    expect((await index.POST(new Request("http://test/api/spaces/index", { method: "POST", headers: { origin: "http://test", "content-type": "application/json" } }), ctx())).status).toBe(200);
    expect((await spaces.POST(send("POST", "/api/spaces", newSpace, { "Idempotency-Key": "k" }), ctx())).status).toBe(403);
    expect((await detail.PATCH(send("PATCH", "/api/spaces/x", { name: "y" }), ctx({ id: "x" }))).status).toBe(403);
    expect((await detail.DELETE(send("DELETE", "/api/spaces/x", { confirmName: "y" }), ctx({ id: "x" }))).status).toBe(403);
    as("staff");
    expect((await detail.DELETE(send("DELETE", "/api/spaces/x", { confirmName: "y" }), ctx({ id: "x" }))).status).toBe(403);
  });
});

describe("handlers", () => {
  it("tree, path, search (with Server-Timing) and index status answer the shared types", async () => {
    as("support");
    const root = await (await tree.GET(get("/api/spaces/tree?parent=root"), ctx())).json();
    expect(root.nodes.length).toBeGreaterThan(0);
    expect(root.nodes[0]).toMatchObject({ category: "REGION", placement: "root" });
    const children = await (await tree.GET(get(`/api/spaces/tree?parent=${root.nodes[0].id}`), ctx())).json();
    const child = children.nodes[0];
    expect((await (await treePath.GET(get(`/api/spaces/tree/path?id=${child.id}`), ctx())).json()).ancestors).toEqual([
      { id: root.nodes[0].id, name: root.nodes[0].name, category: "REGION" },
    ]);
    expect((await treePath.GET(get("/api/spaces/tree/path?id=unknown"), ctx())).status).toBe(404);

    const res = await search.GET(get(`/api/spaces/search?q=${encodeURIComponent(child.name)}`), ctx());
    expect(res.headers.get("Server-Timing")).toMatch(/^search;dur=[\d.]+$/);
    const body = await res.json();
    expect(body.hits[0].space.id).toBe(child.id);
    expect((await search.GET(get("/api/spaces/search?q="), ctx())).status).toBe(400);

    const status = await (await index.GET(get("/api/spaces/index"), ctx())).json();
    // "refreshing" while the refresh that support's POST started above still runs.
    expect(["ready", "refreshing"]).toContain(status.state);
    expect(status.spaces).toBeGreaterThan(root.nodes.length);
  });

  it("detail: index data plus live devices; upstream failure still 200 with devices null; unknown id 404", async () => {
    as("support");
    const flat = (await current.client!.getAllSpaces()).find((s) => s.category === "FLAT")!;
    const ok = await (await detail.GET(get(`/api/spaces/${flat.id}`), ctx({ id: flat.id }))).json();
    expect(ok).toMatchObject({ space: { id: flat.id }, upstreamError: null });
    expect(Array.isArray(ok.devices)).toBe(true);
    expect(ok.ancestors.length).toBe(2);

    sandbox.setFaults({ failNext: { status: 503, count: 50, operations: ["getDevicesInSpace", "getUsersInSpace"] } });
    const degraded = await detail.GET(get(`/api/spaces/${flat.id}`), ctx({ id: flat.id }));
    sandbox.setFaults({ failNext: null });
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toMatchObject({ devices: null, users: null, upstreamError: expect.any(String) });

    const missing = await detail.GET(get("/api/spaces/nope"), ctx({ id: "nope" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("create needs an Idempotency-Key and makes one space for a double submit; PATCH and DELETE validate", async () => {
    as("staff");
    expect((await spaces.POST(send("POST", "/api/spaces", newSpace), ctx())).status).toBe(400);
    const invalid = await spaces.POST(send("POST", "/api/spaces", { ...newSpace, name: "" }, { "Idempotency-Key": "k-bad" }), ctx());
    expect(await invalid.json()).toMatchObject({ error: { fieldErrors: { name: ["required"] } } });

    sandbox.resetStats();
    const [a, b] = await Promise.all([1, 2].map(() => spaces.POST(send("POST", "/api/spaces", newSpace, { "Idempotency-Key": "k-1" }), ctx())));
    const statuses = [a.status, b.status].sort();
    // The second either replays (200) or finds the first still running (409 in_progress): never a second space.
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    expect(sandbox.stats().requests.createSpace).toBe(1);
    const { space } = await (a.status === 200 ? a : b).json();

    const self = await detail.PATCH(send("PATCH", `/api/spaces/${space.id}`, { parentSpaceId: space.id }), ctx({ id: space.id }));
    expect(self.status).toBe(400);
    expect(await self.json()).toMatchObject({ error: { fieldErrors: { parentSpaceId: ["cycle"] } } });

    as("manager");
    const wrongName = await detail.DELETE(send("DELETE", `/api/spaces/${space.id}`, { confirmName: "x" }), ctx({ id: space.id }));
    expect(wrongName.status).toBe(400);
    const deleted = await detail.DELETE(send("DELETE", `/api/spaces/${space.id}`, { confirmName: newSpace.name }), ctx({ id: space.id }));
    expect(deleted.status).toBe(200);

    const region = (await current.client!.getAllSpaces()).find((s) => s.category === "REGION")!;
    const conflict = await detail.DELETE(send("DELETE", `/api/spaces/${region.id}`, { confirmName: region.name }), ctx({ id: region.id }));
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error).toMatchObject({ code: "space_has_children", message: expect.stringMatching(/sub-spaces/) });
  });

  it("activity: managers read a space's audit rows newest first, including failed writes; others get 403", async () => {
    as("staff");
    const target = (await current.client!.getAllSpaces()).find((s) => s.category === "FLAT")!;
    await detail.PATCH(send("PATCH", `/api/spaces/${target.id}`, { name: `${target.name} (neu)` }), ctx({ id: target.id }));
    sandbox.setFaults({ failNext: { status: 500, count: 1, operations: ["updateSpace"] } });
    expect((await detail.PATCH(send("PATCH", `/api/spaces/${target.id}`, { name: "Fehlschlag" }), ctx({ id: target.id }))).status).toBe(503);
    sandbox.setFaults({ failNext: null });
    const url = `/api/spaces/${target.id}/activity`;
    expect((await activity.GET(get(url), ctx({ id: target.id }))).status).toBe(403);
    as("support");
    expect((await activity.GET(get(url), ctx({ id: target.id }))).status).toBe(403);
    as("manager");
    const page = await (await activity.GET(get(url), ctx({ id: target.id }))).json();
    expect(page.entries.map((e: { action: string; outcome: string }) => [e.action, e.outcome])).toEqual([
      ["space.update", "error"],
      ["space.update", "ok"],
    ]);
    expect(page.entries[0]).toMatchObject({ actor: "staff@example.test", errorMessage: expect.any(String) });
    expect(page.nextBefore).toBeNull();
    expect((await activity.GET(get(`${url}?before=abc`), ctx({ id: target.id }))).status).toBe(400);
  });
});

describe("hardening (issue 10)", () => {
  const upstreamSpacesNamed = async (name: string) => (await current.client!.getAllSpaces()).filter((s) => s.name === name);

  it("a NUL in the name, sent twice with one key, is refused at the field both times and nothing reaches upstream", async () => {
    as("staff");
    sandbox.resetStats();
    for (let i = 0; i < 2; i++) {
      const res = await spaces.POST(send("POST", "/api/spaces", { ...newSpace, name: "x\u0000y" }, { "Idempotency-Key": "k-nul" }), ctx());
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_input", fieldErrors: { name: ["control"] }, errorId: expect.any(String) } });
    }
    const lone = await spaces.POST(send("POST", "/api/spaces", { ...newSpace, city: "Berlin\ud800" }, { "Idempotency-Key": "k-sur" }), ctx());
    expect(lone.status).toBe(400);
    expect(sandbox.stats().requests.createSpace ?? 0).toBe(0);
  });

  it("ids are checked for shape and length before any lookup", async () => {
    as("support");
    for (const id of ["\u0000", "a".repeat(1_000_000), "../x", "a/b"]) {
      const res = await detail.GET(get("/api/spaces/x"), ctx({ id }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { fieldErrors: { id: ["invalidId"] } } });
    }
    expect((await treePath.GET(get(`/api/spaces/tree/path?id=${"a".repeat(2_000)}`), ctx())).status).toBe(400);
    expect((await tree.GET(get("/api/spaces/tree?parent=%00"), ctx())).status).toBe(400);
  });

  it("a write from another origin or as text/plain is refused with 403 and not carried out", async () => {
    as("staff");
    sandbox.resetStats();
    const body = JSON.stringify({ ...newSpace, name: "CSRF Haus" });
    const attempts: Record<string, string>[] = [
      { origin: "http://evil.example", "content-type": "application/json" },
      { origin: "null", "content-type": "application/json" },
      { "content-type": "application/json" },
      { origin: "http://test", "content-type": "text/plain" },
    ];
    for (const [i, headers] of attempts.entries()) {
      const res = await spaces.POST(new Request("http://test/api/spaces", { method: "POST", body, headers: { ...headers, "Idempotency-Key": `k-csrf-${i}` } }), ctx());
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe("cross_site_refused");
    }
    expect(sandbox.stats().requests.createSpace ?? 0).toBe(0);
    expect(await upstreamSpacesNamed("CSRF Haus")).toHaveLength(0);
  });

  it("a failure after the upstream write (audit and index both refusing) still answers 200 with the space, and a retry makes no second one", async () => {
    as("staff");
    const db = current.db!.db;
    await db.execute(sql`create or replace function zf_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`);
    await db.execute(sql`create trigger zf_refuse_audit before insert on audit_log for each row execute function zf_test_refuse()`);
    await db.execute(sql`create trigger zf_refuse_index before insert on space_index for each row execute function zf_test_refuse()`);
    const input = { ...newSpace, name: "Nach dem Schreiben" };
    let first: Response;
    try {
      first = await spaces.POST(send("POST", "/api/spaces", input, { "Idempotency-Key": "k-after" }), ctx());
    } finally {
      await db.execute(sql`drop trigger zf_refuse_audit on audit_log`);
      await db.execute(sql`drop trigger zf_refuse_index on space_index`);
    }
    expect(first.status).toBe(200);
    const { space } = await first.json();
    expect(space).toMatchObject({ name: input.name });
    const again = await spaces.POST(send("POST", "/api/spaces", input, { "Idempotency-Key": "k-after" }), ctx());
    expect(again.status).toBe(200);
    expect((await again.json()).space.id).toBe(space.id);
    expect(await upstreamSpacesNamed(input.name)).toHaveLength(1);
  });

  it("an answer lost after sending is reconciled: the retry finds the space upstream instead of creating a second", async () => {
    as("staff");
    const patient = current.client!;
    // The dashboard gives up after 300 ms; the sandbox answers after 700 ms (and creates the space then).
    current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, timeoutMs: 300 });
    const input = { ...newSpace, name: "Verlorene Antwort" };
    try {
      await current.client.getSpaces(); // token first, so only the create times out
      sandbox.setFaults({ latencyMs: 700 });
      const lost = await spaces.POST(send("POST", "/api/spaces", input, { "Idempotency-Key": "k-lost" }), ctx());
      expect(lost.status).toBe(409);
      expect(await lost.json()).toMatchObject({ error: { code: "outcome_unknown", retryAfterMs: expect.any(Number) } });
      sandbox.setFaults({ latencyMs: 0 });
      await new Promise((resolve) => setTimeout(resolve, 600)); // upstream finishes its work
      current.client = patient;
      const retry = await spaces.POST(send("POST", "/api/spaces", input, { "Idempotency-Key": "k-lost" }), ctx());
      expect(retry.status).toBe(200);
      const created = await upstreamSpacesNamed(input.name);
      expect(created).toHaveLength(1);
      expect((await retry.json()).space.id).toBe(created[0].id);
      // And the key now replays.
      expect((await (await spaces.POST(send("POST", "/api/spaces", input, { "Idempotency-Key": "k-lost" }), ctx())).json()).space.id).toBe(created[0].id);
    } finally {
      sandbox.setFaults({ latencyMs: 0 });
      current.client = patient;
    }
  });

  it("raw database errors never reach the caller: the body has a safe message and an error id", async () => {
    as("support");
    const db = current.db!.db;
    await db.execute(sql`alter table space_index rename to space_index_gone`);
    let res: Response;
    try {
      res = await tree.GET(get("/api/spaces/tree?parent=root"), ctx());
    } finally {
      await db.execute(sql`alter table space_index_gone rename to space_index`);
    }
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "internal", errorId: expect.stringMatching(/^[0-9a-f]{8}$/) } });
    expect(text).not.toMatch(/select|space_index|relation/i);
  });
});
