/**
 * npm run bench:import — how fast a bulk import (issue 13) runs against a slow partner API, next to
 * the bound its throttle allows, and whether the dashboard's memory grows with the file.
 *
 * Starts the sandbox with BENCH_LATENCY_MS (default 150) on every partner operation and the
 * production dashboard (`next start` on the existing build in .next: run `npx next build` first)
 * with an empty database: PGlite in a temp dir, or a throwaway PostgreSQL with BENCH_POSTGRES=1.
 * Then, as a signed-in staff member over HTTP:
 *   1. uploads and runs a BENCH_SMALL_ROWS-row job (default 1,000), then a BENCH_ROWS-row job
 *      (default 5,000), each timed from "start" to "done", with the dashboard's peak RSS
 *      (/proc/<pid>/status VmRSS every 200 ms) during each;
 *   2. counts the upstream calls per row from the sandbox's call statistics (not assumed), and
 *      prints the bound rows × calls per row × latency ÷ IMPORT_CONCURRENCY and time ÷ bound;
 *   3. parses a BENCH_PARSE_ROWS-row CSV (default 50,000) here, and uploads it (parse, every row
 *      validated, the draft rows stored), timed.
 * IMPORT_CONCURRENCY comes from the environment (default 4, as the dashboard's); IMPORT_RATE_PER_SECOND
 * defaults to 1000 here so that the rate is not the bound (the table says which one is).
 * Ports BENCH_PORT (3660) and BENCH_SANDBOX_PORT (4660). Figures are printed, never asserted.
 * At the defaults the two runs take roughly 3 + 16 minutes (the bound itself is 15.6 min for 5,000 rows).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Papa from "papaparse";
import { maloCheckDigit } from "../lib/domain/identifiers";
import { parseCsv } from "../lib/imports/parse";
import type { ImportJobView } from "../lib/imports/types";
import { startThrowawayPostgres } from "../lib/testing/postgres";
import { signInWithPassword, waitForUrl } from "./dashboard-http";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const ROWS = Number(process.env.BENCH_ROWS ?? 5_000);
const SMALL_ROWS = Number(process.env.BENCH_SMALL_ROWS ?? 1_000);
const PARSE_ROWS = Number(process.env.BENCH_PARSE_ROWS ?? 50_000);
const CONCURRENCY = Number(process.env.IMPORT_CONCURRENCY || 4);
const RATE = Number(process.env.IMPORT_RATE_PER_SECOND || 1_000);
const PORT = Number(process.env.BENCH_PORT ?? 3660);
const SANDBOX_PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4660);
const USE_POSTGRES = process.env.BENCH_POSTGRES === "1";
const CLIENT_ID = "bench-import-client";
const CLIENT_SECRET = "bench-import-secret-8d1a";
const BASE = `http://localhost:${PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const run = Date.now().toString(36);

const work = mkdtempSync(join(tmpdir(), "bench-import-"));
const children: ChildProcess[] = [];
let stopPostgres: (() => void) | undefined;

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  return child;
}

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await sleep(1_500);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  stopPostgres?.();
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

// --- what is measured ----------------------------------------------------------------------------

/** VmRSS of `pid` in bytes (0 once it is gone). */
function rss(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples RSS every 200 ms until stopped; returns the peak. */
function rssSampler(pid: number): () => number {
  let peak = rss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rss(pid))), 200);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rss(pid));
  };
}

async function stats(): Promise<Record<string, number>> {
  return ((await (await fetch(`${SANDBOX}/__sandbox/stats`)).json()) as { requests: Record<string, number> }).requests;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// --- the file and the dashboard ------------------------------------------------------------------

/** `rows` valid rows, each its own address (no two rows wait for each other), MaLos from `maloFrom`. */
function exportFile(prefix: string, rows: number, maloFrom: number): string {
  const header = ["Kundennummer", "Name", "Vertragsnummer", "Straße und Hausnummer", "PLZ", "Ort", "Medium", "MeLo/MaLo", "Vertragsbeginn", "Einladung senden"];
  const lines = Array.from({ length: rows }, (_, i) => {
    const n = i + 1;
    const firstTen = String(5_000_000_000 + maloFrom + n);
    return [`${prefix}${n}`, `Kundin ${n}`, `V-${prefix}${n}`, `Messweg ${maloFrom + n}`, "90402", "Nürnberg", "Strom", firstTen + maloCheckDigit(firstTen), "01.01.2027", "nein"];
  });
  return "\uFEFF" + Papa.unparse([header, ...lines], { delimiter: ";" });
}

async function api(cookie: string, path: string, body?: unknown): Promise<ImportJobView> {
  const res = await fetch(`${BASE}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { cookie, ...(body === undefined ? {} : { origin: BASE, "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { job: ImportJobView }).job;
}

const upload = (cookie: string, name: string, content: string) => api(cookie, "/api/imports", { fileName: name, contentBase64: Buffer.from(content, "utf8").toString("base64") });

interface RunFigures {
  rows: number;
  ms: number;
  callsPerRow: number;
  calls: Record<string, number>;
  peakRss: number;
  baseRss: number;
  failed: number;
}

/** Uploads `rows` rows, starts the job and waits for it, measuring time, calls and memory. */
async function importRun(cookie: string, pid: number, rows: number, maloFrom: number): Promise<RunFigures> {
  const prefix = `KB-${run}-${rows}-`;
  const draft = await upload(cookie, `bench-${rows}.csv`, exportFile(prefix, rows, maloFrom));
  if (draft.counts.plan.create !== rows) throw new Error(`expected ${rows} rows to create, the preview says ${JSON.stringify(draft.counts.plan)}`);
  await sleep(1_000);
  const baseRss = rss(pid);
  await fetch(`${SANDBOX}/__sandbox/stats/reset`, { method: "POST" });
  const peak = rssSampler(pid);
  const t0 = performance.now();
  await api(cookie, `/api/imports/${draft.id}/control`, { action: "start" });
  let job = draft;
  let lastPrint = 0;
  for (;;) {
    job = await api(cookie, `/api/imports/${draft.id}`);
    if (job.status === "done" || job.status === "cancelled" || job.status === "paused") break;
    if (performance.now() - lastPrint > 15_000) {
      lastPrint = performance.now();
      console.log(`  … ${job.counts.state.done + job.counts.state.failed}/${rows} rows after ${secs(performance.now() - t0)}`);
    }
    await sleep(250);
  }
  const ms = performance.now() - t0;
  const peakRss = peak();
  if (job.status !== "done") throw new Error(`the ${rows}-row job ended ${job.status}`);
  const calls = await stats();
  delete calls.createApiToken;
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  return { rows, ms, callsPerRow: total / rows, calls, peakRss, baseRss, failed: job.counts.state.failed };
}

async function main(): Promise<void> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no production build in .next: run `npx next build` first");
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`settings: IMPORT_CONCURRENCY=${CONCURRENCY} IMPORT_RATE_PER_SECOND=${RATE} latency ${LATENCY_MS} ms on every partner operation; database ${USE_POSTGRES ? "PostgreSQL (throwaway)" : "PGlite"}`);

  let database: Record<string, string> = { DATA_DIR: join(work, "data") };
  if (USE_POSTGRES) {
    const pg = await startThrowawayPostgres();
    if ("skipped" in pg) throw new Error(`BENCH_POSTGRES=1 but ${pg.skipped}`);
    stopPostgres = pg.stop;
    database = { DATABASE_URL: pg.adminUrl };
  }
  start("node_modules/.bin/tsx", ["sandbox/main.ts"], {
    SANDBOX_PORT: String(SANDBOX_PORT),
    SANDBOX_DB: join(work, "sandbox.sqlite"),
    SANDBOX_SPACES: "100",
    SANDBOX_READING_DAYS: "1",
    SANDBOX_QUIET: "1",
    SANDBOX_LATENCY_MS: String(LATENCY_MS),
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
  });
  await waitForUrl(`${SANDBOX}/__sandbox/health`, 120_000);
  const dashboard = start("node_modules/.bin/next", ["start", "-p", String(PORT)], {
    ...database,
    NEXTAUTH_SECRET: "bench-import-nextauth-secret-2f9b",
    NEXTAUTH_URL: BASE,
    ZF_API_BASE_URL: `${SANDBOX}/partner`,
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
    DEMO_MODE: "1",
    SPACE_CRAWL_ENABLED: "0",
    IMPORT_CONCURRENCY: String(CONCURRENCY),
    IMPORT_RATE_PER_SECOND: String(RATE),
    NODE_OPTIONS: "--max-http-header-size=8192",
  });
  await waitForUrl(`${BASE}/api/ready`, 60_000);
  const pid = dashboard.pid!;
  const cookie = await signInWithPassword(BASE, "staff@example.com");

  const runs: RunFigures[] = [];
  for (const [i, rows] of [SMALL_ROWS, ROWS].entries()) {
    if (rows <= 0) continue;
    console.log(`importing ${rows} rows …`);
    runs.push(await importRun(cookie, pid, rows, i * 1_000_000));
  }

  // Parse here (the same code the route runs), then the whole upload: parse + validate + draft rows stored.
  const big = exportFile(`KP-${run}-`, PARSE_ROWS, 2_000_000);
  const bytes = new TextEncoder().encode(big);
  const p0 = performance.now();
  const parsed = parseCsv(bytes);
  const parseMs = performance.now() - p0;
  if (parsed.rows.length !== PARSE_ROWS) throw new Error(`parsed ${parsed.rows.length} rows, expected ${PARSE_ROWS}`);
  const uploadPeak = rssSampler(pid);
  const u0 = performance.now();
  const draft = await upload(cookie, `bench-${PARSE_ROWS}.csv`, big);
  const uploadMs = performance.now() - u0;
  const uploadRss = uploadPeak();

  console.log("");
  console.log(`| rows | time | upstream calls / row | bound (rows × calls × ${LATENCY_MS} ms ÷ ${CONCURRENCY}) | time ÷ bound | rate bound (rows ÷ ${RATE}/s) | dashboard RSS before → peak | failed |`);
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of runs) {
    const bound = (r.rows * r.callsPerRow * LATENCY_MS) / CONCURRENCY;
    const rateBound = (r.rows / RATE) * 1000;
    console.log(
      `| ${r.rows} | ${secs(r.ms)} | ${r.callsPerRow.toFixed(2)} | ${secs(bound)} | **${(r.ms / bound).toFixed(2)}** | ${secs(rateBound)}${rateBound > bound ? " (the bound)" : ""} | ${mib(r.baseRss)} → ${mib(r.peakRss)} | ${r.failed} |`,
    );
  }
  console.log("");
  for (const r of runs) {
    const perRow = Object.entries(r.calls)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${(n / r.rows).toFixed(2)}`)
      .join(", ");
    console.log(`upstream calls per row (${r.rows} rows): ${perRow}`);
  }
  console.log(`${PARSE_ROWS} rows (${(bytes.length / 1024 / 1024).toFixed(1)} MiB CSV): parse ${secs(parseMs)} here; upload (parse + validate + ${draft.counts.total} draft rows stored) ${secs(uploadMs)}, dashboard peak RSS ${mib(uploadRss)}`);
  console.log("target: time ÷ bound ≤ 1.2 and RSS flat in the number of rows (printed, not asserted)");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
