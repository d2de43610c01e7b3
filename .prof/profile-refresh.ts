import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
if (!process.execArgv.includes("--conditions=react-server")) {
  const run = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
const { createDatabase } = await import("../lib/db");
const { createPartnerClient } = await import("../lib/partner-api");
const { CONFIG_DEFAULTS } = await import("../lib/partner-api/config");
const { refreshSpaceIndex } = await import("../lib/spaces/index");
const { fetchAllPages } = await import("../lib/partner-api/paginate");
const L = Number(process.env.L ?? 150);
const port = 4590;
const sb = spawn("node_modules/.bin/tsx", ["sandbox/main.ts"], { env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_DB: "/tmp/prof-sb.sqlite", SANDBOX_SPACES: "20000", SANDBOX_READING_DAYS: "0", SANDBOX_RESET: "1", SANDBOX_QUIET: "1", ZF_CLIENT_ID: "c", ZF_CLIENT_SECRET: "s" }, stdio: "inherit" });
for (;;) { try { if ((await fetch(`http://127.0.0.1:${port}/__sandbox/health`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 300)); }
await fetch(`http://127.0.0.1:${port}/__sandbox/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ latencyMs: L }) });
const client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: `http://127.0.0.1:${port}/partner`, clientId: "c", clientSecret: "s", pageSize: 100, pageConcurrency: 6 });
await client.getSpaces({ page: 0, pageSize: 1 });
let t = performance.now();
await fetchAllPages((page) => client.getSpaces({ page }).then((r) => ({ items: r.spaces, totalNumPages: r.totalNumPages })), { concurrency: 6 });
console.log("download only", Math.round(performance.now() - t));
for (let i = 0; i < 2; i++) {
  const h = await createDatabase({ dataDir: "memory://" });
  t = performance.now();
  const r = await refreshSpaceIndex(h.db, client, { pageConcurrency: 6 });
  console.log("refresh", Math.round(performance.now() - t), r.pages, r.spaces);
  t = performance.now();
  await refreshSpaceIndex(h.db, client, { pageConcurrency: 6 });
  console.log("warm refresh", Math.round(performance.now() - t));
  await h.close();
}
sb.kill();
