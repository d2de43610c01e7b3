/**
 * `npm run sandbox`: the sandbox partner API as a long-running process for dev and the demo.
 * Settings come from the environment (see the README of the project for the list).
 */
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { startSandbox, type Faults } from "./server";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SANDBOX_DEFAULT_PORT } from "../lib/partner-api/defaults";

function num(name: string, fallback: number): number;
function num(name: string): number | undefined;
function num(name: string, fallback?: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`sandbox: ${name} must be a number, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const dbPath = process.env.SANDBOX_DB || "./data/sandbox/sandbox.sqlite";
if (dbPath !== ":memory:") {
  mkdirSync(dirname(dbPath), { recursive: true });
  if (process.env.SANDBOX_RESET === "1") {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });
  }
}

const faults: Partial<Faults> = Object.fromEntries(
  Object.entries({
    latencyMs: num("SANDBOX_LATENCY_MS"),
    errorRate: num("SANDBOX_ERROR_RATE"),
    rateLimitRate: num("SANDBOX_429_RATE"),
    tokenLifetimeSeconds: num("SANDBOX_TOKEN_LIFETIME_S"),
  }).filter(([, v]) => v !== undefined),
);

const sandbox = await startSandbox({
  port: num("SANDBOX_PORT", SANDBOX_DEFAULT_PORT),
  host: process.env.SANDBOX_HOST || "127.0.0.1",
  dbPath,
  seed: num("SANDBOX_SEED", 42),
  spaces: num("SANDBOX_SPACES", 400),
  readingDays: num("SANDBOX_READING_DAYS", 30),
  pageSizeMax: num("SANDBOX_PAGE_SIZE_MAX", 100),
  clientId: process.env.ZF_CLIENT_ID || DEFAULT_CLIENT_ID,
  clientSecret: process.env.ZF_CLIENT_SECRET || DEFAULT_CLIENT_SECRET,
  faults,
  quiet: process.env.SANDBOX_QUIET === "1",
});

const health = (await (await fetch(`${sandbox.url}/__sandbox/health`)).json()) as { spaces: number };
console.log(`sandbox listening on ${sandbox.url} (${health.spaces} spaces)`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`sandbox: ${signal}, stopping`);
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
