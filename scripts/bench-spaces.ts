/**
 * npm run bench:spaces — how the space index, the tree and the lookup behave at a partner's size.
 *
 * Starts the sandbox with N spaces (BENCH_SPACES, default 20000) and upstream latency L
 * (BENCH_LATENCY_MS, default 150), builds and starts the production dashboard against it with an
 * empty database, and prints one table:
 *   - cold index build, next to the bound ceil(pages / concurrency) × L with L measured in this run;
 *   - warm tree first paint in Chromium (median of 5 loads) and the most tree rows ever in the DOM;
 *   - search latency p50/p95 on the server (Server-Timing) over 200 queries of each kind;
 *   - JavaScript sent for /spaces.
 * Figures are printed, never asserted: speed is measured, not tested.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/env";
import { signInWithPassword, waitForUrl } from "./dashboard-http";
import { normalizeMelo } from "../lib/domain/identifiers";
import type { Device, Space, User } from "../lib/partner-api/schemas";
import type { IndexStatus, SearchResponse } from "../lib/spaces/types";
import { misspell, percentile, sample } from "./bench-figures";

const SPACES = Number(process.env.BENCH_SPACES ?? 20_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150);
const QUERIES_PER_KIND = Number(process.env.BENCH_QUERIES ?? 200);
const PORT = Number(process.env.BENCH_PORT ?? 3500);
const SANDBOX_PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4500);
const PAGE_SIZE_MAX = 100;
const CONCURRENCY = Number(process.env.ZF_PAGE_CONCURRENCY ?? 6);
const CLIENT_ID = "bench-client";
const CLIENT_SECRET = "bench-secret-1e5b";
const BASE = `http://localhost:${PORT}`;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;

const work = mkdtempSync(join(tmpdir(), "bench-spaces-"));
const children: ChildProcess[] = [];

function start(command: string, args: string[], env: Record<string, string>, { quiet = true } = {}): ChildProcess {
  const child = spawn(command, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

async function run(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const child = start(command, args, env, { quiet: false });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
}


async function cleanup(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await sleep(1500);
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
}

// --- the sandbox, read directly (what the partner API holds) ---------------------------------

async function sandboxToken(): Promise<string> {
  const res = await fetch(`${SANDBOX}/partner/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function sandboxGet<T>(token: string, path: string): Promise<T> {
  const res = await fetch(`${SANDBOX}/partner${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function setLatency(ms: number): Promise<void> {
  await fetch(`${SANDBOX}/__sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ latencyMs: ms }),
  });
}

// --- the dashboard, as a signed-in manager ----------------------------------------------------


async function dashboard<T>(cookie: string, path: string, init?: RequestInit): Promise<{ body: T; res: Response }> {
  const write: Record<string, string> = init?.method && init.method !== "GET" ? { origin: BASE, "content-type": "application/json" } : {};
  const res = await fetch(`${BASE}${path}`, { ...init, headers: { cookie, ...write, ...(init?.headers as Record<string, string> | undefined) } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { body: (await res.json()) as T, res };
}

// --- figures -----------------------------------------------------------------------------------

const median = (values: number[]) => percentile(values, 50);
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;



async function treeFirstPaint(page: Page): Promise<number> {
  const started = Date.now();
  await page.goto(`${BASE}/spaces`);
  await page.getByTestId("tree-row").first().waitFor({ state: "visible" });
  return Date.now() - started;
}

async function main(): Promise<void> {
  console.log(`bench:spaces — ${SPACES} spaces, upstream latency ${LATENCY_MS} ms, page concurrency ${CONCURRENCY}`);

  console.log("building the dashboard (next build) …");
  await run("node_modules/.bin/next", ["build"]);

  console.log("starting the sandbox …");
  start("node_modules/.bin/tsx", ["sandbox/main.ts"], {
    SANDBOX_PORT: String(SANDBOX_PORT),
    SANDBOX_DB: join(work, "sandbox.sqlite"),
    SANDBOX_SPACES: String(SPACES),
    SANDBOX_READING_DAYS: "0",
    SANDBOX_PAGE_SIZE_MAX: String(PAGE_SIZE_MAX),
    SANDBOX_RESET: "1",
    SANDBOX_QUIET: "1",
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
  });
  await waitForUrl(`${SANDBOX}/__sandbox/health`, 120_000);

  // Read what the partner API holds (without latency), to build the queries.
  const token = await sandboxToken();
  const first = await sandboxGet<{ spaces: Space[]; totalNumPages: number }>(token, `/spaces?page=0&pageSize=${PAGE_SIZE_MAX}`);
  const spaces = [...first.spaces];
  for (let p = 1; p < first.totalNumPages; p++) {
    spaces.push(...(await sandboxGet<{ spaces: Space[] }>(token, `/spaces?page=${p}&pageSize=${PAGE_SIZE_MAX}`)).spaces);
  }
  const pages = first.totalNumPages;
  const sampled = sample(spaces, 400);
  const devices: Device[] = [];
  const users: User[] = [];
  for (const space of sampled) {
    devices.push(...(await sandboxGet<{ devices: Device[] }>(token, `/spaces/${space.id}/devices?pageSize=100`)).devices);
    users.push(...(await sandboxGet<{ users: User[] }>(token, `/spaces/${space.id}/users?pageSize=100`)).users);
  }

  // L as the dashboard will see it: one page request, measured in this run.
  await setLatency(LATENCY_MS);
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await sandboxGet(token, `/spaces?page=${i}&pageSize=${PAGE_SIZE_MAX}`);
    latencies.push(performance.now() - t0);
  }
  const measuredL = median(latencies);
  const bound = Math.ceil(pages / CONCURRENCY) * measuredL;

  console.log("starting the dashboard (next start) …");
  start("node_modules/.bin/next", ["start", "-p", String(PORT)], {
    PORT: String(PORT),
    NEXTAUTH_URL: BASE,
    NEXTAUTH_SECRET: "bench-nextauth-secret",
    DEMO_MODE: "1",
    DATA_DIR: join(work, "data"),
    ZF_API_BASE_URL: `${SANDBOX}/partner`,
    ZF_CLIENT_ID: CLIENT_ID,
    ZF_CLIENT_SECRET: CLIENT_SECRET,
    ZF_PAGE_SIZE: String(PAGE_SIZE_MAX),
    ZF_PAGE_CONCURRENCY: String(CONCURRENCY),
    // The crawl starts after the first build; the bench then lifts the latency so that every
    // space's devices and users are indexed before search is measured.
    SPACE_CRAWL_CONCURRENCY: "8",
    SPACE_CRAWL_RATE_PER_SECOND: "1000",
  });
  await waitForUrl(`${BASE}/login`, 120_000);
  const cookie = await signInWithPassword(BASE, "manager@example.com");

  // Cold index build: empty database, one refresh, timed by the server and by the clock here.
  const t0 = performance.now();
  await dashboard<IndexStatus>(cookie, "/api/spaces/index", { method: "POST" });
  let status: IndexStatus;
  for (;;) {
    status = (await dashboard<IndexStatus>(cookie, "/api/spaces/index")).body;
    if (status.state === "ready" || status.state === "failed") break;
    await sleep(250); // as often as a person watching the progress bar would see it change
  }
  const coldWall = performance.now() - t0;
  if (status.state === "failed") throw new Error(`index build failed: ${status.error}`);
  const coldServer = status.lastDurationMs ?? coldWall;

  // Let the background crawl index every space's devices and users (without latency, to keep
  // the bench short), so that search is measured over the full index.
  await setLatency(0);
  const crawlStarted = performance.now();
  const crawlDeadline = Date.now() + Number(process.env.BENCH_CRAWL_TIMEOUT_S ?? 600) * 1000;
  while (Date.now() < crawlDeadline) {
    status = (await dashboard<IndexStatus>(cookie, "/api/spaces/index")).body;
    if (status.crawledSpaces >= status.spaces) break;
    await sleep(1000);
  }
  const crawlSeconds = (performance.now() - crawlStarted) / 1000;

  // Search latency per kind of query.
  const meloOf = (d: Device) => (d.externalDeviceIds ?? []).find((id) => id.startsWith("DE"));
  const maloOf = (d: Device) => (d.externalDeviceIds ?? []).find((id) => /^\d{11}$/.test(id));
  const withMelo = devices.filter((d) => meloOf(d));
  const kinds: Record<string, string[]> = {
    "name (exact)": sample(spaces, QUERIES_PER_KIND).map((s) => s.name),
    "street (part)": sample(spaces, QUERIES_PER_KIND).map((s) => s.addressLineOne.split(" ")[0].slice(0, 8)),
    postcode: sample(spaces, QUERIES_PER_KIND).map((s) => s.postcode),
    "city (misspelt)": sample(spaces, QUERIES_PER_KIND).map((s) => misspell(s.city)),
    "MeLo (pasted with spaces)": sample(withMelo, QUERIES_PER_KIND).map((d) => {
      const melo = normalizeMelo(meloOf(d)!);
      return `${melo.slice(0, 2)} ${melo.slice(2, 8)} ${melo.slice(8, 13)} ${melo.slice(13)}`;
    }),
    MaLo: sample(devices.filter((d) => maloOf(d)), QUERIES_PER_KIND).map((d) => maloOf(d)!),
    "user e-mail": sample(users, QUERIES_PER_KIND).map((u) => u.email),
  };
  const searchRows: string[][] = [];
  for (const [kind, queries] of Object.entries(kinds)) {
    if (queries.length === 0) {
      searchRows.push([kind, "no data", "", ""]);
      continue;
    }
    const server: number[] = [];
    const wall: number[] = [];
    let found = 0;
    for (const q of queries) {
      const t = performance.now();
      const { body, res } = await dashboard<SearchResponse>(cookie, `/api/spaces/search?q=${encodeURIComponent(q)}`);
      wall.push(performance.now() - t);
      const timing = /search;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "");
      server.push(timing ? Number(timing[1]) : body.tookMs);
      if (body.hits.length > 0) found++;
    }
    searchRows.push([
      kind,
      `${ms(percentile(server, 50))} / ${ms(percentile(server, 95))}`,
      `${ms(percentile(wall, 50))} / ${ms(percentile(wall, 95))}`,
      `${found}/${queries.length}`,
    ]);
  }

  // The tree in a real browser: warm first paint, JavaScript sent, rows in the DOM.
  await setLatency(LATENCY_MS);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const [name, value] = cookie.split("=");
  await context.addCookies([{ name, value: value ?? "", url: BASE }]);
  const page = await context.newPage();
  let jsBytes = 0;
  let jsFiles = 0;
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script") {
      jsFiles++;
      jsBytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    }
  });
  await treeFirstPaint(page); // first load: fills the browser cache and the server's caches
  const coldJsBytes = jsBytes;
  const coldJsFiles = jsFiles;
  const paints: number[] = [];
  for (let i = 0; i < 5; i++) paints.push(await treeFirstPaint(page));

  // Expand every top-level node, then scroll to the end: the DOM must stay small.
  let maxRows = 0;
  const count = () => page.locator('[role="treeitem"]').count();
  for (const row of await page.getByTestId("tree-row").all()) {
    if ((await row.getAttribute("aria-expanded")) === "false") await row.click({ position: { x: 12, y: 10 } }).catch(() => {});
  }
  await sleep(1500);
  for (let i = 0; i < 40; i++) {
    await page.mouse.move(700, 500);
    await page.mouse.wheel(0, 4000);
    await sleep(50);
    maxRows = Math.max(maxRows, await count());
  }
  await browser.close();

  const rows: string[][] = [
    ["spaces / pages (page size)", `${SPACES} / ${pages} (${PAGE_SIZE_MAX})`, ""],
    ["upstream latency L (measured)", ms(measuredL), `configured ${LATENCY_MS} ms`],
    ["bound ceil(pages / concurrency) × L", ms(bound), `ceil(${pages} / ${CONCURRENCY}) × L`],
    ["cold index build (server)", ms(coldServer), `${(coldServer / bound).toFixed(2)} × bound`],
    ["cold index build (wall, incl. polling)", ms(coldWall), `${(coldWall / bound).toFixed(2)} × bound`],
    ["spaces crawled for devices and users", `${status.crawledSpaces} / ${status.spaces}`, `in ${crawlSeconds.toFixed(0)} s at 0 ms latency`],
    ["warm tree first paint (median of 5)", ms(median(paints)), `min ${ms(Math.min(...paints))}, max ${ms(Math.max(...paints))}`],
    ["most tree rows in the DOM", String(maxRows), "after expanding all top-level nodes and scrolling"],
    ["JavaScript for /spaces (first load)", `${(coldJsBytes / 1024).toFixed(0)} KiB`, `${coldJsFiles} files, uncompressed`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length), ...searchRows.map((r) => r[0].length + 9));
  console.log("\n| figure | value | note |\n|---|---|---|");
  for (const [label, v, note] of rows) console.log(`| ${label.padEnd(width)} | ${v} | ${note} |`);
  console.log("\n| search: kind of query | server p50 / p95 | round trip p50 / p95 | with hits |\n|---|---|---|---|");
  for (const [kind, server, wall, found] of searchRows) console.log(`| ${kind} | ${server} | ${wall} | ${found} |`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
