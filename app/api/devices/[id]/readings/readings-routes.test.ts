/**
 * The readings route handlers called directly against the sandbox: permissions, the series,
 * and manual entry with its plausibility confirmation. Session, database and client via vi.mock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db";
import type { Device, PartnerClient } from "@/lib/partner-api";
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
const { refreshSpaceIndex, rememberDevices } = await import("@/lib/spaces/index");
const readings = await import("./route");

let sandbox: RunningSandbox;
let meter: Device;
const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: `${role}-1`, email: `${role}@example.test`, name: role, role } : null;
};
const ctx = () => ({ params: Promise.resolve({ id: meter.id }) });
const now = Math.floor(Date.now() / 1000);
const series = () => {
  const q = new URLSearchParams({ measurement: "METER_READING", resolution: "1_HOUR", start: new Date((now - 2 * 86_400) * 1000).toISOString(), end: new Date((now + 3_600) * 1000).toISOString() });
  return readings.GET(new Request(`http://test/api/devices/${meter.id}/readings?${q}`), ctx());
};
const post = (body: unknown) => readings.POST(new Request(`http://test/api/devices/${meter.id}/readings`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", origin: "http://test" } }), ctx());

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, spaces: 20, readingDays: 2, seed: 3, quiet: true });
  current.db = await createDatabase({ dataDir: "memory://" });
  current.client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5 });
  await refreshSpaceIndex(current.db.db, current.client);
  const flat = (await current.client.getAllSpaces()).find((s) => s.category === "FLAT")!;
  const devices = await current.client.getAllDevicesInSpace(flat.id);
  await rememberDevices(current.db.db, flat.id, devices);
  meter = devices.find((d) => d.isMainDevice && d.medium === "ELECTRICITY")!;
});
afterAll(async () => {
  await current.db?.close();
  await sandbox?.close();
});

describe("readings routes", () => {
  it("401 without a user; support reads the series but may not store", async () => {
    as(null);
    expect((await series()).status).toBe(401);
    as("support");
    const res = await series();
    expect(res.status).toBe(200);
    expect((await res.json()).points.length).toBeGreaterThan(0);
    expect((await post({ readings: [{ obisCode: "1.8.0", timestamp: now, value: 1 }] })).status).toBe(403);
  });

  it("refuses a range too long for the resolution", async () => {
    as("support");
    const q = new URLSearchParams({ measurement: "POWER", resolution: "15_MIN", start: "2025-01-01T00:00:00Z", end: "2026-01-01T00:00:00Z" });
    expect((await readings.GET(new Request(`http://test/x?${q}`), ctx())).status).toBe(400);
  });

  it("stores a plausible reading, reads it back, and asks before storing one lower than the last", async () => {
    as("staff");
    const points = (await (await series()).json()).points as { value: number; direction: string }[];
    const last = points.filter((p) => p.direction === "IN").at(-1)!.value;

    const ok = await post({ readings: [{ obisCode: "1.8.0", timestamp: now - 60, value: last + 2 }] });
    expect(ok.status).toBe(200);
    const after = (await (await series()).json()).points as { value: number; direction: string }[];
    expect(after.filter((p) => p.direction === "IN").at(-1)!.value).toBe(last + 2);

    const lower = await post({ readings: [{ obisCode: "1.8.0", timestamp: now, value: last }] });
    expect(lower.status).toBe(409);
    expect((await lower.json()).error).toMatchObject({ code: "needs_confirmation", findings: [[{ code: "backwards", previous: last + 2 }]] });
    expect((await post({ readings: [{ obisCode: "1.8.0", timestamp: now, value: last }], confirmed: true })).status).toBe(200);
  });

  it("refuses a reading in the future and a code of another medium", async () => {
    as("staff");
    const future = await post({ readings: [{ obisCode: "1.9.0", timestamp: now + 7_200, value: 1 }], confirmed: true });
    expect(future.status).toBe(400);
    expect((await future.json()).error.fieldErrors["readings.0.timestamp"]).toEqual(["future"]);
    expect((await post({ readings: [{ obisCode: "8-1:1.0.0", timestamp: now - 10, value: 1 }], confirmed: true })).status).toBe(400);
  });

  it("a non-smart meter's reading is corrected in place (isReadingUpdate); a smart meter's cannot be", async () => {
    as("staff");
    expect((await post({ readings: [{ obisCode: "1.8.0", timestamp: now - 30, value: 1 }], confirmed: true, correction: true })).status).toBe(400);

    const flat = (await current.client!.getAllSpaces()).find((s) => s.category === "FLAT")!;
    const at = now - 86_400;
    const { deviceId } = await current.client!.registerNonSmartMeter(flat.id, {
      deviceName: "Handzähler",
      deviceMedium: "ELECTRICITY",
      deviceType: "NON_SMART_METER",
      isMainDevice: false,
      readingMeasurementTime: at,
      readingUnit: "KILO_WATT_HOUR",
      consumptionReadingValue: 500,
    });
    await rememberDevices(current.db!.db, flat.id, await current.client!.getAllDevicesInSpace(flat.id));
    const handCtx = () => ({ params: Promise.resolve({ id: deviceId }) });
    sandbox.resetStats();
    const res = await readings.POST(
      new Request("http://test/x", { method: "POST", body: JSON.stringify({ readings: [{ obisCode: "1.8.0", timestamp: at, value: 450 }], confirmed: true, correction: true }), headers: { "content-type": "application/json", origin: "http://test" } }),
      handCtx(),
    );
    expect(res.status).toBe(200);
    expect(sandbox.stats().requests).toMatchObject({ registerNonSmartMeter: 1 });
    expect(sandbox.stats().requests.storeReadings ?? 0).toBe(0);
    const q = new URLSearchParams({ measurement: "METER_READING", resolution: "1_HOUR", start: new Date((at - 3_600) * 1000).toISOString(), end: new Date((at + 3_600) * 1000).toISOString() });
    const { points } = await (await readings.GET(new Request(`http://test/x?${q}`), handCtx())).json();
    expect(points.map((p: { value: number }) => p.value)).toEqual([450]);
    // Still one device: the correction updated the meter instead of registering another.
    expect((await current.client!.getAllDevicesInSpace(flat.id)).filter((d) => d.name === "Handzähler")).toHaveLength(1);
  });
});
