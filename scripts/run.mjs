#!/usr/bin/env node
/**
 * Runs the dashboard together with the sandbox partner API.
 *
 *   node scripts/run.mjs demo    production build + sandbox + `next start`, demo data and accounts
 *   node scripts/run.mjs dev     sandbox + `next dev`
 *   node scripts/run.mjs start   sandbox + `next start` on an existing build (e2e, benchmarks)
 *
 * Ports: PORT (dashboard, 3000) and SANDBOX_PORT (4010). Every other variable is passed through,
 * so ZF_CLIENT_ID / ZF_CLIENT_SECRET set here reach both the sandbox and the dashboard.
 * Ctrl-C (SIGINT) or SIGTERM stops both.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const mode = process.argv[2];
if (!["demo", "dev", "start"].includes(mode)) {
  console.error("usage: node scripts/run.mjs demo|dev|start");
  process.exit(2);
}

const port = process.env.PORT || "3000";
const sandboxPort = process.env.SANDBOX_PORT || "4010";
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

const env = {
  ...process.env,
  PORT: port,
  SANDBOX_PORT: sandboxPort,
  ZF_API_BASE_URL: process.env.ZF_API_BASE_URL || `${sandboxUrl}/partner`,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
  // Demo and dev only: a fixed signing secret so sessions survive restarts. Production sets its own.
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || "demo-only-nextauth-secret-change-in-production",
  DEMO_MODE: process.env.DEMO_MODE ?? "1",
  // The dashboard's own e-mails (set-password links) land in the sandbox's outbox.
  MAIL_OUTBOX_URL: process.env.MAIL_OUTBOX_URL ?? `${sandboxUrl}/__sandbox/outbox`,
  NEXT_TELEMETRY_DISABLED: "1",
  // Request headers (the address included) of at most 8 KB, as common reverse proxies allow: Next
  // answers an address with repeated slashes with a redirect that echoes it twice in its headers,
  // which must stay readable. Longer requests get Node's 431.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--max-http-header-size=8192"].filter(Boolean).join(" "),
};

const children = new Set();
let stopping = false;

function run(name, command, args, { wait = false } = {}) {
  const child = spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"] });
  children.add(child);
  const done = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (!wait && !stopping) {
        console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping the rest.`);
        stop(code || 1);
      }
      resolve(code ?? 1);
    });
  });
  return done;
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  const deadline = Date.now() + 8000;
  while (children.size > 0 && Date.now() < deadline) await sleep(100);
  for (const child of children) child.kill("SIGKILL");
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitForSandbox() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${sandboxUrl}/__sandbox/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the sandbox did not answer on ${sandboxUrl} within 120 s`);
}

const bin = (name) => `node_modules/.bin/${name}`;

if (mode === "demo") {
  console.log("Building the dashboard (next build) …");
  const code = await run("build", bin("next"), ["build"], { wait: true });
  if (code !== 0) process.exit(code);
}

run("sandbox", bin("tsx"), ["sandbox/main.ts"]);
await waitForSandbox();
if (mode === "dev") {
  run("dashboard", bin("next"), ["dev", "-p", port]);
} else {
  run("dashboard", bin("next"), ["start", "-p", port]);
}
console.log(`\nDashboard: http://localhost:${port}   Sandbox partner API: ${sandboxUrl}/partner`);
if (env.DEMO_MODE === "1" || env.DEMO_MODE === "true") {
  console.log("Demo sign-in: support@example.com, staff@example.com, manager@example.com — password: demo\n");
}
