/**
 * A refresh that stops between two pages (SIGTERM) or whose instance died leaves the state row
 * "building"/"refreshing" with nobody holding the lock; the next read takes it over at once, on
 * PGlite and on PostgreSQL (where the lock is really shared between connections, as between
 * instances).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withAdvisoryLock, type Database, type DatabaseHandle } from "@/lib/db";
import { spaceIndexState } from "@/lib/db/schema";
import { createPartnerClient, type PartnerClient } from "@/lib/partner-api";
import { CONFIG_DEFAULTS } from "@/lib/partner-api/config";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "@/lib/partner-api/defaults";
import { testDatabases } from "@/lib/testing/databases";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { ensureIndexFresh, getIndexStatus, refreshSpaceIndex, RefreshStoppedError, resumeUnfinishedRefresh, SPACE_INDEX_LOCK_ID } from "./index";

let sandbox: RunningSandbox;
let client: PartnerClient;
let dir: string;
const SPACES = 60;
const PAGE_SIZE = 10;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "refresh-takeover-"));
  sandbox = await startSandbox({ port: 0, spaces: SPACES, readingDays: 1, seed: 5, quiet: true, dbPath: path.join(dir, "sandbox.db") });
  client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, pageSize: PAGE_SIZE, pageConcurrency: 1, retryBaseDelayMs: 5 });
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lockIsFree = async (db: Database) => (await withAdvisoryLock(db, SPACE_INDEX_LOCK_ID, async () => true)).acquired;

describe.each(testDatabases())("an unfinished refresh on $name", ({ name, open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    sandbox.setFaults({ latencyMs: 0, latencyOperations: null });
    await handle?.close();
  });

  it("stops between two pages when asked, releases the lock and leaves the state row unfinished", async () => {
    const { db } = handle;
    await refreshSpaceIndex(db, client); // a complete index first: this is a warm refresh
    const pages = Math.ceil(SPACES / PAGE_SIZE);
    sandbox.setFaults({ latencyMs: 60, latencyOperations: ["getSpaces"] });
    sandbox.resetStats();
    const stop = new AbortController();
    const refresh = refreshSpaceIndex(db, client, { signal: stop.signal, pageConcurrency: 1, onProgress: (done) => done === 2 && stop.abort() });
    await expect(refresh).rejects.toBeInstanceOf(RefreshStoppedError);
    // Asked to stop once the second page was in: no third page was requested.
    expect(sandbox.stats().requests.getSpaces).toBe(2);
    expect(pages).toBeGreaterThan(3);
    expect(await getIndexStatus(db)).toMatchObject({ state: "refreshing", spaces: SPACES });
    if (name === "PostgreSQL") expect(await lockIsFree(db)).toBe(true);
    // A stopped process starts no refresh at all.
    await expect(refreshSpaceIndex(db, client, { signal: stop.signal })).rejects.toBeInstanceOf(RefreshStoppedError);
  });

  it("the next read takes the refresh over at once, although the index is younger than the TTL", async () => {
    const { db } = handle;
    // What a killed instance leaves: "refreshing" since a minute, last finished a moment ago.
    await db.update(spaceIndexState).set({ state: "refreshing", startedAt: new Date(Date.now() - 60_000), finishedAt: new Date() });
    sandbox.setFaults({ latencyMs: 0, latencyOperations: null });
    sandbox.resetStats();
    await ensureIndexFresh(db, client);
    await vi.waitFor(async () => expect(await getIndexStatus(db)).toMatchObject({ state: "ready", spaces: SPACES }), { timeout: 10_000 });
    expect(sandbox.stats().requests.getSpaces).toBe(Math.ceil(SPACES / PAGE_SIZE));
    await settled(db);
  });

  it("the status line takes an unfinished refresh over too, but not one another connection still runs", async () => {
    const { db } = handle;
    // Each try is a few seconds after the last (the per-process pause): `now` moves on instead of waiting.
    let now = Date.now() + 60_000;
    await db.update(spaceIndexState).set({ state: "refreshing", finishedAt: new Date() });
    sandbox.resetStats();
    if (name === "PostgreSQL") {
      // Another instance holds the lock: the try fails and nothing is fetched here.
      const held = gate();
      const holder = withAdvisoryLock(db, SPACE_INDEX_LOCK_ID, () => held.opened);
      await sleep(50);
      await resumeUnfinishedRefresh(db, client, now);
      await sleep(300);
      expect(sandbox.stats().requests.getSpaces ?? 0).toBe(0);
      held.open();
      await holder;
      now += 60_000;
    }
    await resumeUnfinishedRefresh(db, client, now);
    await vi.waitFor(async () => expect(await getIndexStatus(db)).toMatchObject({ state: "ready" }), { timeout: 10_000 });
    expect(sandbox.stats().requests.getSpaces).toBe(Math.ceil(SPACES / PAGE_SIZE));
    await settled(db);
  });
});

/** A background refresh has work left after "ready" (word list, customers): wait for all of it. */
async function settled(db: Database) {
  await refreshSpaceIndex(db, client);
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
