/**
 * The space index against the real sandbox over HTTP and a memory:// database: refresh, SWR,
 * search, and index upkeep and audit of the dashboard's own writes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database3 from "better-sqlite3";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDatabase, type Database, type DatabaseHandle } from "@/lib/db";
import { auditLog, spaceDeviceIndex, spaceIndex, spaceIndexState, spaceUserIndex } from "@/lib/db/schema";
import { createPartnerClient, type PartnerClient, type Space } from "@/lib/partner-api";
import { CONFIG_DEFAULTS } from "@/lib/partner-api/config";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "@/lib/partner-api/defaults";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { ensureIndexFresh, getIndexStatus, refreshSpaceIndex, rememberDevices, rememberUsers } from "./index";
import { searchSpaces } from "./search";
import { pathTo, treeChildren } from "./tree-query";
import { createSpace, deleteSpace, updateSpace } from "./writes";
import { startCrawl } from "./crawl";
import { findDevice } from "@/lib/devices/lookup";

let sandbox: RunningSandbox;
let handle: DatabaseHandle;
let db: Database;
let client: PartnerClient;
let dir: string;
const actor = { id: "staff-1", email: "staff@example.test", role: "staff" as const };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "space-index-"));
  sandbox = await startSandbox({ port: 0, spaces: 120, readingDays: 1, seed: 11, quiet: true, dbPath: path.join(dir, "sandbox.db") });
  handle = await createDatabase({ dataDir: "memory://" });
  db = handle.db;
  client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, pageSize: 25, retryBaseDelayMs: 5 });
});
afterAll(async () => {
  await handle?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const upstreamSpaces = () => client.getAllSpaces();
const row = async (id: string) => (await db.select().from(spaceIndex).where(eq(spaceIndex.id, id)))[0];

describe("refresh", () => {
  it("builds the index from every upstream space, with placement and path, and reports progress", async () => {
    const progress: [number, number][] = [];
    const result = await refreshSpaceIndex(db, client, { onProgress: (d, t) => progress.push([d, t]) });
    const spaces = await upstreamSpaces();
    expect(result.spaces).toBe(spaces.length);
    expect((await getIndexStatus(db)).spaces).toBe(spaces.length);
    expect(progress.at(-1)).toEqual([result.pages, result.pages]);
    expect(result.pages).toBeGreaterThan(1);

    // A flat three levels down: region → building → flat.
    const byId = new Map(spaces.map((s) => [s.id, s]));
    const flat = spaces.find((s) => s.category === "FLAT" && s.parentSpaceId && byId.get(s.parentSpaceId)?.parentSpaceId)!;
    const building = byId.get(flat.parentSpaceId!)!;
    const region = byId.get(building.parentSpaceId!)!;
    expect(region.parentSpaceId ?? null).toBeNull();
    const indexed = await row(flat.id);
    expect(indexed.placement).toBe("child");
    expect(indexed.path).toEqual([region.id, building.id]);
    expect((await row(building.id)).childCount).toBe(spaces.filter((s) => s.parentSpaceId === building.id).length);
    expect(await pathTo(db, flat.id)).toMatchObject({ placement: "child", ancestors: [{ id: region.id }, { id: building.id }] });
    const status = await getIndexStatus(db);
    expect(status).toMatchObject({ state: "ready", pagesDone: result.pages, pagesTotal: result.pages, error: null });
  });

  it("keeps an orphan (dangling parent) and removes a space deleted upstream on the next refresh", async () => {
    const { spaceId: lonely } = await client.createSpace({ name: "Waise", addressLineOne: "Nirgendwo 1", postcode: "10115", city: "Berlin", category: "FLAT" });
    // The sandbox refuses a dangling parent through its API; production data has them anyway.
    const sqlite = new Database3(path.join(dir, "sandbox.db"));
    sqlite.prepare("UPDATE spaces SET parent_id = 'gone-parent' WHERE id = ?").run(lonely);
    sqlite.close();
    const { spaceId: doomed } = await client.createSpace({ name: "Bald weg", addressLineOne: "Weg 1", postcode: "10115", city: "Berlin", category: "FLAT" });
    await refreshSpaceIndex(db, client);
    expect(await row(lonely)).toMatchObject({ placement: "orphan", parentId: "gone-parent", path: [] });
    expect((await treeChildren(db, "orphans")).nodes.map((n) => n.id)).toContain(lonely);
    expect(await row(doomed)).toBeDefined();

    await client.deleteSpace(doomed);
    const result = await refreshSpaceIndex(db, client);
    expect(result.removed).toBe(1);
    expect(await row(doomed)).toBeUndefined();
  });

  it("a change upstream reaches its row on the next refresh; unchanged rows are not rewritten", async () => {
    const spaces = await upstreamSpaces();
    const [changed, untouched] = [spaces[3], spaces[4]];
    const before = await row(untouched.id);
    await client.updateSpace(changed.id, { city: "Zwickau" });
    await refreshSpaceIndex(db, client);
    expect(await row(changed.id)).toMatchObject({ city: "Zwickau", searchText: expect.stringContaining("zwickau") });
    expect((await row(untouched.id)).updatedAt).toEqual(before.updatedAt);
  });

  it("a space the dashboard indexes while a refresh runs survives that refresh", async () => {
    const { indexCreatedSpace } = await import("./index-writes");
    sandbox.setFaults({ latencyMs: 60 });
    const running = refreshSpaceIndex(db, client);
    await vi.waitFor(async () => expect(await getIndexStatus(db)).toMatchObject({ state: "refreshing", pagesDone: expect.any(Number) }), { interval: 5 });
    // Written while the pages are on the way (a create through the dashboard after its page came by).
    const late: Space = { id: "created-meanwhile", name: "Neu", addressLineOne: "Neuweg 1", postcode: "10115", city: "Berlin", category: "FLAT" };
    await indexCreatedSpace(db, late);
    await running;
    sandbox.setFaults({ latencyMs: 0 });
    expect(await row(late.id)).toBeDefined();
    // It is not upstream, so the next full refresh removes it.
    await refreshSpaceIndex(db, client);
    expect(await row(late.id)).toBeUndefined();
  });

  it("two concurrent refreshes make one upstream pass", async () => {
    sandbox.resetStats();
    const [a, b] = await Promise.all([refreshSpaceIndex(db, client), refreshSpaceIndex(db, client)]);
    expect(a).toBe(b);
    expect(sandbox.stats().requests.getSpaces).toBe(a.pages);
  });

  it("a record upstream with a NUL, a lone surrogate and control characters leaves the refresh complete and the space searchable", async () => {
    // Planted through the partner API itself: production data can hold anything.
    const { spaceId } = await client.createSpace({ name: "Giftiges\u0000Haus\ud800", addressLineOne: "Null\u0007weg 1\n", postcode: "10115", city: "Berlin", category: "FLAT" });
    const { deviceId } = await client.registerExternalDevice(spaceId, { deviceName: "Zähler\u0000X", deviceMedium: "ELECTRICITY", deviceType: "SMART_METER", isMainDevice: true, externalDeviceId: "EXT\u0000-77" });
    const result = await refreshSpaceIndex(db, client);
    expect(result.ran).toBe(true);
    const status = await getIndexStatus(db);
    expect(status).toMatchObject({ state: "ready", error: null });
    expect(status.cleanedRecords).toBeGreaterThanOrEqual(1);
    const stored = await row(spaceId);
    // The NUL and the bell are gone; the broken surrogate arrives as replacement characters.
    expect(stored.name).toMatch(/^GiftigesHaus\ufffd+$/);
    expect(stored.addressLineOne.trim()).toBe("Nullweg 1");
    expect(JSON.stringify(stored.raw)).not.toMatch(/\\u0000|\\u0007/);
    expect((await searchSpaces(db, "GiftigesHaus", 5)).map((h) => h.space.id)).toContain(spaceId);
    // Its devices are indexed too, so the device page and readings entry can find them.
    await rememberDevices(db, spaceId, await client.getAllDevicesInSpace(spaceId));
    const detail = await findDevice(db, client, deviceId);
    expect(detail?.spaceId).toBe(spaceId);
    expect((await db.select().from(spaceDeviceIndex).where(eq(spaceDeviceIndex.deviceId, deviceId)))[0]).toMatchObject({ name: "ZählerX", externalIds: ["EXT-77"] });
  });
});

describe("stale-while-revalidate", () => {
  it("answers at once from a stale index and refreshes in the background", async () => {
    await db.update(spaceIndexState).set({ finishedAt: new Date(Date.now() - 3_600_000) });
    sandbox.setFaults({ latencyMs: 150 });
    sandbox.resetStats();
    const started = performance.now();
    await ensureIndexFresh(db, client);
    expect(performance.now() - started).toBeLessThan(100);
    expect(["refreshing", "ready"]).toContain((await getIndexStatus(db)).state);
    await vi.waitFor(async () => expect((await getIndexStatus(db)).finishedAt! > new Date(Date.now() - 60_000).toISOString()).toBe(true), { timeout: 10_000 });
    expect(sandbox.stats().requests.getSpaces).toBeGreaterThan(0);
    sandbox.setFaults({ latencyMs: 0 });
  });
});

describe("search", () => {
  let spaces: Space[];
  beforeAll(async () => {
    spaces = await upstreamSpaces();
    // The crawl fills devices and users; run it to the end at a high rate.
    await startCrawl(db, client, { concurrency: 4, ratePerSecond: 1_000 }).done;
  });
  const flatWithAddress = () => spaces.find((s) => s.category === "FLAT" && /straße/.test(s.addressLineOne))!;

  it("crawled devices and users of every space", async () => {
    expect((await getIndexStatus(db)).crawledSpaces).toBe(spaces.length);
    expect((await db.select().from(spaceDeviceIndex)).length).toBeGreaterThan(0);
    expect((await db.select().from(spaceUserIndex)).length).toBeGreaterThan(0);
  });

  it("finds by part of the street, by postcode and by a misspelt city", async () => {
    const flat = flatWithAddress();
    const street = flat.addressLineOne.replace(/straße.*/, "str");
    const byStreet = await searchSpaces(db, street);
    expect(byStreet.length).toBeGreaterThan(0);
    // Buildings are named after their address, so the name may be what matched.
    expect(["address", "name"]).toContain(byStreet[0].matched.field);
    expect(byStreet[0].space.addressLineOne.startsWith(street)).toBe(true);

    const byPostcode = await searchSpaces(db, flat.postcode);
    expect(byPostcode.some((h) => h.space.postcode === flat.postcode)).toBe(true);

    const city = flat.city;
    const typo = city.slice(0, -2) + city.at(-1) + city.at(-2); // swap the last two letters
    expect((await searchSpaces(db, typo)).some((h) => h.space.city === city)).toBe(true);
  });

  it("finds every city with two letters in the middle swapped, short names included, and only that city", async () => {
    const cities = [...new Set(spaces.map((s) => s.city))].filter((c) => c.length >= 5);
    expect(cities.length).toBeGreaterThan(3);
    for (const city of cities) {
      const i = Math.floor(city.length / 2);
      const typo = city.slice(0, i - 1) + city[i] + city[i - 1] + city.slice(i + 1); // "Lübeck" → "Lüebck"
      const hits = await searchSpaces(db, typo);
      expect(hits.length, typo).toBeGreaterThan(0);
      expect(hits.every((h) => h.space.city === city), typo).toBe(true);
    }
  });

  it("a query of several words finds spaces that have each word, in any order", async () => {
    const flat = flatWithAddress();
    const street = flat.addressLineOne.split(" ")[0];
    const hits = await searchSpaces(db, `${flat.city} ${street}`);
    expect(hits.some((h) => h.space.id === flat.id || (h.space.city === flat.city && h.space.addressLineOne.startsWith(street)))).toBe(true);
  });

  it("finds by MeLo pasted with spaces, by MaLo, by serial number and by user e-mail", async () => {
    const devices = await db.select().from(spaceDeviceIndex);
    const withMelo = devices.find((d) => d.externalIds.some((x) => /^DE\d{11}/.test(x)))!;
    const melo = withMelo.externalIds.find((x) => /^DE\d{11}/.test(x))!;
    const pasted = `${melo.slice(0, 2)} ${melo.slice(2, 8)} ${melo.slice(8, 13)} ${melo.slice(13).toLowerCase()}`;
    const byMelo = await searchSpaces(db, pasted);
    expect(byMelo[0]).toMatchObject({ space: { id: withMelo.spaceId }, matched: { field: "externalId", value: melo } });

    const withMalo = devices.find((d) => d.externalIds.some((x) => /^\d{11}$/.test(x)))!;
    const malo = withMalo.externalIds.find((x) => /^\d{11}$/.test(x))!;
    expect((await searchSpaces(db, malo))[0]).toMatchObject({ space: { id: withMalo.spaceId }, matched: { field: "externalId", value: malo } });

    const withSerial = devices.find((d) => d.serialNumber)!;
    expect((await searchSpaces(db, withSerial.serialNumber!))[0]).toMatchObject({ space: { id: withSerial.spaceId }, matched: { field: "serialNumber" } });

    const [user] = await db.select().from(spaceUserIndex).limit(1);
    const byEmail = await searchSpaces(db, user.email.toUpperCase());
    expect(byEmail.some((h) => h.space.id === user.spaceId && h.matched.field === "email")).toBe(true);
  });

  it("ranks the exact name first and carries the ancestors", async () => {
    const flat = flatWithAddress();
    const hits = await searchSpaces(db, flat.name);
    expect(hits[0].space.name).toBe(flat.name);
    const top = spaces.find((s) => s.id === hits[0].space.id)!;
    if (top.parentSpaceId) expect(hits[0].ancestors.at(-1)?.id).toBe(top.parentSpaceId);
  });

  it("rememberDevices and rememberUsers make a device and a user findable at once", async () => {
    const flat = flatWithAddress();
    await rememberDevices(db, flat.id, [
      { id: "dev-x", name: "Wärmepumpe Keller", status: "CONNECTED", deviceType: "HEAT_PUMP", isMainDevice: false, medium: "ELECTRICITY", externalDeviceIds: ["XZ-998877"] },
    ], { complete: false });
    await rememberUsers(db, flat.id, [{ id: "u-x", email: "Neue.Mieterin@Example.test", name: "Neue Mieterin" }], { complete: false });
    expect((await searchSpaces(db, "Wärmepumpe Keller"))[0]).toMatchObject({ space: { id: flat.id }, matched: { field: "deviceName" } });
    expect((await searchSpaces(db, "neue.mieterin@example.test"))[0]).toMatchObject({ space: { id: flat.id }, matched: { field: "email" } });
  });
});

describe("writes", () => {
  const audits = (action: string, outcome: "ok" | "error") =>
    db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.outcome, outcome)));
  let building: Space;
  beforeAll(async () => {
    const spaces = await upstreamSpaces();
    building = spaces.find((s) => s.category === "APARTMENT_BUILDING" && spaces.some((c) => c.parentSpaceId === s.id))!;
  });

  it("create is idempotent: the same key twice makes one space upstream, indexed under its parent", async () => {
    const input = { name: "Neubau WE 1", addressLineOne: "Lindenstraße 99", postcode: "10115", city: "Berlin", category: "FLAT" as const, parentSpaceId: building.id };
    const before = (await row(building.id)).childCount;
    sandbox.resetStats();
    const [a, b] = [await createSpace(db, client, actor, input, "key-1"), await createSpace(db, client, actor, input, "key-1")];
    expect(a.space.id).toBe(b.space.id);
    expect(sandbox.stats().requests.createSpace).toBe(1);
    expect((await upstreamSpaces()).filter((s) => s.name === "Neubau WE 1")).toHaveLength(1);
    expect(await row(a.space.id)).toMatchObject({ placement: "child", path: [...(await row(building.id)).path, building.id] });
    expect((await row(building.id)).childCount).toBe(before + 1);
    expect((await audits("space.create", "ok")).map((a) => a.targetId)).toEqual([a.space.id]);
  });

  it("update sends only the changed fields", async () => {
    const flat = (await treeChildren(db, building.id)).nodes[0];
    const sent: unknown[] = [];
    const spy = { ...client, updateSpace: (id: string, body: Parameters<PartnerClient["updateSpace"]>[1]) => (sent.push(body), client.updateSpace(id, body)) };
    await updateSpace(db, spy, actor, flat.id, { name: "Umbenannt 7" });
    expect(sent).toEqual([{ name: "Umbenannt 7" }]);
    expect((await row(flat.id)).name).toBe("Umbenannt 7");
    expect((await searchSpaces(db, "Umbenannt 7"))[0].space.id).toBe(flat.id);
    expect((await audits("space.update", "ok")).at(-1)?.details).toEqual({ name: "Umbenannt 7" });
  });

  it("refuses a move that would create a cycle or names an unknown parent", async () => {
    const child = (await treeChildren(db, building.id)).nodes[0];
    await expect(updateSpace(db, client, actor, building.id, { parentSpaceId: child.id })).rejects.toMatchObject({ fieldErrors: { parentSpaceId: ["cycle"] } });
    await expect(updateSpace(db, client, actor, building.id, { parentSpaceId: "nope" })).rejects.toMatchObject({ fieldErrors: { parentSpaceId: ["unknownParent"] } });
  });

  it("a move updates the paths of the whole subtree and both child counts", async () => {
    const regions = (await treeChildren(db, "root")).nodes.filter((n) => n.category === "REGION");
    const oldRegion = building.parentSpaceId!;
    const target = regions.find((r) => r.id !== oldRegion)!;
    const targetBefore = (await row(target.id)).childCount;
    await updateSpace(db, client, actor, building.id, { parentSpaceId: target.id });
    expect((await row(building.id)).path).toEqual([target.id]);
    const flats = (await treeChildren(db, building.id)).nodes;
    for (const f of flats) expect((await row(f.id)).path).toEqual([target.id, building.id]);
    expect((await row(target.id)).childCount).toBe(targetBefore + 1);
    expect((await audits("space.move", "ok")).length).toBe(1);
    // Upstream agrees, so a refresh changes nothing.
    await refreshSpaceIndex(db, client);
    expect((await row(flats[0].id)).path).toEqual([target.id, building.id]);
  });

  it("delete needs the exact name, audits an upstream 409 as an error, and removes the rows", async () => {
    await expect(deleteSpace(db, client, actor, building.id, { confirmName: building.name.toUpperCase() })).rejects.toMatchObject({ fieldErrors: { confirmName: ["mismatch"] } });
    await expect(deleteSpace(db, client, actor, building.id, { confirmName: building.name })).rejects.toMatchObject({ httpStatus: 409, code: "space_has_children" });
    expect((await audits("space.delete", "error")).at(-1)).toMatchObject({ upstreamStatus: 409, targetId: building.id });

    const flat = (await treeChildren(db, building.id)).nodes[0];
    await rememberDevices(db, flat.id, [{ id: "dev-del", name: "Zähler", status: "CONNECTED", deviceType: "SMART_METER", isMainDevice: true, medium: "ELECTRICITY" }], { complete: false });
    const before = (await row(building.id)).childCount;
    await deleteSpace(db, client, actor, flat.id, { confirmName: flat.name });
    expect(await row(flat.id)).toBeUndefined();
    expect(await db.select().from(spaceDeviceIndex).where(eq(spaceDeviceIndex.spaceId, flat.id))).toHaveLength(0);
    expect((await row(building.id)).childCount).toBe(before - 1);
    expect((await audits("space.delete", "ok")).length).toBe(1);
  });
});
