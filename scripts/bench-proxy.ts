/**
 * npm run bench:proxy — what the dashboard adds on top of the partner API, and how many lookups it serves.
 *
 * Starts the sandbox (BENCH_SPACES spaces, default 2000, with BENCH_READING_DAYS days of readings,
 * upstream latency 0), builds the production dashboard into its own folder (.next-bench-proxy, never
 * the default .next) and starts it with an empty database in a temp dir, signs in BENCH_SESSIONS
 * (default 50) distinct sessions through next-auth's credentials flow, and prints:
 *   1. proxy overhead: p50/p95 of the same read done directly against the sandbox (bearer token) and
 *      through the dashboard (session cookie), and their difference, at 1 and at BENCH_SESSIONS
 *      concurrent sessions, for a device's readings (the readings page's default: 7 days, hourly, and
 *      a heavier 7 days at 15 minutes) and a page of 100 spaces;
 *   2. search and tree: requests/s and p50/p95 at 1 and BENCH_SESSIONS sessions once the space index
 *      is ready, with the CPU the next process (and its busiest thread) used meanwhile;
 *   3. the machine and the settings.
 * Every loop is bounded (BENCH_REQUESTS per read and level, BENCH_DURATION_S / BENCH_MAX_REQUESTS
 * per throughput run). Everything runs on 127.0.0.1/localhost (BENCH_PORT 3650, BENCH_SANDBOX_PORT
 * 4650, refused if taken); child processes and the temp dir are removed on exit, on failure and on
 * Ctrl-C. BENCH_SKIP_BUILD=1 reuses an existing build; BENCH_ACCEPT_ENCODING=identity measures
 * without the dashboard's gzip (by default requests ask for gzip, as a browser does). The CPU
 * columns come from /proc and include every other process on the machine ("others"): a run
 * beside a build or a test suite is noisy.
 * Figures are printed, never asserted: speed is measured, not tested.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Device, Space } from "../lib/partner-api/schemas";
import type { IndexStatus, TreeChildrenResponse } from "../lib/spaces/types";
import { signInWithPassword } from "./dashboard-http";
import { misspell, percentile, sample } from "./bench-figures";

const SPACES = Number(process.env.BENCH_SPACES ?? 2_000);
const READING_DAYS = Number(process.env.BENCH_READING_DAYS ?? 8);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 2_000);
const PORT = Number(process.env.BENCH_PORT ?? 3650);
const SANDBOX_PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4650);
const DIST_DIR = ".next-bench-proxy";
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === "1";
/** Unset: fetch's own "gzip, deflate, br", as a browser sends (the dashboard then gzips, the sandbox never does); "identity" to compare without. */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING;
const encoding: Record<string, string> = ACCEPT_ENCODING ? { "accept-encoding": ACCEPT_ENCODING } : {};
const CLIENT_ID = "bench-proxy-client";
const CLIENT_SECRET = "bench-proxy-secret-5c2d";
const ACCOUNTS = ["manager@example.com", "staff@example.com", "support@example.com"];
const BASE = `http://127.0.0.1:${PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;

const work = mkdtempSync(join(tmpdir(), "bench-proxy-"));
const children: ChildProcess[] = [];

// --- processes ---------------------------------------------------------------------------------

/** Each child leads its own process group, so cleanup also stops what it started (next's workers). */
function start(command: string, args: string[], env: Record<string, string>, { quiet = true } = {}): ChildProcess {
  const child = spawn(command, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST_DIR, ...env },
    stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
    detached: true,
  });
  children.push(child);
  return child;
}

async function run(command: string, args: string[]): Promise<void> {
  const child = start(command, args, {}, { quiet: false });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
}

/** `next build` adds its dist folder to tsconfig.json and rewrites next-env.d.ts: put both back. */
async function build(): Promise<void> {
  const kept = ["tsconfig.json", "next-env.d.ts"].map((file) => ({ file, text: existsSync(file) ? readFileSync(file, "utf8") : null }));
  try {
    await run("node_modules/.bin/next", ["build"]);
  } finally {
    for (const { file, text } of kept) {
      const now = existsSync(file) ? readFileSync(file, "utf8") : null;
      if (now === text || !(now ?? "").includes(DIST_DIR)) continue; // untouched, or someone else's build
      if (text === null) rmSync(file);
      else writeFileSync(file, text);
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) signalGroup(child, "SIGTERM");
  await sleep(1500);
  for (const child of children) signalGroup(child, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

/** Another run (an e2e server, a second bench) on our ports would be measured instead of ours. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once("error", () => reject(new Error(`port ${port} on 127.0.0.1 is taken: stop what uses it or set BENCH_PORT / BENCH_SANDBOX_PORT`)))
      .once("listening", () => probe.close(() => resolve()))
      .listen(port, "127.0.0.1");
  });
}

/** Until `url` answers; `child` must still be running then (else someone else answered). */
async function waitFor(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.spawnfile} exited before ${url} answered`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

// --- CPU from /proc (Linux), to see whether a process is bound by one thread ---------------------

const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime in ticks from a /proc/…/stat line (the name in parentheses may contain spaces). */
function statTicks(path: string): number {
  try {
    const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parentOf.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** Ticks per process of the tree and per thread, to diff before and after a run. */
function cpuSnapshot(root: number | undefined): Map<string, number> {
  const snapshot = new Map<string, number>();
  if (root === undefined || !existsSync("/proc/self/stat")) return snapshot;
  for (const pid of descendants(root)) {
    snapshot.set(`p${pid}`, statTicks(`/proc/${pid}/stat`));
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) snapshot.set(`t${pid}/${tid}`, statTicks(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // exited meanwhile
    }
  }
  return snapshot;
}

/** CPU of the whole tree and of its busiest thread, in % of one core, over `seconds`. */
function cpuUse(before: Map<string, number>, after: Map<string, number>, seconds: number): { total: number; thread: number } | null {
  if (after.size === 0) return null;
  let total = 0;
  let thread = 0;
  for (const [key, ticks] of after) {
    const used = ticks - (before.get(key) ?? 0);
    if (key.startsWith("p")) total += used;
    else thread = Math.max(thread, used);
  }
  const pct = (ticks: number) => (100 * ticks) / TICKS_PER_S / seconds;
  return { total: pct(total), thread: pct(thread) };
}

/** The processes whose CPU every run reports (set once they are started). */
const watched: { dashboard?: number; sandbox?: number } = {};

interface CpuFigures {
  dashboard: { total: number; thread: number } | null;
  sandbox: { total: number; thread: number } | null;
  /** This process (the load generator). */
  client: number;
  /** Everything else on the machine (another build, a test run …): a run with much of it is noisy. */
  others: number | null;
}

/** Busy ticks of the whole machine (all cores) from /proc/stat. */
function machineTicks(): number | null {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return user + nice + system + irq + softirq + steal;
  } catch {
    return null;
  }
}

function cpuMeter(): () => CpuFigures {
  const t0 = performance.now();
  const client0 = process.cpuUsage();
  const dashboard0 = cpuSnapshot(watched.dashboard);
  const sandbox0 = cpuSnapshot(watched.sandbox);
  const machine0 = machineTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(client0);
    const machine1 = machineTicks();
    const dashboard = cpuUse(dashboard0, cpuSnapshot(watched.dashboard), seconds);
    const sandbox = cpuUse(sandbox0, cpuSnapshot(watched.sandbox), seconds);
    const client = (100 * (used.user + used.system)) / 1e6 / seconds;
    const machine = machine0 !== null && machine1 !== null ? (100 * (machine1 - machine0)) / TICKS_PER_S / seconds : null;
    const ours = (dashboard?.total ?? 0) + (sandbox?.total ?? 0) + client;
    return { dashboard, sandbox, client, others: machine === null ? null : Math.max(0, machine - ours) };
  };
}

// --- the two ways to read ------------------------------------------------------------------------

async function sandboxToken(): Promise<string> {
  const res = await fetch(`${SANDBOX}/partner/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  });
  if (!res.ok) throw new Error(`sandbox token: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function sandboxGet<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${SANDBOX}/partner${path}`, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
  return (await res.json()) as T;
}


async function dashboardGet<T>(cookie: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${BASE}${path}`, { ...init, headers: { cookie, ...init?.headers } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** One timed request of a run; the body is read in full, as the browser would. */
type Call = (session: number, i: number) => { url: string; headers: Record<string, string> };

async function timed(call: ReturnType<Call>): Promise<{ ms: number; ok: boolean; bytes: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(call.url, { headers: call.headers });
    const body = await res.arrayBuffer();
    return { ms: performance.now() - t0, ok: res.ok, bytes: body.byteLength };
  } catch {
    return { ms: performance.now() - t0, ok: false, bytes: 0 };
  }
}

interface RunResult {
  latencies: number[];
  errors: number;
  seconds: number;
  bytes: number;
  cpu: CpuFigures;
}

/**
 * `concurrency` workers (worker w is session w) issue requests back to back until `total` are done
 * or `maxSeconds` have passed; `warmup` requests first, not counted.
 */
async function load(call: Call, opts: { concurrency: number; total: number; warmup: number; maxSeconds?: number }): Promise<RunResult> {
  const runPhase = async (total: number, record: boolean, deadline: number) => {
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    let bytes = 0;
    const worker = async (session: number) => {
      while (next < total && performance.now() < deadline) {
        const r = await timed(call(session, next++));
        if (!record) continue;
        if (r.ok) {
          latencies.push(r.ms);
          bytes = r.bytes;
        } else errors++;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => worker(w)));
    return { latencies, errors, bytes };
  };
  await runPhase(opts.warmup, false, Infinity);
  const cpu = cpuMeter();
  const t0 = performance.now();
  const result = await runPhase(opts.total, true, opts.maxSeconds ? t0 + opts.maxSeconds * 1000 : Infinity);
  const seconds = (performance.now() - t0) / 1000;
  return { ...result, seconds, cpu: cpu() };
}

// --- figures -------------------------------------------------------------------------------------

const ms = (value: number) => (Number.isNaN(value) ? "n/a" : `${value.toFixed(value < 100 ? 1 : 0)} ms`);
const pair = (a: number, b: number) => `${ms(a)} / ${ms(b)}`;
const pct = (value: number) => `${value.toFixed(0)} %`;
/** next (its JS thread) · sandbox · client · other processes, each in % of one core */
const cpuText = ({ dashboard, sandbox, client, others }: CpuFigures) =>
  dashboard && sandbox
    ? `${pct(dashboard.total)} (${pct(dashboard.thread)}) · ${pct(sandbox.total)} · ${pct(client)} · ${others === null ? "n/a" : pct(others)}`
    : "n/a";

function table(header: string[], rows: string[][]): void {
  console.log(`\n| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}



async function main(): Promise<void> {
  const cores = cpus();
  console.log(
    `bench:proxy — ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown"}), node ${process.version}; ` +
      `${SPACES} spaces, ${READING_DAYS} reading days, ${SESSIONS} sessions, ${REQUESTS} requests per read and level ` +
      `(+${WARMUP} warm-up), search/tree runs of ≤ ${DURATION_S} s or ${MAX_REQUESTS} requests, upstream latency 0 ms`,
  );

  if (SKIP_BUILD && existsSync(join(DIST_DIR, "BUILD_ID"))) console.log(`reusing the build in ${DIST_DIR}`);
  else {
    console.log(`building the dashboard into ${DIST_DIR} (next build) …`);
    await build();
  }

  await assertPortFree(PORT);
  await assertPortFree(SANDBOX_PORT);
  console.log("starting the sandbox …");
  const sandbox = start("node_modules/.bin/tsx", ["sandbox/main.ts"], {
    SANDBOX_PORT: String(SANDBOX_PORT),
    SANDBOX_HOST: "127.0.0.1",
    SANDBOX_DB: join(work, "sandbox.sqlite"),
    SANDBOX_SPACES: String(SPACES),
    SANDBOX_READING_DAYS: String(READING_DAYS),
    SANDBOX_PAGE_SIZE_MAX: "100",
    SANDBOX_LATENCY_MS: "0",
    SANDBOX_RESET: "1",
    SANDBOX_QUIET: "1",
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
  });
  await waitFor(`${SANDBOX}/__sandbox/health`, 300_000, sandbox);
  watched.sandbox = sandbox.pid;
  await fetch(`${SANDBOX}/__sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ latencyMs: 0, errorRate: 0, rateLimitRate: 0 }),
  });

  // What the partner API holds: every space (for queries) and a main electricity meter with readings.
  const token = await sandboxToken();
  const first = await sandboxGet<{ spaces: Space[]; totalNumPages: number }>(token, "/spaces?page=0&pageSize=100");
  const spaces = [...first.spaces];
  for (let p = 1; p < first.totalNumPages; p++) spaces.push(...(await sandboxGet<{ spaces: Space[] }>(token, `/spaces?page=${p}&pageSize=100`)).spaces);
  let meter: Device | undefined;
  for (const space of spaces) {
    const { devices } = await sandboxGet<{ devices: Device[] }>(token, `/spaces/${space.id}/devices?page=0&pageSize=100`);
    meter = devices.find((d) => d.isMainDevice && d.medium === "ELECTRICITY" && d.latestReadingTime);
    if (meter) break;
  }
  if (!meter) throw new Error("the sandbox has no electricity meter with readings (BENCH_READING_DAYS=0?)");

  console.log("starting the dashboard (next start) …");
  const dashboard = start("node_modules/.bin/next", ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    PORT: String(PORT),
    NODE_ENV: "production",
    NEXTAUTH_URL: BASE,
    NEXTAUTH_SECRET: "bench-proxy-nextauth-secret",
    DEMO_MODE: "1",
    DATA_DIR: join(work, "data"),
    ZF_API_BASE_URL: `${SANDBOX}/partner`,
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
    // Nothing in the background while measuring: no crawl, no stale-while-revalidate refresh.
    SPACE_CRAWL_ENABLED: "0",
    SPACE_INDEX_TTL_SECONDS: "86400",
  });
  await waitFor(`${BASE}/login`, 120_000, dashboard);
  watched.dashboard = dashboard.pid;

  console.log(`signing in ${SESSIONS} sessions …`);
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i++) cookies.push(await signInWithPassword(BASE, ACCOUNTS[i % ACCOUNTS.length]));

  // --- 1. proxy overhead -------------------------------------------------------------------------
  const end = new Date(Math.ceil(Date.parse(meter.latestReadingTime!) / 3_600_000) * 3_600_000);
  const start7d = new Date(end.getTime() - 7 * 86_400_000);
  const reads = [
    { label: "readings 7 d, 1_HOUR", measurement: "METER_READING", resolution: "1_HOUR" },
    { label: "readings 7 d, 15_MIN", measurement: "POWER", resolution: "15_MIN" },
  ].map(({ label, measurement, resolution }) => {
    // The exact upstream call of getReadingsByDevice (ReadingsQuery's key order, ISO times).
    const upstream = new URLSearchParams({ startTime: start7d.toISOString(), endTime: end.toISOString(), resolution, measurement });
    const own = new URLSearchParams({ measurement, resolution, start: start7d.toISOString(), end: end.toISOString() });
    return {
      label,
      direct: `/partner/devices/${encodeURIComponent(meter.id)}/readings?${upstream}`,
      dashboard: `/api/devices/${encodeURIComponent(meter.id)}/readings?${own}`,
    };
  });
  reads.push({ label: "spaces page (100)", direct: "/partner/spaces?page=0&pageSize=100", dashboard: "/api/spaces?page=0&pageSize=100" });

  const directCall = (path: string): Call => () => ({ url: `${SANDBOX}${path}`, headers: { authorization: `Bearer ${token}`, accept: "application/json", ...encoding } });
  const dashboardCall = (path: string): Call => (session) => ({ url: `${BASE}${path}`, headers: { cookie: cookies[session % cookies.length], ...encoding } });

  const overheadRows: string[][] = [];
  for (const read of reads) {
    for (const concurrency of [1, SESSIONS]) {
      console.log(`measuring ${read.label} at ${concurrency} session(s) …`);
      const opts = { concurrency, total: REQUESTS, warmup: WARMUP };
      const direct = await load(directCall(read.direct), opts);
      const viaDashboard = await load(dashboardCall(read.dashboard), opts);
      const [d50, d95] = [percentile(direct.latencies, 50), percentile(direct.latencies, 95)];
      const [b50, b95] = [percentile(viaDashboard.latencies, 50), percentile(viaDashboard.latencies, 95)];
      overheadRows.push([
        read.label,
        `${(direct.bytes / 1024).toFixed(0)} KiB`,
        String(concurrency),
        pair(d50, d95),
        pair(b50, b95),
        `**${pair(b50 - d50, b95 - d95)}**`,
        `${(viaDashboard.latencies.length / viaDashboard.seconds).toFixed(0)}`,
        cpuText(viaDashboard.cpu),
        `${direct.errors} / ${viaDashboard.errors}`,
      ]);
    }
  }

  // --- 2. search and tree ------------------------------------------------------------------------
  console.log("building the space index …");
  // A write from the dashboard's own pages: same origin, JSON (lib/http/origin.ts).
  await dashboardGet<IndexStatus>(cookies[0], "/api/spaces/index", { method: "POST", headers: { origin: BASE, "content-type": "application/json" } });
  const indexDeadline = Date.now() + 300_000;
  let status = await dashboardGet<IndexStatus>(cookies[0], "/api/spaces/index");
  while (status.state !== "ready" && Date.now() < indexDeadline) {
    if (status.state === "failed") throw new Error(`index build failed: ${status.error}`);
    await sleep(250);
    status = await dashboardGet<IndexStatus>(cookies[0], "/api/spaces/index");
  }
  if (status.state !== "ready") throw new Error(`index not ready after 300 s (${status.state})`);

  const street = (s: Space) => s.addressLineOne.replace(/\s+\d+\s*\w?$/, "");
  const queries = [
    ...sample(spaces, 100).map(street),
    ...sample(spaces, 100).map((s) => s.city),
    ...sample(spaces, 50).map((s) => misspell(s.city)),
    ...sample(spaces, 50).map((s) => s.postcode),
    ...sample(spaces, 50).map((s) => s.name),
  ].filter((q) => q.trim() !== "");
  const root = await dashboardGet<TreeChildrenResponse>(cookies[0], "/api/spaces/tree?parent=root");
  const parents = root.nodes.filter((n) => n.childCount > 0).map((n) => n.id);
  for (const id of parents.slice(0, 20)) {
    const children = await dashboardGet<TreeChildrenResponse>(cookies[0], `/api/spaces/tree?parent=${encodeURIComponent(id)}`);
    parents.push(...children.nodes.filter((n) => n.childCount > 0).map((n) => n.id));
  }
  const treeParents = ["root", ...new Set(parents)];

  const search: Call = (session, i) =>
    dashboardCall(`/api/spaces/search?q=${encodeURIComponent(queries[(i * 7 + session) % queries.length])}`)(session, i);
  const tree: Call = (session, i) => {
    const parent = i % 4 === 0 || treeParents.length === 1 ? "root" : treeParents[1 + ((i * 7 + session) % (treeParents.length - 1))];
    return dashboardCall(`/api/spaces/tree?parent=${encodeURIComponent(parent)}`)(session, i);
  };
  const lookups = [
    { label: `search (${queries.length} queries: street, city, misspelt city, postcode, name)`, call: search },
    { label: `tree (root every 4th, else children of one of ${treeParents.length - 1} parents)`, call: tree },
  ];

  const lookupRows: string[][] = [];
  for (const { label, call } of lookups) {
    for (const concurrency of [1, SESSIONS]) {
      console.log(`measuring ${label.split(" (")[0]} at ${concurrency} session(s) …`);
      const r = await load(call, { concurrency, total: MAX_REQUESTS, warmup: WARMUP, maxSeconds: DURATION_S });
      lookupRows.push([
        label,
        String(concurrency),
        `${r.latencies.length} in ${r.seconds.toFixed(1)} s`,
        `**${(r.latencies.length / r.seconds).toFixed(0)}**`,
        pair(percentile(r.latencies, 50), percentile(r.latencies, 95)),
        cpuText(r.cpu),
        String(r.errors),
      ]);
    }
  }

  // --- 3. print ----------------------------------------------------------------------------------
  console.log(`\nmachine: ${cores.length} cores, ${cores[0]?.model.trim() ?? "unknown"}, node ${process.version}, ${process.platform}`);
  console.log(
    `settings: BENCH_SPACES=${SPACES} (index: ${status.spaces}), BENCH_READING_DAYS=${READING_DAYS}, BENCH_SESSIONS=${SESSIONS} ` +
      `(${ACCOUNTS.length} demo accounts in turn), BENCH_REQUESTS=${REQUESTS}, BENCH_WARMUP=${WARMUP}, BENCH_DURATION_S=${DURATION_S}, ` +
      `BENCH_MAX_REQUESTS=${MAX_REQUESTS}, BENCH_ACCEPT_ENCODING=${ACCEPT_ENCODING ?? "(fetch default: gzip, deflate, br)"}, sandbox latency 0 ms, crawl off, dashboard ${BASE} (${DIST_DIR}), sandbox ${SANDBOX}`,
  );
  console.log(`device ${meter.id} (${meter.deviceType}), range ${start7d.toISOString()} – ${end.toISOString()}`);
  console.log("bench client, sandbox and dashboard share the machine's cores; the client's own fetch time is in both columns.");
  table(
    ["proxied read", "body", "sessions", "direct p50 / p95", "dashboard p50 / p95", "overhead p50 / p95", "dashboard req/s", "CPU next (JS thread) · sandbox · client · others", "errors direct / dashboard"],
    overheadRows,
  );
  table(["lookup", "sessions", "requests", "req/s", "p50 / p95", "CPU next (JS thread) · sandbox · client · others", "errors"], lookupRows);
  console.log(
    `\nCPU: % of one core (${cores.length} cores = ${cores.length * 100} %) over the measured dashboard run; "JS thread" is the next ` +
      "process's busiest thread, its JavaScript thread, which also runs PGlite; 'others' is every other process on the machine " +
      "(a concurrent build makes a run noisy). The overhead rows' CPU is of their dashboard run.",
  );
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
