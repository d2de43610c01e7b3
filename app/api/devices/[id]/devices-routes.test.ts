/**
 * The device route handlers called directly: who may register, edit, link, unlink and delete,
 * and that a registration shows up in the space index (search) at once.
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
const { refreshSpaceIndex } = await import("@/lib/spaces/index");
const { searchSpaces } = await import("@/lib/spaces/search");
const register = await import("../../spaces/[id]/devices/route");
const device = await import("./route");
const links = await import("./links/route");
const link = await import("./links/[spaceId]/route");

let sandbox: RunningSandbox;
let spaceId: string;
const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: `${role}-1`, email: `${role}@example.test`, name: role, role } : null;
};
const req = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Request("http://test/x", { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json", origin: "http://test", ...headers } });
const MELO = "DE00056266802ROUTETEST00000000001";
const draft = { kind: "external", deviceName: "Routenzähler", deviceMedium: "ELECTRICITY", deviceType: "SMART_METER", isMainDevice: false, excludedFromCost: false, meteringLocationId: MELO };

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, spaces: 20, readingDays: 1, seed: 9, quiet: true });
  current.db = await createDatabase({ dataDir: "memory://" });
  current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5 });
  await refreshSpaceIndex(current.db.db, current.client);
  spaceId = (await current.client.getAllSpaces()).find((s) => s.category === "FLAT")!.id;
});
afterAll(async () => {
  await current.db?.close();
  await sandbox?.close();
});

describe("device routes", () => {
  it("401 without a user; support may not register, edit or link; staff may not unlink or delete", async () => {
    as(null);
    expect((await device.GET(req("GET"), { params: Promise.resolve({ id: "x" }) })).status).toBe(401);
    as("support");
    expect((await register.POST(req("POST", draft, { "Idempotency-Key": "k" }), { params: Promise.resolve({ id: spaceId }) })).status).toBe(403);
    expect((await device.PATCH(req("PATCH", { spaceId, deviceName: "y" }), { params: Promise.resolve({ id: "x" }) })).status).toBe(403);
    expect((await links.POST(req("POST", { spaceId }), { params: Promise.resolve({ id: "x" }) })).status).toBe(403);
    as("staff");
    expect((await link.DELETE(req("DELETE"), { params: Promise.resolve({ id: "x", spaceId }) })).status).toBe(403);
    expect((await device.DELETE(req("DELETE"), { params: Promise.resolve({ id: "x" }) })).status).toBe(403);
  });

  it("a registration is idempotent, validated with the wizard's schema, and searchable by its MeLo at once", async () => {
    as("staff");
    const bad = await register.POST(req("POST", { ...draft, meteringLocationId: "DE123" }, { "Idempotency-Key": "k-bad" }), { params: Promise.resolve({ id: spaceId }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fieldErrors.meteringLocationId[0]).toBe("melo.length");
    sandbox.resetStats();
    const first = await (await register.POST(req("POST", draft, { "Idempotency-Key": "k-1" }), { params: Promise.resolve({ id: spaceId }) })).json();
    const again = await (await register.POST(req("POST", draft, { "Idempotency-Key": "k-1" }), { params: Promise.resolve({ id: spaceId }) })).json();
    expect(again.deviceId).toBe(first.deviceId);
    expect(sandbox.stats().requests.registerExternalDevice).toBe(1);
    const hits = await searchSpaces(current.db!.db, MELO);
    expect(hits[0]).toMatchObject({ space: { id: spaceId }, matched: { field: "externalId" } });
  });

  it("a manager deletes the device; it is gone upstream and from the index", async () => {
    as("staff");
    const { deviceId } = await (await register.POST(req("POST", { ...draft, deviceName: "Weg", meteringLocationId: undefined }, { "Idempotency-Key": "k-2" }), { params: Promise.resolve({ id: spaceId }) })).json();
    as("manager");
    expect((await device.DELETE(req("DELETE"), { params: Promise.resolve({ id: deviceId }) })).status).toBe(200);
    expect((await current.client!.getAllDevicesInSpace(spaceId)).some((d) => d.id === deviceId)).toBe(false);
    expect((await device.GET(req("GET"), { params: Promise.resolve({ id: deviceId }) })).status).toBe(404);
  });

  it("a second device with a MeLo the space already has is refused (409 device_exists), and nothing is sent", async () => {
    as("staff");
    sandbox.resetStats();
    const res = await register.POST(req("POST", { ...draft, deviceName: "Doppelt" }, { "Idempotency-Key": "k-dup" }), { params: Promise.resolve({ id: spaceId }) });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: "device_exists", deviceId: expect.any(String) });
    expect(sandbox.stats().requests.registerExternalDevice ?? 0).toBe(0);
  });

  it("a registration whose answer is lost is found upstream on the retry instead of being registered twice", async () => {
    as("staff");
    const patient = current.client!;
    const melo = "DE00056266802ROUTETEST00000000077";
    const lostDraft = { ...draft, deviceName: "Verlorener Zähler", meteringLocationId: melo };
    try {
      current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, timeoutMs: 300 });
      await current.client.getAllDevicesInSpace(spaceId); // token first
      // The device list before the write answers quickly; the registration itself outlives the timeout.
      sandbox.setFaults({ latencyMs: 0 });
      const slowRegistration = current.client;
      current.client = {
        ...slowRegistration,
        registerExternalDevice: (...args: Parameters<typeof slowRegistration.registerExternalDevice>) => {
          sandbox.setFaults({ latencyMs: 700 });
          return slowRegistration.registerExternalDevice(...args).finally(() => sandbox.setFaults({ latencyMs: 0 }));
        },
      };
      const lost = await register.POST(req("POST", lostDraft, { "Idempotency-Key": "k-lost" }), { params: Promise.resolve({ id: spaceId }) });
      expect(lost.status).toBe(409);
      expect((await lost.json()).error.code).toBe("outcome_unknown");
      sandbox.setFaults({ latencyMs: 0 });
      await new Promise((resolve) => setTimeout(resolve, 700));
      current.client = patient;
      const retry = await register.POST(req("POST", lostDraft, { "Idempotency-Key": "k-lost" }), { params: Promise.resolve({ id: spaceId }) });
      expect(retry.status).toBe(200);
      const upstream = (await patient.getAllDevicesInSpace(spaceId)).filter((d) => d.name === lostDraft.deviceName);
      expect(upstream).toHaveLength(1);
      expect((await retry.json()).deviceId).toBe(upstream[0].id);
    } finally {
      sandbox.setFaults({ latencyMs: 0 });
      current.client = patient;
    }
  });
});
