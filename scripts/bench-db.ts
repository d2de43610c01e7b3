/**
 * npm run bench:db — the same database work on PGlite (embedded) and on PostgreSQL, side by side,
 * so that choosing between them rests on figures from this machine rather than on a guess.
 *
 *   1. cold build of the space index (refreshSpaceIndex, the real code path) from the sandbox
 *      partner API with BENCH_SPACES spaces (default 20000), from empty tables to "ready";
 *   2. search latency (searchSpaces) over that index: names, postcodes, misspelt streets and
 *      meter-id prefixes, BENCH_QUERIES in all (default 200), p50 / p95;
 *   3. the audit log's CSV export (auditCsvStream, lib/audit/export.ts) of BENCH_AUDIT_ROWS rows (default 100000),
 *      with the peak RSS growth of this process while it streams;
 *   4. idempotent creates (idempotentWrite) by BENCH_CLIENTS concurrent callers (default 50)
 *      against a fake upstream that answers after BENCH_SEND_MS (default 20): distinct keys
 *      (creates/s), and all callers with one key (exactly one send, asserted).
 *
 * The sandbox runs as its own process, as for bench:spaces, with no latency: the figures are the
 * dashboard's and the database's work, not the network's. PostgreSQL is a throwaway cluster
 * (lib/testing/postgres.ts, fsync off); without one the PGlite column is printed alone, with the
 * reason. Figures are printed, never asserted — except that one key must mean one send.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { Client } from "pg";
import { createDatabase, type Database, type DatabaseHandle } from "../lib/db";
// next-intl's own entry re-exports exactly this (`export * from "use-intl/core"`), but outside
// Next it also loads React client hooks, which fail under --conditions=react-server.
import { createTranslator } from "use-intl/core";
import type { MessageTranslator } from "../lib/audit/describe";
import { auditCsvStream, COLUMNS } from "../lib/audit/export";
import { auditLog } from "../lib/db/schema";
import { IdempotencyConflictError, idempotentWrite } from "../lib/idempotency";
import { createPartnerClient, type Device, type PartnerClient, type Space } from "../lib/partner-api";
import { CONFIG_DEFAULTS } from "../lib/partner-api/config";
import { normalizeMelo } from "../lib/domain/identifiers";
import { getIndexStatus, refreshSpaceIndex, rememberDevices } from "../lib/spaces";
import { searchSpaces } from "../lib/spaces/search";
import { messagesFor } from "../lib/i18n/messages";
import { freePort, startThrowawayPostgres } from "../lib/testing/postgres";
import { waitForUrl } from "./dashboard-http";
import { misspell, percentile, sample } from "./bench-figures";

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};
const SPACES = env("BENCH_SPACES", 20_000);
const QUERIES = env("BENCH_QUERIES", 200);
const AUDIT_ROWS = env("BENCH_AUDIT_ROWS", 100_000);
const CLIENTS = env("BENCH_CLIENTS", 50);
const CREATES = env("BENCH_CREATES", 2_000);
const SEND_MS = env("BENCH_SEND_MS", 20);
/** Spaces whose devices are fetched and indexed, so that meter-id queries have something to find. */
const DEVICE_SPACES = env("BENCH_DEVICE_SPACES", 2_000);
const PAGE_SIZE = 100;
const PAGE_CONCURRENCY = CONFIG_DEFAULTS.pageConcurrency;
const CLIENT_ID = "bench-db-client";
const CLIENT_SECRET = "bench-db-secret-52c1";

const work = mkdtempSync(join(tmpdir(), "bench-db-"));
let sandboxProcess: ChildProcess | undefined;
let stopPostgres: (() => void) | undefined;

// --- small helpers ---------------------------------------------------------------------------





/** Runs `task` for 0..count-1 with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => bytes / 1024 / 1024;

// --- what the partner API holds --------------------------------------------------------------

function partnerClient(baseUrl: string): PartnerClient {
  return createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, pageSize: PAGE_SIZE, pageConcurrency: PAGE_CONCURRENCY });
}

async function startSandbox(): Promise<string> {
  const port = await freePort();
  sandboxProcess = spawn("node_modules/.bin/tsx", ["sandbox/main.ts"], {
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_HOST: "127.0.0.1",
      SANDBOX_DB: join(work, "sandbox.sqlite"),
      SANDBOX_SPACES: String(SPACES),
      SANDBOX_READING_DAYS: "0",
      SANDBOX_PAGE_SIZE_MAX: String(PAGE_SIZE),
      SANDBOX_LATENCY_MS: "0",
      SANDBOX_RESET: "1",
      SANDBOX_QUIET: "1",
      ZF_CLIENT_ID: CLIENT_ID,
      ZF_CLIENT_SECRET: CLIENT_SECRET,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/__sandbox/health`, 120_000);
  return `${url}/partner`;
}

type QueryKind = "name (exact)" | "postcode" | "street (typo)" | "meter-id prefix";
const KINDS: QueryKind[] = ["name (exact)", "postcode", "street (typo)", "meter-id prefix"];
const KIND_KEYS: Record<QueryKind | "all", string> = { all: "all", "name (exact)": "name", postcode: "postcode", "street (typo)": "streetTypo", "meter-id prefix": "meterIdPrefix" };

interface Upstream {
  spaces: Space[];
  /** The devices of DEVICE_SPACES spaces, indexed on each database before searching. */
  devices: Map<string, Device[]>;
  queries: { kind: QueryKind; q: string }[];
}

async function readUpstream(client: PartnerClient): Promise<Upstream> {
  const spaces = await client.getAllSpaces();
  const devices = new Map<string, Device[]>();
  const withDevices = sample(spaces, Math.min(DEVICE_SPACES, spaces.length));
  await pool(withDevices.length, 8, async (i) => {
    devices.set(withDevices[i].id, await client.getAllDevicesInSpace(withDevices[i].id));
  });
  const melos = [...devices.values()]
    .flat()
    .flatMap((d) => (d.externalDeviceIds ?? []).filter((id) => /^DE\d{11}/.test(normalizeMelo(id))).map((id) => normalizeMelo(id)));
  const perKind = Math.ceil(QUERIES / KINDS.length);
  const street = (s: Space) => s.addressLineOne.replace(/\s+\d+\s*\w?$/, "");
  const byKind: Record<QueryKind, string[]> = {
    "name (exact)": sample(spaces, perKind).map((s) => s.name),
    postcode: sample(spaces, perKind).map((s) => s.postcode),
    "street (typo)": sample(spaces, perKind).map((s) => misspell(street(s))),
    // What someone types before the rest of a 33-character MeLo: the first 16 characters.
    "meter-id prefix": sample(melos, perKind).map((melo) => melo.slice(0, 16)),
  };
  // Interleaved, so that no kind is measured only while the caches are cold.
  const queries: Upstream["queries"] = [];
  for (let i = 0; i < perKind; i++) for (const kind of KINDS) if (byKind[kind][i]) queries.push({ kind, q: byKind[kind][i] });
  return { spaces, devices, queries: queries.slice(0, QUERIES) };
}

// --- the four measurements --------------------------------------------------------------------

interface EngineFigures {
  coldBuildMs: number;
  coldBuildReturnedMs: number;
  indexedSpaces: number;
  rememberDevicesMs: number;
  search: Record<QueryKind | "all", { p50: number; p95: number; hits: number; n: number }>;
  auditSeedMs: number;
  auditExport: { ms: number; firstRowsMs: number; rows: number; mib: number; peakRssGrowthMib: number; peakHeapGrowthMib: number; liveHeapGrowthMib: number };
  creates: { perSecond: number; p50: number; p95: number; sends: number; seconds: number };
  sameKey: { ms: number; sends: number; answered: number; conflicts: number; replayMs: number };
}

async function coldBuild(db: Database, client: PartnerClient) {
  const t0 = performance.now();
  const result = await refreshSpaceIndex(db, client, { pageConcurrency: PAGE_CONCURRENCY });
  const returnedMs = performance.now() - t0;
  const status = await getIndexStatus(db);
  if (status.state !== "ready") throw new Error(`index not ready after the build: ${status.state} ${status.error ?? ""}`);
  // durationMs: from the start of the refresh to the moment it wrote "ready" (the word list and
  // the customer list follow after that, until refreshSpaceIndex returns).
  return { coldBuildMs: result.durationMs, coldBuildReturnedMs: returnedMs, indexedSpaces: status.spaces };
}

async function indexDevices(db: Database, devices: Map<string, Device[]>): Promise<number> {
  const t0 = performance.now();
  for (const [spaceId, list] of devices) await rememberDevices(db, spaceId, list);
  return performance.now() - t0;
}

async function searchLatency(db: Database, queries: Upstream["queries"]): Promise<EngineFigures["search"]> {
  // A few queries first, not counted: the first query of a process plans and loads everything.
  for (const { q } of queries.slice(0, 8)) await searchSpaces(db, q);
  const times: Record<QueryKind, number[]> = { "name (exact)": [], postcode: [], "street (typo)": [], "meter-id prefix": [] };
  const hits: Record<QueryKind, number> = { "name (exact)": 0, postcode: 0, "street (typo)": 0, "meter-id prefix": 0 };
  for (const { kind, q } of queries) {
    const t0 = performance.now();
    const found = await searchSpaces(db, q);
    times[kind].push(performance.now() - t0);
    if (found.length > 0) hits[kind]++;
  }
  const figures = (values: number[], withHits: number) => ({ p50: percentile(values, 50), p95: percentile(values, 95), hits: withHits, n: values.length });
  const all = KINDS.flatMap((k) => times[k]);
  return {
    ...(Object.fromEntries(KINDS.map((k) => [k, figures(times[k], hits[k])])) as Record<QueryKind, ReturnType<typeof figures>>),
    all: figures(all, KINDS.reduce((sum, k) => sum + hits[k], 0)),
  };
}

/**
 * AUDIT_ROWS rows in one statement, shaped like the real log: a few staff members and the
 * system, the usual actions, one failure in twenty with the upstream's status, details with a
 * space id on most rows, one row a minute going back in time.
 */
async function seedAudit(db: Database): Promise<number> {
  const t0 = performance.now();
  await db.execute(sql`
    insert into ${auditLog} (at, actor_id, actor_email, actor_role, action, target_type, target_id, summary, details, outcome, upstream_status, error_message)
    select now() - make_interval(mins => i),
           case when i % 10 = 0 then null else 'staff-' || (i % 7) end,
           case when i % 10 = 0 then null else (array['anna.schmidt','jonas.weber','lea.fischer','max.mueller','mia.wagner','paul.becker','sara.hoffmann'])[1 + i % 7] || '@example.com' end,
           case when i % 10 = 0 then null else (array['staff','manager','support'])[1 + i % 3] end,
           (array['space.create','space.update','device.register','invite.create','invite.resend','readings.store','user.remove','customer.upsert'])[1 + i % 8],
           (array['space','space','device','invite','invite','device','user','customer'])[1 + i % 8],
           md5(i::text),
           'Bench row ' || i || ': Lindenstraße ' || (i % 200) || ', 10115 Berlin',
           case when i % 4 = 0 then null else jsonb_build_object('spaceId', md5((i / 3)::text), 'name', 'Wohnung ' || (i % 40), 'fields', jsonb_build_array('name', 'postcode')) end,
           case when i % 20 = 0 then 'error' else 'ok' end,
           case when i % 20 = 0 then 502 else 200 end,
           case when i % 20 = 0 then 'Bad Gateway: upstream did not answer' else null end
    from generate_series(1, ${AUDIT_ROWS}::int) as i`);
  return performance.now() - t0;
}

/**
 * The whole log (no filter: the largest export a manager can ask for) through auditCsvStream, in
 * German as the route serves it by default, read to the end as a client would and thrown away.
 *
 * Memory, read twice. First as it runs: RSS and JS heap sampled every 5 ms and at every chunk,
 * growth over a baseline taken after a full GC (the script runs with --expose-gc). That peak
 * includes garbage V8 has not collected yet and, on PGlite, its WASM heap, which grows to a
 * high-water mark and never shrinks. So a second export forces a GC every 10 batches and keeps
 * the largest live heap after it: what the export really holds. Streamed, that stays flat
 * whatever the number of rows (try BENCH_AUDIT_ROWS=300000); loaded whole, it would be several
 * times the CSV's size.
 */
async function exportAudit(db: Database, expectedRows: number): Promise<EngineFigures["auditExport"]> {
  const natural = await readExport(db, expectedRows, false);
  const checked = await readExport(db, expectedRows, true);
  return { ...natural, liveHeapGrowthMib: checked.liveHeapGrowthMib };
}

async function readExport(db: Database, expectedRows: number, collectGarbage: boolean) {
  const locale = "de" as const;
  const messages = messagesFor(locale);
  const t = createTranslator({ locale, messages }) as unknown as MessageTranslator;
  const csv = createTranslator({ locale, messages, namespace: "audit.csv" }) as unknown as MessageTranslator;
  const headings = Object.fromEntries(COLUMNS.map((c) => [c, csv(c)])) as Record<(typeof COLUMNS)[number], string>;
  const gc = (globalThis as { gc?: () => void }).gc;

  gc?.();
  await sleep(100);
  const before = process.memoryUsage();
  let peak = before.rss;
  let peakHeap = before.heapUsed;
  let liveHeap = before.heapUsed;
  const sampleRss = () => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sampleRss, 5);
  let bytes = 0;
  let newlines = 0;
  // The heading is queued before any query runs; the first batch of rows is what a person waits for.
  let chunks = 0;
  let firstRowsMs = NaN;
  const t0 = performance.now();
  try {
    const reader = auditCsvStream(db, {}, { locale, t, headings }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (++chunks === 2) firstRowsMs = performance.now() - t0;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 0x0a) newlines++;
      sampleRss();
      if (collectGarbage && gc && chunks % 10 === 0) {
        gc();
        liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
      }
    }
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  // One line per row (no cell of the seeded rows holds a line break) after the heading.
  const rows = newlines - 1;
  if (rows !== expectedRows) throw new Error(`audit export: ${rows} rows, expected ${expectedRows}`);
  return {
    ms,
    firstRowsMs,
    rows,
    mib: mib(bytes),
    peakRssGrowthMib: mib(peak - before.rss),
    peakHeapGrowthMib: mib(peakHeap - before.heapUsed),
    liveHeapGrowthMib: gc ? mib(liveHeap - before.heapUsed) : NaN,
  };
}

async function createThroughput(db: Database, label: string): Promise<EngineFigures["creates"]> {
  const actor = { id: "bench-staff", email: "bench@example.com", role: "staff" as const };
  const scope = `bench.create.${label}`;
  let sends = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await pool(CREATES, CLIENTS, async (i) => {
    const started = performance.now();
    await idempotentWrite(db, {
      idempotency: { scope, key: randomUUID(), actorId: actor.id, request: { name: `Neubau ${i}`, postcode: "10115" } },
      audit: { actor, action: scope, target: { type: "space", id: "pending" }, summary: `Created space Neubau ${i}` },
      targetIdOf: (result: { spaceId: string }) => result.spaceId,
      send: async () => {
        sends++;
        await sleep(SEND_MS);
        return { spaceId: randomUUID() };
      },
    });
    latencies.push(performance.now() - started);
  });
  const seconds = (performance.now() - t0) / 1000;
  const [audited] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.action, scope));
  if (sends !== CREATES || audited.n !== CREATES) throw new Error(`distinct keys: ${CREATES} creates made ${sends} sends and ${audited.n} audit rows`);
  return { perSecond: CREATES / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), sends, seconds };
}

/**
 * All callers at once with one key, as after a double click and a retry storm: exactly one send.
 * The others either get the stored answer (after the first finished) or 409 in_progress (while
 * it runs); then all of them ask again and must all get the one answer, with no send.
 */
async function sameKey(db: Database, label: string): Promise<EngineFigures["sameKey"]> {
  const actor = { id: "bench-staff", email: "bench@example.com", role: "staff" as const };
  const scope = `bench.samekey.${label}`;
  let sends = 0;
  const write = () =>
    idempotentWrite(db, {
      idempotency: { scope, key: "the-one-key", actorId: actor.id, request: { name: "Doppelklick 1", postcode: "10115" } },
      audit: { actor, action: scope, target: { type: "space", id: "pending" }, summary: "Created space Doppelklick 1" },
      targetIdOf: (result: { spaceId: string }) => result.spaceId,
      send: async () => {
        sends++;
        await sleep(SEND_MS);
        return { spaceId: randomUUID() };
      },
    });
  const fail = (why: string): never => {
    throw new Error(`SAME KEY on ${label}: ${why} — idempotency is broken`);
  };

  const t0 = performance.now();
  const first = await Promise.allSettled(Array.from({ length: CLIENTS }, write));
  const ms = performance.now() - t0;
  const answers = first.flatMap((s) => (s.status === "fulfilled" ? [s.value.spaceId] : []));
  const others = first.flatMap((s) => (s.status === "rejected" && !(s.reason instanceof IdempotencyConflictError) ? [s.reason] : []));
  if (others.length > 0) fail(`${others.length} callers failed with something other than 409 in_progress: ${String(others[0])}`);
  if (sends !== 1) fail(`${sends} sends for ${CLIENTS} callers`);
  if (new Set(answers).size !== 1) fail(`${new Set(answers).size} different answers`);

  const t1 = performance.now();
  const again = await Promise.allSettled(Array.from({ length: CLIENTS }, write));
  const replayMs = performance.now() - t1;
  const replayed = again.flatMap((s) => (s.status === "fulfilled" ? [s.value.spaceId] : []));
  if (replayed.length !== CLIENTS || replayed.some((id) => id !== answers[0])) fail(`the retries did not all get the stored answer (${replayed.length}/${CLIENTS})`);
  if (sends !== 1) fail(`${sends} sends after the retries`);
  const [audited] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditLog).where(eq(auditLog.action, scope));
  if (audited.n !== 1) fail(`${audited.n} audit rows`);
  return { ms, sends, answered: answers.length, conflicts: CLIENTS - answers.length, replayMs };
}

async function measure(label: string, handle: DatabaseHandle, client: PartnerClient, upstream: Upstream): Promise<EngineFigures> {
  const { db } = handle;
  console.log(`[${label}] cold index build of ${SPACES} spaces …`);
  const build = await coldBuild(db, client);
  if (build.indexedSpaces !== upstream.spaces.length) throw new Error(`[${label}] indexed ${build.indexedSpaces} of ${upstream.spaces.length} spaces`);
  console.log(`[${label}] indexing the devices of ${upstream.devices.size} spaces, then ${upstream.queries.length} searches …`);
  const rememberDevicesMs = await indexDevices(db, upstream.devices);
  const search = await searchLatency(db, upstream.queries);
  console.log(`[${label}] audit log: ${AUDIT_ROWS} rows, then the CSV export …`);
  const auditSeedMs = await seedAudit(db);
  const auditExport = await exportAudit(db, AUDIT_ROWS);
  console.log(`[${label}] ${CREATES} idempotent creates by ${CLIENTS} callers, then ${CLIENTS} callers with one key …`);
  const creates = await createThroughput(db, label);
  const one = await sameKey(db, label);
  return { ...build, rememberDevicesMs, search, auditSeedMs, auditExport, creates, sameKey: one };
}

// --- the two engines --------------------------------------------------------------------------

async function onPglite(baseUrl: string, upstream: Upstream): Promise<EngineFigures> {
  // A data folder on disk, as the dashboard runs it (DATA_DIR), one process per folder.
  const handle = await createDatabase({ dataDir: join(work, "pglite") });
  try {
    return await measure("PGlite", handle, partnerClient(baseUrl), upstream);
  } finally {
    await handle.close();
  }
}

async function onPostgres(adminUrl: string, baseUrl: string, upstream: Upstream): Promise<EngineFigures> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("create database bench_db");
  } finally {
    await admin.end();
  }
  const handle = await createDatabase({ url: adminUrl.replace(/\/postgres$/, "/bench_db") });
  try {
    return await measure("PostgreSQL", handle, partnerClient(baseUrl), upstream);
  } finally {
    await handle.close();
  }
}

// --- output ------------------------------------------------------------------------------------

const msText = (value: number) => (Number.isNaN(value) ? "n/a" : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`);

type Figure = { key: string; label: string; value: (f: EngineFigures) => number | string; text: (f: EngineFigures) => string };

function figures(): Figure[] {
  const searchRows = (["all", ...KINDS] as const).flatMap((kind): Figure[] => [
    {
      key: `search.${KIND_KEYS[kind]}.p50`,
      label: `search p50, ${kind === "all" ? `all ${QUERIES} queries` : kind}`,
      value: (f) => f.search[kind].p50,
      text: (f) => `${msText(f.search[kind].p50)}${kind === "all" ? "" : ` (hits ${f.search[kind].hits}/${f.search[kind].n})`}`,
    },
    { key: `search.${KIND_KEYS[kind]}.p95`, label: `search p95, ${kind === "all" ? `all ${QUERIES} queries` : kind}`, value: (f) => f.search[kind].p95, text: (f) => msText(f.search[kind].p95) },
  ]);
  return [
    { key: "coldBuildMs", label: `cold index build, ${SPACES} spaces, to "ready"`, value: (f) => f.coldBuildMs, text: (f) => msText(f.coldBuildMs) },
    { key: "coldBuildReturnedMs", label: "… until refreshSpaceIndex returns (word list, customers)", value: (f) => f.coldBuildReturnedMs, text: (f) => msText(f.coldBuildReturnedMs) },
    { key: "rememberDevicesMs", label: `rememberDevices for ${DEVICE_SPACES} spaces (set-up for meter-id search)`, value: (f) => f.rememberDevicesMs, text: (f) => msText(f.rememberDevicesMs) },
    ...searchRows,
    { key: "auditSeedMs", label: `audit log: insert ${AUDIT_ROWS} rows (one INSERT … SELECT)`, value: (f) => f.auditSeedMs, text: (f) => msText(f.auditSeedMs) },
    { key: "auditExportMs", label: `audit CSV export, ${AUDIT_ROWS} rows: total`, value: (f) => f.auditExport.ms, text: (f) => `${msText(f.auditExport.ms)} (${f.auditExport.rows} rows, ${f.auditExport.mib.toFixed(1)} MiB of CSV)` },
    { key: "auditExportFirstRowsMs", label: "audit CSV export: first batch of rows", value: (f) => f.auditExport.firstRowsMs, text: (f) => msText(f.auditExport.firstRowsMs) },
    { key: "auditExportPeakRssGrowthMib", label: "audit CSV export: peak RSS growth of this process (JS heap peak)", value: (f) => f.auditExport.peakRssGrowthMib, text: (f) => `${f.auditExport.peakRssGrowthMib.toFixed(1)} MiB (JS heap ${f.auditExport.peakHeapGrowthMib.toFixed(1)} MiB)` },
    {
      key: "auditExportLiveHeapGrowthMib",
      label: "audit CSV export: live JS heap growth (2nd export, GC every 10 batches)",
      value: (f) => f.auditExport.liveHeapGrowthMib,
      text: (f) => (Number.isNaN(f.auditExport.liveHeapGrowthMib) ? "n/a (run with --expose-gc)" : `${f.auditExport.liveHeapGrowthMib.toFixed(1)} MiB`),
    },
    {
      key: "createsPerSecond",
      label: `idempotent creates, ${CLIENTS} callers, distinct keys (creates/s, higher is better)`,
      value: (f) => f.creates.perSecond,
      text: (f) => `${f.creates.perSecond.toFixed(0)} /s (${CREATES} in ${f.creates.seconds.toFixed(1)} s)`,
    },
    { key: "createP50Ms", label: "… latency of one create p50 (incl. the send)", value: (f) => f.creates.p50, text: (f) => msText(f.creates.p50) },
    { key: "createP95Ms", label: "… latency of one create p95", value: (f) => f.creates.p95, text: (f) => msText(f.creates.p95) },
    {
      key: "sameKeyMs",
      label: `one key, ${CLIENTS} callers at once: all answered`,
      value: (f) => f.sameKey.ms,
      text: (f) => `${msText(f.sameKey.ms)} (${f.sameKey.sends} send, ${f.sameKey.answered} got the answer, ${f.sameKey.conflicts} got 409)`,
    },
    { key: "sameKeyReplayMs", label: `… the ${CLIENTS} again: all replayed`, value: (f) => f.sameKey.replayMs, text: (f) => msText(f.sameKey.replayMs) },
  ];
}

function ratio(a: number | string, b: number | string): string {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b) || a === 0) return "—";
  return `${(b / a).toFixed(2)} ×`;
}

function print(pglite: EngineFigures, postgres: EngineFigures | { skipped: string }) {
  const rows = figures().map((f) => {
    const pg = "skipped" in postgres ? null : postgres;
    return [f.label, f.text(pglite), pg ? f.text(pg) : "—", pg ? ratio(f.value(pglite), f.value(pg)) : "—"];
  });
  const header = ["operation", "PGlite", "PostgreSQL", "PostgreSQL / PGlite"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  if ("skipped" in postgres) console.log(`\nPostgreSQL skipped: ${postgres.skipped}`);
  console.log("\nRatio > 1: PostgreSQL takes longer (or, for creates/s, does more). PostgreSQL: throwaway cluster, fsync off, pg Pool of 10.");
}

/** One line for machines: every figure by key, on both engines, with the ratio. */
function json(pglite: EngineFigures, postgres: EngineFigures | { skipped: string }, load: [number, number]) {
  const cores = cpus();
  const pg = "skipped" in postgres ? null : postgres;
  const value = (fig: Figure, f: EngineFigures) => {
    const v = fig.value(f);
    return typeof v === "number" ? round(v, 2) : v;
  };
  return JSON.stringify({
    bench: "db",
    date: new Date().toISOString(),
    machine: { cores: cores.length, cpu: cores[0]?.model.trim() ?? "unknown", node: process.version, loadAverage1m: { before: round(load[0], 2), after: round(load[1], 2) } },
    settings: { spaces: SPACES, queries: QUERIES, auditRows: AUDIT_ROWS, clients: CLIENTS, creates: CREATES, sendMs: SEND_MS, deviceSpaces: DEVICE_SPACES, pageSize: PAGE_SIZE, pageConcurrency: PAGE_CONCURRENCY },
    postgresSkipped: pg ? null : (postgres as { skipped: string }).skipped,
    figures: Object.fromEntries(
      figures().map((fig) => {
        const r = pg ? ratio(fig.value(pglite), fig.value(pg)) : "—";
        return [fig.key, { pglite: value(fig, pglite), postgres: pg ? value(fig, pg) : null, ratio: r === "—" ? null : Number(r.replace(" ×", "")) }];
      }),
    ),
  });
}

async function main(): Promise<void> {
  const cores = cpus();
  console.log(
    `bench:db — ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown"}), node ${process.version}; ${SPACES} spaces, ${QUERIES} queries, ` +
      `${AUDIT_ROWS} audit rows, ${CLIENTS} clients, ${CREATES} creates, send ${SEND_MS} ms, devices of ${DEVICE_SPACES} spaces`,
  );
  const loadBefore = loadavg()[0];
  console.log("starting the sandbox partner API (own process, no latency) …");
  const baseUrl = await startSandbox();
  console.log("reading what it holds (spaces, devices of sampled spaces) to build the queries …");
  const upstream = await readUpstream(partnerClient(baseUrl));

  console.log("starting a throwaway PostgreSQL cluster …");
  const cluster = await startThrowawayPostgres();
  if ("stop" in cluster) stopPostgres = cluster.stop;

  const pglite = await onPglite(baseUrl, upstream);
  const postgres = "skipped" in cluster ? cluster : await onPostgres(cluster.adminUrl, baseUrl, upstream);
  const loadAfter = loadavg()[0];
  print(pglite, postgres);
  // Both engines share the cores with this process and the sandbox; anything else running makes
  // the figures noise. The load before the start is the others' (the run's own load is in "after").
  const busy = loadBefore > 1;
  console.log(`load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} on ${cores.length} cores${busy ? " — BUSY MACHINE: other processes were running, repeat when it is idle" : ""}`);
  console.log(json(pglite, postgres, [loadBefore, loadAfter]));
}

async function cleanup(): Promise<void> {
  try {
    stopPostgres?.();
  } catch (error) {
    console.error("stopping PostgreSQL failed", error);
  }
  if (sandboxProcess && sandboxProcess.exitCode === null) {
    sandboxProcess.kill("SIGTERM");
    await sleep(500);
    if (sandboxProcess.exitCode === null) sandboxProcess.kill("SIGKILL");
  }
  rmSync(work, { recursive: true, force: true });
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
