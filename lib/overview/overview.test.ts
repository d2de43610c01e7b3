/**
 * The overview's figures and attention counts on both databases, from rows seeded straight into
 * the index and the ledgers: devices by status, distinct users, open invites, the thresholds
 * (connecting hours, reading days, invite days) at their edges and changed through the
 * environment, flats and houses without a main meter, failed onboardings and imports, coverage,
 * and one timed run over 20,000 spaces and 18,000 devices.
 */
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import {
  customerIndex,
  importJobs,
  importRows,
  invites,
  onboardings,
  spaceDeviceIndex,
  spaceIndex,
  spaceIndexState,
  spaceUserIndex,
} from "@/lib/db/schema";
import { testDatabases } from "@/lib/testing/databases";
import { getOverview } from "./queries";
import type { AttentionKind, Overview } from "./types";

const NOW = new Date("2026-06-15T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const agoIso = (ms: number) => ago(ms).toISOString();

const count = (overview: Overview, kind: AttentionKind) => {
  const item = overview.attention.find((a) => a.kind === kind);
  expect(item, kind).toBeDefined();
  return item!.count;
};

type SpaceRow = typeof spaceIndex.$inferInsert;
const space = (id: string, category: string, crawled: boolean): SpaceRow => ({
  id,
  name: id,
  addressLineOne: "Lindenstraße 4",
  postcode: "10115",
  city: "Berlin",
  category,
  searchText: id,
  raw: { id },
  devicesCrawledAt: crawled ? ago(DAY) : null,
});

/**
 * Seven spaces: FLAT/HOUSE ones with and without a main meter, crawled and not, and an
 * apartment building without one. Six are crawled; house-nomain and flat-empty lack a main meter.
 */
const SPACES: SpaceRow[] = [
  space("flat-main", "FLAT", true),
  space("house-main", "HOUSE", true),
  space("flat-missing", "FLAT", true),
  space("house-nomain", "HOUSE", true),
  space("flat-empty", "FLAT", true),
  space("flat-uncrawled", "FLAT", false),
  space("building", "APARTMENT_BUILDING", true),
];

type DeviceRow = typeof spaceDeviceIndex.$inferInsert;
const device = (spaceId: string, deviceId: string, status: string, isMain: boolean, raw: Record<string, unknown>): DeviceRow => ({
  spaceId,
  deviceId,
  name: deviceId,
  deviceType: "SMART_METER",
  medium: "ELECTRICITY",
  status,
  isMain,
  searchText: deviceId,
  raw: { id: deviceId, ...raw },
});

/**
 * Eight devices: 3 CONNECTED, 2 CONNECTING, 2 FAILED, 1 other. Stuck connecting (24 h): only
 * d-connecting-25h. Stale main meters (3 days): d-main-4d and d-main-missing (no reading at all);
 * d-other-10d is old but not a main meter, d-failed-48h is old but FAILED, not CONNECTING.
 */
const DEVICES: DeviceRow[] = [
  device("flat-main", "d-main-1d", "CONNECTED", true, { createdAt: agoIso(400 * DAY), latestReadingTime: agoIso(DAY) }),
  device("house-main", "d-main-4d", "CONNECTED", true, { createdAt: agoIso(400 * DAY), latestReadingTime: agoIso(4 * DAY) }),
  device("flat-missing", "d-main-missing", "CONNECTED", true, { createdAt: agoIso(400 * DAY) }),
  device("house-nomain", "d-connecting-25h", "CONNECTING", false, { createdAt: agoIso(25 * HOUR) }),
  device("building", "d-connecting-23h", "CONNECTING", false, { createdAt: agoIso(23 * HOUR) }),
  device("flat-main", "d-failed-48h", "FAILED", false, { createdAt: agoIso(48 * HOUR) }),
  device("building", "d-failed", "FAILED", false, { createdAt: agoIso(DAY / 2), latestReadingTime: agoIso(DAY / 2) }),
  device("house-nomain", "d-other-10d", "DISCONNECTED", false, { createdAt: agoIso(400 * DAY), latestReadingTime: agoIso(10 * DAY) }),
];

/** Four rows, three people: u-both is in two spaces. */
const USERS: (typeof spaceUserIndex.$inferInsert)[] = [
  { spaceId: "flat-main", userId: "u-both", email: "both@example.de" },
  { spaceId: "house-main", userId: "u-both", email: "both@example.de" },
  { spaceId: "flat-main", userId: "u-two", email: "two@example.de" },
  { spaceId: "building", userId: "u-three", email: "three@example.de" },
];

type InviteRow = typeof invites.$inferInsert;
const invite = (id: string, status: InviteRow["status"], createdAgo: number, lastSentAgo: number | null): InviteRow => ({
  id,
  spaceId: "flat-main",
  email: `${id}@example.de`,
  status,
  createdByEmail: "staff@example.test",
  createdAt: ago(createdAgo),
  lastSentAt: lastSentAgo === null ? null : ago(lastSentAgo),
});

/**
 * Four pending, one accepted, one revoked. Open too long (7 days, by last send or else creation):
 * i-old-unsent and i-resent-8d; i-resent-2d was sent again recently, i-new is new, the accepted and
 * revoked ones are old but no longer open.
 */
const INVITES: InviteRow[] = [
  invite("i-old-unsent", "pending", 10 * DAY, null),
  invite("i-resent-2d", "pending", 10 * DAY, 2 * DAY),
  invite("i-resent-8d", "pending", 20 * DAY, 8 * DAY),
  invite("i-new", "pending", 12 * HOUR, null),
  invite("i-accepted", "accepted", 30 * DAY, 30 * DAY),
  invite("i-revoked", "revoked", 30 * DAY, null),
];

const ONBOARDING_STATUSES = ["failed", "failed", "done", "running", "draft"] as const;

/** Three jobs: two with failed rows (four failed rows between them), one without. */
const JOBS = { twoFailed: "00000000-0000-4000-8000-0000000000a1", oneFailed: "00000000-0000-4000-8000-0000000000a2", clean: "00000000-0000-4000-8000-0000000000a3" };
const ROW_STATES: [string, (typeof importRows.$inferInsert)["state"][]][] = [
  [JOBS.twoFailed, ["failed", "failed", "failed", "done"]],
  [JOBS.oneFailed, ["done", "failed", "pending"]],
  [JOBS.clean, ["done", "done", "skipped"]],
];

async function seed(handle: DatabaseHandle) {
  const { db } = handle;
  await db.insert(customerIndex).values(["c1", "c2", "c3"].map((id) => ({ id, externalId: `K-${id}`, name: id, searchText: id })));
  await db.insert(spaceIndex).values(SPACES);
  await db.insert(spaceDeviceIndex).values(DEVICES);
  await db.insert(spaceUserIndex).values(USERS);
  await db.insert(invites).values(INVITES);
  await db.insert(onboardings).values(ONBOARDING_STATUSES.map((status) => ({ kind: "customer" as const, staffId: "s1", staffEmail: "staff@example.test", status, values: {} })));
  await db.insert(importJobs).values(Object.values(JOBS).map((id) => ({ id, staffId: "s1", staffEmail: "staff@example.test", fileName: `${id}.csv`, status: "done" as const, headers: [], mapping: {} })));
  for (const [jobId, states] of ROW_STATES) {
    await db.insert(importRows).values(states.map((state, i) => ({ jobId, rowNo: i + 1, cells: [], plan: "create" as const, state })));
  }
}

describe.each(testDatabases())("the overview on $name", ({ open }) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await open();
    await seed(handle);
  });
  afterAll(async () => {
    await handle?.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("a time upstream sent that does not exist (2024-02-30) does not fail the page: that device is of unknown age", async () => {
    const own = await open();
    try {
      await own.db.insert(spaceIndex).values(space("flat-x", "FLAT", true));
      await own.db.insert(spaceDeviceIndex).values([
        device("flat-x", "d-bad-created", "CONNECTING", false, { createdAt: "2024-02-30T10:00:00Z" }),
        device("flat-x", "d-bad-reading", "CONNECTED", true, { createdAt: agoIso(400 * DAY), latestReadingTime: "2024-13-01T10:00:00Z" }),
      ]);
      const overview = await getOverview(own.db, NOW);
      expect(count(overview, "devicesConnecting")).toBe(0);
      expect(count(overview, "staleReadings")).toBe(1); // no usable reading time: stale
    } finally {
      await own.close();
    }
  });

  it("answers zeros on an empty database", async () => {
    const empty = await open();
    try {
      const overview = await getOverview(empty.db, NOW);
      expect(overview.figures).toEqual({ customers: 0, spaces: 0, devices: { total: 0, connected: 0, connecting: 0, failed: 0, other: 0 }, users: 0, openInvites: 0 });
      expect(overview.attention.every((a) => a.count === 0)).toBe(true);
      expect(overview.coverage).toEqual({ crawledSpaces: 0, spaces: 0 });
    } finally {
      await empty.close();
    }
  });

  it("counts the key figures: customers, spaces, devices by status, distinct users, pending invites", async () => {
    const { figures } = await getOverview(handle.db, NOW);
    expect(figures).toEqual({
      customers: 3,
      spaces: SPACES.length,
      devices: { total: DEVICES.length, connected: 3, connecting: 2, failed: 2, other: 1 },
      users: 3,
      openInvites: 4,
    });
  });

  it("counts a user in two spaces once", async () => {
    const before = (await getOverview(handle.db, NOW)).figures.users;
    await handle.db.insert(spaceUserIndex).values({ spaceId: "flat-empty", userId: "u-two", email: "two@example.de" });
    try {
      expect((await getOverview(handle.db, NOW)).figures.users).toBe(before);
    } finally {
      await handle.db.delete(spaceUserIndex).where(sql`${spaceUserIndex.spaceId} = 'flat-empty'`);
    }
  });

  it("lists every attention kind once, in a fixed order, with its count", async () => {
    const overview = await getOverview(handle.db, NOW);
    expect(overview.attention.map((a) => [a.kind, a.count])).toEqual([
      ["devicesFailed", 2],
      ["devicesConnecting", 1],
      ["staleReadings", 2],
      ["spacesWithoutMain", 2],
      ["invitesPending", 2],
      ["onboardingsFailed", 2],
      ["importsWithErrors", 2],
      ["indexProblem", 0],
    ]);
    expect(overview.attention.find((a) => a.kind === "invitesPending")?.href).toBe("/invites?status=pending&olderThanDays=7");
    expect(overview.settings).toEqual({ connectingHours: 24, readingDays: 3, inviteDays: 7 });
  });

  it("devicesConnecting: a CONNECTING device created 25 h ago counts, one created 23 h ago does not", async () => {
    expect(count(await getOverview(handle.db, NOW), "devicesConnecting")).toBe(1);
    // Two hours later the 23 h device is 25 h old too; the FAILED 48 h one never counts.
    expect(count(await getOverview(handle.db, new Date(NOW.getTime() + 2 * HOUR)), "devicesConnecting")).toBe(2);
  });

  it("devicesConnecting follows ATTENTION_CONNECTING_HOURS", async () => {
    vi.stubEnv("ATTENTION_CONNECTING_HOURS", "22");
    const overview = await getOverview(handle.db, NOW);
    expect(overview.settings.connectingHours).toBe(22);
    expect(count(overview, "devicesConnecting")).toBe(2);
    vi.stubEnv("ATTENTION_CONNECTING_HOURS", "30");
    expect(count(await getOverview(handle.db, NOW), "devicesConnecting")).toBe(0);
  });

  it("staleReadings: main meters read more than 3 days ago or never; not other devices", async () => {
    expect(count(await getOverview(handle.db, NOW), "staleReadings")).toBe(2);
    vi.stubEnv("ATTENTION_READING_DAYS", "5");
    const overview = await getOverview(handle.db, NOW);
    expect(overview.settings.readingDays).toBe(5);
    // The 4-day-old reading is recent enough now; the meter that never read stays.
    expect(count(overview, "staleReadings")).toBe(1);
    vi.stubEnv("ATTENTION_READING_DAYS", "1");
    // The 1-day-old reading is exactly at the edge (not older): still 2.
    expect(count(await getOverview(handle.db, NOW), "staleReadings")).toBe(2);
    expect(count(await getOverview(handle.db, new Date(NOW.getTime() + HOUR)), "staleReadings")).toBe(3);
  });

  it("spacesWithoutMain: crawled flats and houses without a main meter; not uncrawled ones, not a building", async () => {
    const overview = await getOverview(handle.db, NOW);
    expect(count(overview, "spacesWithoutMain")).toBe(2);
    // The uncrawled flat counts once it is crawled.
    await handle.db.update(spaceIndex).set({ devicesCrawledAt: NOW }).where(sql`${spaceIndex.id} = 'flat-uncrawled'`);
    try {
      expect(count(await getOverview(handle.db, NOW), "spacesWithoutMain")).toBe(3);
    } finally {
      await handle.db.update(spaceIndex).set({ devicesCrawledAt: null }).where(sql`${spaceIndex.id} = 'flat-uncrawled'`);
    }
  });

  it("invitesPending: pending invites last sent (or created) more than INVITE_EXPIRY_DAYS ago", async () => {
    expect(count(await getOverview(handle.db, NOW), "invitesPending")).toBe(2);
    vi.stubEnv("INVITE_EXPIRY_DAYS", "1");
    const overview = await getOverview(handle.db, NOW);
    expect(overview.settings.inviteDays).toBe(1);
    // i-resent-2d joins; i-new (12 h) and the accepted and revoked invites never count.
    expect(count(overview, "invitesPending")).toBe(3);
    expect(overview.attention.find((a) => a.kind === "invitesPending")?.href).toBe("/invites?status=pending&olderThanDays=1");
    vi.stubEnv("INVITE_EXPIRY_DAYS", "9");
    // Only i-old-unsent (created 10 days ago, never sent) is left.
    expect(count(await getOverview(handle.db, NOW), "invitesPending")).toBe(1);
  });

  it("onboardingsFailed and importsWithErrors count onboardings and jobs, not rows", async () => {
    const overview = await getOverview(handle.db, NOW);
    expect(count(overview, "onboardingsFailed")).toBe(ONBOARDING_STATUSES.filter((s) => s === "failed").length);
    const jobsWithFailures = ROW_STATES.filter(([, states]) => states.includes("failed")).length;
    expect(jobsWithFailures).toBe(2);
    expect(count(overview, "importsWithErrors")).toBe(jobsWithFailures);
  });

  it("indexProblem: 1 when the index state failed or carries an error", async () => {
    await handle.db.insert(spaceIndexState).values({ id: 1, state: "failed", error: "upstream 503" });
    try {
      expect(count(await getOverview(handle.db, NOW), "indexProblem")).toBe(1);
      await handle.db.update(spaceIndexState).set({ state: "ready", error: null });
      expect(count(await getOverview(handle.db, NOW), "indexProblem")).toBe(0);
    } finally {
      await handle.db.delete(spaceIndexState);
    }
  });

  it("coverage: crawled spaces of all spaces", async () => {
    const overview = await getOverview(handle.db, NOW);
    expect(overview.coverage).toEqual({ crawledSpaces: SPACES.filter((s) => s.devicesCrawledAt).length, spaces: SPACES.length });
    expect(overview.coverage).toEqual({ crawledSpaces: 6, spaces: 7 });
  });

  it("answers over 20,000 spaces and 18,000 devices (timed)", async () => {
    const big = await open();
    try {
      const now = NOW.toISOString();
      // Every 10th space uncrawled; categories FLAT, HOUSE, APARTMENT_BUILDING, FLAT by i % 4.
      await big.db.execute(sql`
        insert into space_index (id, name, address_line_one, postcode, city, category, search_text, raw, devices_crawled_at)
        select 's' || i, 'Space ' || i, 'Straße ' || i, '10115', 'Berlin',
          (array['FLAT', 'HOUSE', 'APARTMENT_BUILDING', 'FLAT'])[i % 4 + 1], 'space ' || i, jsonb_build_object('id', 's' || i),
          case when i % 10 = 0 then null else ${now}::timestamptz end
        from generate_series(1, 20000) as i`);
      // Devices on spaces 1..18,000, each main; status CONNECTED, CONNECTING, FAILED, DISCONNECTED by i % 4;
      // created i hours ago (mod 48) and read i days ago (mod 6), every 7th never read.
      await big.db.execute(sql`
        insert into space_device_index (space_id, device_id, name, device_type, medium, status, is_main, search_text, raw)
        select 's' || i, 'd' || i, 'Device ' || i, 'SMART_METER', 'ELECTRICITY',
          (array['CONNECTED', 'CONNECTING', 'FAILED', 'DISCONNECTED'])[i % 4 + 1], true, 'device ' || i,
          jsonb_build_object('createdAt', to_char((${now}::timestamptz - make_interval(hours => i % 48)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
            || case when i % 7 = 0 then '{}'::jsonb
               else jsonb_build_object('latestReadingTime', to_char((${now}::timestamptz - make_interval(days => i % 6)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end
        from generate_series(1, 18000) as i`);

      const started = performance.now();
      const overview = await getOverview(big.db, NOW);
      const ms = performance.now() - started;
      console.log(`getOverview over 20,000 spaces and 18,000 devices: ${ms.toFixed(1)} ms`);

      // The same figures computed here from the generator's rules.
      const range = (n: number) => Array.from({ length: n }, (_, k) => k + 1);
      const devices = range(18000);
      const spaces = range(20000);
      const status = (i: number) => i % 4;
      expect(overview.figures.spaces).toBe(20000);
      expect(overview.figures.devices).toEqual({
        total: 18000,
        connected: devices.filter((i) => status(i) === 0).length,
        connecting: devices.filter((i) => status(i) === 1).length,
        failed: devices.filter((i) => status(i) === 2).length,
        other: devices.filter((i) => status(i) === 3).length,
      });
      expect(count(overview, "devicesConnecting")).toBe(devices.filter((i) => status(i) === 1 && i % 48 > 24).length);
      expect(count(overview, "staleReadings")).toBe(devices.filter((i) => i % 7 === 0 || i % 6 > 3).length);
      expect(count(overview, "spacesWithoutMain")).toBe(spaces.filter((i) => i > 18000 && i % 10 !== 0 && i % 4 !== 2).length);
      expect(overview.coverage).toEqual({ crawledSpaces: spaces.filter((i) => i % 10 !== 0).length, spaces: 20000 });
    } finally {
      await big.close();
    }
  }, 120_000);
});
