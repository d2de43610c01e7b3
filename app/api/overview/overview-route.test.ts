/**
 * GET /api/overview called directly: 401 without a session; support, staff and managers all read
 * the figures, counted from the database the route is given. Session and database are injected
 * through vi.mock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db";
import type { Overview } from "@/lib/overview/types";

const current: { user: SessionUser | null; db?: DatabaseHandle } = { user: null };

vi.mock("@/lib/auth/session", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/session")>();
  return { ...original, requirePermission: (p: Parameters<typeof original.authorize>[1]) => Promise.resolve(original.authorize(current.user, p)) };
});
vi.mock("@/lib/db", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/db")>()), getDb: () => Promise.resolve(current.db!.db) }));

const { createDatabase } = await import("@/lib/db");
const { customerIndex, invites, spaceDeviceIndex, spaceIndex, spaceUserIndex } = await import("@/lib/db/schema");
const overview = await import("./route");

const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: "00000000-0000-4000-8000-000000000003", email: `${role}@example.test`, name: role, role } : null;
};
const ctx = () => ({ params: Promise.resolve({}) });
const get = () => new Request("http://test/api/overview");

const space = (id: string) => ({ id, name: id, addressLineOne: "Lindenstraße 4", postcode: "10115", city: "Berlin", category: "FLAT", searchText: id, raw: { id } });
const device = (spaceId: string, deviceId: string, status: string) => ({
  spaceId,
  deviceId,
  name: deviceId,
  deviceType: "SMART_METER",
  medium: "ELECTRICITY",
  status,
  isMain: true,
  searchText: deviceId,
  raw: { id: deviceId, createdAt: new Date().toISOString(), latestReadingTime: new Date().toISOString() },
});

beforeAll(async () => {
  current.db = await createDatabase({ dataDir: "memory://" });
  const { db } = current.db;
  await db.insert(customerIndex).values([
    { id: "c1", externalId: "K-1", searchText: "k-1" },
    { id: "c2", externalId: "K-2", searchText: "k-2" },
  ]);
  await db.insert(spaceIndex).values([space("s1"), space("s2"), space("s3")]);
  await db.insert(spaceDeviceIndex).values([device("s1", "d1", "CONNECTED"), device("s2", "d2", "FAILED"), device("s3", "d3", "CONNECTING"), device("s3", "d4", "CONNECTED")]);
  await db.insert(spaceUserIndex).values([
    { spaceId: "s1", userId: "u1", email: "u1@example.de" },
    { spaceId: "s2", userId: "u1", email: "u1@example.de" },
  ]);
  await db.insert(invites).values([
    { id: "i1", spaceId: "s1", email: "a@example.de", status: "pending", createdByEmail: "staff@example.test" },
    { id: "i2", spaceId: "s1", email: "b@example.de", status: "accepted", createdByEmail: "staff@example.test" },
  ]);
});
afterAll(async () => {
  await current.db?.close();
});

describe("GET /api/overview", () => {
  it("401 without a session, with no figures", async () => {
    as(null);
    const res = await overview.GET(get(), ctx());
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain("figures");
  });

  it.each(["support", "staff", "manager"] as const)("200 for %s with the figures", async (role) => {
    as(role);
    const res = await overview.GET(get(), ctx());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Overview;
    expect(body.figures).toEqual({
      customers: 2,
      spaces: 3,
      devices: { total: 4, connected: 2, connecting: 1, failed: 1, other: 0 },
      users: 1,
      openInvites: 1,
    });
    expect(body.attention.find((a) => a.kind === "devicesFailed")?.count).toBe(1);
    expect(body.coverage).toEqual({ crawledSpaces: 0, spaces: 3 });
  });
});
