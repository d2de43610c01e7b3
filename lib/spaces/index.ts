import "server-only";
import { count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { withAdvisoryLock, type Database } from "@/lib/db";
import { AppError, codeOf } from "@/lib/errors";
import { cleanRecord } from "@/lib/input/text";
import { spaceDeviceIndex, spaceIndex, spaceIndexState, spaceUserIndex } from "@/lib/db/schema";
import { configFromEnv, type PartnerClient, type ProgressCallback, type Space } from "@/lib/partner-api";
import { fetchAllPages } from "@/lib/partner-api/paginate";
import { onShutdown, shutdownSignal } from "@/lib/server/shutdown";
import { refreshCustomers } from "@/lib/customers/mirror";
import { startCrawl } from "./crawl";
import { rebuildSearchWords } from "./search-words";
import { spaceToRow } from "./rows";
import { spaceIndexSettings } from "./settings";
import { buildForest, type TreeNodeInput } from "./tree";
import type { IndexStatus } from "./types";

export { rememberDevices, rememberUsers, indexCreatedSpace, indexUpdatedSpace, indexDeletedSpace } from "./index-writes";
export { startCrawl, stopCrawl } from "./crawl";

/** Advisory lock id of the refresh, the same for every instance (migrations use 7_246_001). */
export const SPACE_INDEX_LOCK_ID = 7_246_002;

/** Progress is written to the state row at most this often (each write costs a round trip). */
const PROGRESS_WRITE_INTERVAL_MS = 250;

export interface RefreshOptions {
  onProgress?: ProgressCallback;
  /** Pages in flight at once; default the partner client's setting (ZF_PAGE_CONCURRENCY). */
  pageConcurrency?: number;
  /** Start the background device/user crawl afterwards (SPACE_CRAWL_ENABLED). */
  crawl?: boolean;
  /**
   * Stops the refresh between two pages (default: this process's shutdown, SIGTERM). A stopped
   * refresh leaves the state row as it was ("building"/"refreshing") and releases the lock, so
   * the next read on any instance takes it over (see ensureIndexFresh).
   */
  signal?: AbortSignal;
}

/** What a stopped refresh throws: a request waiting for a first build gets a 503 to retry elsewhere. */
export class RefreshStoppedError extends AppError {
  static override readonly kind: string = "RefreshStoppedError";
  constructor() {
    super(503, "shutting_down", "The server is shutting down. Please try again.");
  }
}

export interface RefreshResult {
  /** False when another instance held the refresh lock: nothing was fetched here. */
  ran: boolean;
  spaces: number;
  pages: number;
  removed: number;
  durationMs: number;
}

// In-process single flight per database (PGlite's advisory lock is re-entrant within its one session).
const inFlight: WeakMap<Database, Promise<RefreshResult>> = ((globalThis as { __zfSpaceRefresh?: WeakMap<Database, Promise<RefreshResult>> }).__zfSpaceRefresh ??=
  new WeakMap());
// Every refresh running in this process, so a shutdown can wait for them to stop (and unlock).
const running: Set<Promise<unknown>> = ((globalThis as { __zfSpaceRefreshes?: Set<Promise<unknown>> }).__zfSpaceRefreshes ??= new Set());

/**
 * Rebuilds the index from `GET /spaces`: rows are upserted page by page while later pages are
 * still on the way, then placement/path/child counts are computed over all of them and spaces
 * gone upstream are removed. One refresh at a time, in this process and across instances.
 */
export function refreshSpaceIndex(db: Database, client: PartnerClient, options: RefreshOptions = {}): Promise<RefreshResult> {
  const current = inFlight.get(db);
  if (current) return current;
  const signal = options.signal ?? shutdownSignal();
  if (signal.aborted) return Promise.reject(new RefreshStoppedError());
  const refresh = withAdvisoryLock(db, SPACE_INDEX_LOCK_ID, () => runRefresh(db, client, options, signal))
    .then((locked): RefreshResult => (locked.acquired ? locked.result : { ran: false, spaces: 0, pages: 0, removed: 0, durationMs: 0 }))
    .finally(() => {
      inFlight.delete(db);
      running.delete(refresh);
    });
  inFlight.set(db, refresh);
  running.add(refresh);
  onShutdown("space index refresh", () => Promise.allSettled([...running]));
  return refresh;
}

async function runRefresh(db: Database, client: PartnerClient, options: RefreshOptions, signal: AbortSignal): Promise<RefreshResult> {
  const stopIfAsked = () => {
    if (signal.aborted) throw new RefreshStoppedError();
  };
  const started = Date.now();
  const previous = await readState(db);
  const empty = (await countSpaces(db)) === 0;
  await saveState(db, {
    state: empty ? "building" : "refreshing",
    startedAt: new Date(started),
    pagesDone: 0,
    pagesTotal: 0,
    error: null,
    generation: (previous?.generation ?? 0) + 1,
  });

  // Writes run one after another (one connection) while the next pages download. Each page is
  // one statement; the tree columns are filled afterwards by placeAll, which the table's
  // fillfactor turns into heap-only updates that leave the trigram index alone.
  let writes: Promise<unknown> = Promise.resolve();
  const enqueue = (write: () => Promise<unknown>) => {
    writes = writes.then(write);
    writes.catch(() => undefined); // awaited below; this only keeps a failure from being "unhandled" meanwhile
  };
  let lastProgressWrite = 0;
  const nodes: TreeNodeInput[] = [];
  const parentOf = new Map<string, string | null>();
  // On a first build every row is new, so what was inserted is known here and placeAll can skip
  // the rows that are already right (most of them) without asking the database.
  const insertedAt = new Map<string, KnownPosition>();
  let cleaned = 0;
  try {
    let pages = 0;
    await fetchAllPages(
      async (page) => {
        stopIfAsked(); // between two pages: a page already on its way is still stored
        const result = await client.getSpaces({ page });
        for (const s of result.spaces) {
          nodes.push({ id: s.id, parentId: s.parentSpaceId });
          parentOf.set(s.id, s.parentSpaceId || null);
        }
        // Path computed now, from the pages seen so far; placeAll corrects the few it could not know.
        const rows = result.spaces.map((s) => ({ space: s, position: knownPosition(parentOf, s.id) }));
        // Stored cleaned by spaceToRow; counted so the status can say so.
        cleaned += result.spaces.filter((s) => cleanRecord(s).cleaned).length;
        if (empty) for (const r of rows) insertedAt.set(r.space.id, r.position);
        enqueue(() => upsertSpaces(db, rows));
        return { items: [], totalNumPages: result.totalNumPages };
      },
      {
        concurrency: options.pageConcurrency ?? configFromEnv().pageConcurrency,
        onProgress: (done, total) => {
          pages = total;
          options.onProgress?.(done, total);
          if (done === total || Date.now() - lastProgressWrite >= PROGRESS_WRITE_INTERVAL_MS) {
            lastProgressWrite = Date.now();
            enqueue(() => db.update(spaceIndexState).set({ pagesDone: done, pagesTotal: total }).where(eq(spaceIndexState.id, 1)));
          }
        },
      },
    );
    await writes;
    stopIfAsked();
    await placeAll(db, nodes, empty ? insertedAt : null);
    const removed = await removeGone(db, nodes, new Date(started));
    const durationMs = Date.now() - started;
    await saveState(db, { state: "ready", finishedAt: new Date(), lastDurationMs: durationMs, error: null, cleanedRecords: cleaned });
    const result = { ran: true, spaces: new Set(nodes.map((n) => n.id)).size, pages, removed, durationMs };
    // Stopping now loses nothing the next refresh would not redo: the index is complete.
    if (signal.aborted) return result;
    // After "ready", as neither is needed to answer: merge the rows the refresh queued in the
    // trigram index's pending list (bulk inserts are cheap that way, but every search scans the
    // list until it is merged; PGlite has no autovacuum), then rebuild the word list.
    await db.execute(sql`select gin_clean_pending_list('space_index_search_trgm_idx'::regclass)`);
    if (signal.aborted) return result;
    await rebuildSearchWords(db);
    if (signal.aborted) return result;
    // The customer list rides along: small, and the same staleness rules fit it.
    await refreshCustomers(db, client).catch((error: unknown) => console.error("Customer list not refreshed", error));
    if (options.crawl && !signal.aborted) {
      const settings = spaceIndexSettings();
      startCrawl(db, client, { concurrency: settings.crawlConcurrency, ratePerSecond: settings.crawlRatePerSecond });
    }
    return result;
  } catch (error) {
    await writes.catch(() => undefined);
    if (error instanceof RefreshStoppedError) {
      // The state row keeps saying "building"/"refreshing" while nobody holds the lock: any
      // instance's next read takes the refresh over (ensureIndexFresh).
      console.error("Space index refresh stopped (shutdown); the lock is released for another instance");
      throw error;
    }
    // The state row is read by every role: a code the UI translates, never SQL or an upstream body.
    console.error("Space index refresh failed", error);
    await saveState(db, {
      // Rows of the previous refresh stay searchable; only a first build that failed is "failed".
      state: empty ? "failed" : "ready",
      error: codeOf(error),
      lastDurationMs: Date.now() - started,
    }).catch(() => undefined);
    throw error;
  }
}

/**
 * One statement per page through jsonb_to_recordset (a tenth of the cost of a 1,300-parameter
 * insert on PGlite). Unchanged rows are not rewritten, so a warm refresh touches almost nothing.
 */
async function upsertSpaces(db: Database, spaces: readonly { space: Space; position: KnownPosition }[]): Promise<void> {
  if (spaces.length === 0) return;
  // A space can appear on two pages when upstream shifts during paging; one row per id per statement.
  const rows = [...new Map(spaces.map(({ space, position }) => [space.id, { ...toRecord(spaceToRow(space)), ...position }])).values()];
  // New rows get their tree position at once; an existing row keeps its own until placeAll, so a
  // warm refresh never shows a half-known path.
  await db.execute(sql`
    insert into ${spaceIndex} (id, name, address_line_one, address_line_two, postcode, city, country, category, parent_id, search_text, raw, placement, path)
    select id, name, address_line_one, address_line_two, postcode, city, country, category, parent_id, search_text, raw, placement, path
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
      id text, name text, address_line_one text, address_line_two text, postcode text, city text,
      country text, category text, parent_id text, search_text text, raw jsonb, placement text, path text[])
    on conflict (id) do update set
      name = excluded.name, address_line_one = excluded.address_line_one, address_line_two = excluded.address_line_two,
      postcode = excluded.postcode, city = excluded.city, country = excluded.country, category = excluded.category,
      parent_id = excluded.parent_id, search_text = excluded.search_text, raw = excluded.raw, updated_at = now()
    where ${spaceIndex.raw} is distinct from excluded.raw`);
}

type KnownPosition = { placement: "root" | "child"; path: string[] };

/**
 * Where a space hangs, if every ancestor is among the spaces seen so far; otherwise (parent not
 * seen yet, dangling, or a loop) "root" for now, which placeAll corrects over the full list.
 */
function knownPosition(parentOf: ReadonlyMap<string, string | null>, id: string): KnownPosition {
  const path: string[] = [];
  let current = parentOf.get(id) ?? null;
  while (current !== null) {
    if (!parentOf.has(current) || path.includes(current) || current === id) return { placement: "root", path: [] };
    path.unshift(current);
    current = parentOf.get(current) ?? null;
  }
  return { placement: path.length > 0 ? "child" : "root", path };
}

function toRecord(row: ReturnType<typeof spaceToRow>) {
  return {
    id: row.id,
    name: row.name,
    address_line_one: row.addressLineOne,
    address_line_two: row.addressLineTwo,
    postcode: row.postcode,
    city: row.city,
    country: row.country,
    category: row.category,
    parent_id: row.parentId,
    search_text: row.searchText,
    raw: row.raw,
  };
}

/**
 * Placement, path and child count of every space from the full parent list, in one statement.
 * `inserted`: the positions rows were inserted with (first build); rows already right are not sent.
 */
async function placeAll(db: Database, nodes: readonly TreeNodeInput[], inserted: ReadonlyMap<string, KnownPosition> | null): Promise<void> {
  const positions = buildForest(nodes);
  const children = new Map<string, number>();
  for (const n of nodes) if (n.parentId && positions.has(n.parentId)) children.set(n.parentId, (children.get(n.parentId) ?? 0) + 1);
  const unchanged = (id: string, placement: string, path: readonly string[]) => {
    const before = inserted?.get(id);
    return !!before && !children.has(id) && before.placement === placement && before.path.join("/") === path.join("/");
  };
  const values = [...positions]
    .filter(([id, p]) => !unchanged(id, p.placement, p.path))
    .map(([id, p]) => ({ id, placement: p.placement, path: p.path, child_count: children.get(id) ?? 0 }));
  if (values.length === 0) return;
  // Only rows whose position changed are written: a warm refresh rewrites almost nothing.
  await db.execute(sql`
    update ${spaceIndex} as s set placement = v.placement, path = v.path, child_count = v.child_count
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id text, placement text, path text[], child_count int)
    where s.id = v.id and (s.placement, s.path, s.child_count) is distinct from (v.placement, v.path, v.child_count)`);
}

/**
 * Spaces upstream no longer lists: every row this refresh did not see, except rows the
 * dashboard wrote itself after the refresh started (a space created meanwhile is not gone).
 */
async function removeGone(db: Database, nodes: readonly TreeNodeInput[], startedAt: Date): Promise<number> {
  const seen = JSON.stringify(nodes.map((n) => n.id));
  return db.transaction(async (tx) => {
    const gone = await tx.execute<{ id: string }>(sql`
      delete from ${spaceIndex}
      where ${spaceIndex.updatedAt} < ${startedAt.toISOString()}::timestamptz
        and ${spaceIndex.id} not in (select jsonb_array_elements_text(${seen}::jsonb))
      returning id`);
    const ids = gone.rows.map((g) => g.id);
    if (ids.length > 0) {
      await tx.delete(spaceDeviceIndex).where(inArray(spaceDeviceIndex.spaceId, ids));
      await tx.delete(spaceUserIndex).where(inArray(spaceUserIndex.spaceId, ids));
    }
    return ids.length;
  });
}

type StateRow = typeof spaceIndexState.$inferSelect;

async function readState(db: Database): Promise<StateRow | undefined> {
  const [row] = await db.select().from(spaceIndexState).where(eq(spaceIndexState.id, 1));
  return row;
}

async function saveState(db: Database, patch: Partial<Omit<StateRow, "id">>): Promise<void> {
  await db.insert(spaceIndexState).values({ id: 1, ...patch }).onConflictDoUpdate({ target: spaceIndexState.id, set: patch });
}

async function countSpaces(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(spaceIndex);
  return row.n;
}

/** The index's state and progress, for the status line and the "refresh now" button. */
export async function getIndexStatus(db: Database): Promise<IndexStatus> {
  const [state, [spaces], [crawled]] = await Promise.all([
    readState(db),
    db.select({ n: count() }).from(spaceIndex),
    db.select({ n: count() }).from(spaceIndex).where(isNotNull(spaceIndex.devicesCrawledAt)),
  ]);
  return {
    state: state?.state ?? "empty",
    spaces: spaces.n,
    pagesDone: state?.pagesDone ?? 0,
    pagesTotal: state?.pagesTotal ?? 0,
    startedAt: state?.startedAt?.toISOString() ?? null,
    finishedAt: state?.finishedAt?.toISOString() ?? null,
    lastDurationMs: state?.lastDurationMs ?? null,
    error: state?.error ?? null,
    crawledSpaces: crawled.n,
    cleanedRecords: state?.cleanedRecords ?? 0,
  };
}

/** Starts a refresh in the background (unless one runs) and crawls after it when enabled. Never throws. */
export function startBackgroundRefresh(db: Database, client: PartnerClient): Promise<RefreshResult | null> {
  return refreshSpaceIndex(db, client, { crawl: spaceIndexSettings().crawlEnabled }).catch((error: unknown) => {
    // Stopped or not started because this process is shutting down: another instance takes over.
    if (!(error instanceof RefreshStoppedError)) console.error("Space index refresh failed", error);
    return null;
  });
}

const FRESH_CHECK_MS = 5_000;
const freshUntil = new WeakMap<Database, number>();
const takeOverTriedAt = new WeakMap<Database, number>();

/** How long a read waits for another instance's first build before answering from an empty index. */
const FIRST_BUILD_WAIT_MS = 60_000;

/**
 * Stale-while-revalidate, called by every read: an empty index is built before answering; an
 * index older than SPACE_INDEX_TTL_SECONDS answers at once and refreshes in the background. A
 * refresh another instance left unfinished (killed, or stopped by SIGTERM) is taken over at once.
 */
export async function ensureIndexFresh(db: Database, client: PartnerClient, now = Date.now()): Promise<void> {
  // Every tree and search request asks; a fresh index stays fresh for a few seconds, so the
  // state row is read at most that often per process (half a millisecond of the server's thread each).
  if ((freshUntil.get(db) ?? 0) > now) return;
  const state = await readState(db);
  if (!state?.finishedAt && (await countSpaces(db)) === 0) {
    const result = await refreshSpaceIndex(db, client, { crawl: spaceIndexSettings().crawlEnabled });
    if (!result.ran) await waitForFirstBuild(db, client);
    return;
  }
  const age = now - (state?.finishedAt?.getTime() ?? 0);
  const ttlMs = spaceIndexSettings().ttlSeconds * 1_000;
  if (age > ttlMs && !inFlight.has(db)) void startBackgroundRefresh(db, client);
  else takeOverIfUnfinished(db, client, state, now);
  if (age < ttlMs) freshUntil.set(db, now + Math.min(FRESH_CHECK_MS, ttlMs - age));
}

/**
 * The state row says "building"/"refreshing" from the start of a refresh to its end, so it also
 * says so after the instance running it died. Whether a refresh really runs is the advisory
 * lock's to say: trying it fails while one runs anywhere, and otherwise starts the refresh here.
 * Tried at most every few seconds per process. For reads that do not build (the status line).
 */
export async function resumeUnfinishedRefresh(db: Database, client: PartnerClient, now = Date.now()): Promise<void> {
  takeOverIfUnfinished(db, client, await readState(db), now);
}

function takeOverIfUnfinished(db: Database, client: PartnerClient, state: StateRow | undefined, now: number): void {
  if ((state?.state !== "building" && state?.state !== "refreshing") || inFlight.has(db)) return;
  if ((takeOverTriedAt.get(db) ?? 0) > now - FRESH_CHECK_MS) return;
  takeOverTriedAt.set(db, now);
  void startBackgroundRefresh(db, client);
}

/** Another instance holds the lock for the first build: wait for it, or take over if it dies. */
async function waitForFirstBuild(db: Database, client: PartnerClient): Promise<void> {
  const deadline = Date.now() + FIRST_BUILD_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const state = await readState(db);
    if (state?.finishedAt || state?.state === "failed") return;
    if ((await refreshSpaceIndex(db, client, { crawl: spaceIndexSettings().crawlEnabled })).ran) return;
  }
}
