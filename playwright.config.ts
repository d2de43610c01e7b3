import { defineConfig } from "@playwright/test";
import {
  BASE_URL,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  E2E_CLIENT_ID,
  E2E_CLIENT_SECRET,
  E2E_NEXTAUTH_SECRET,
  E2E_PORT,
  E2E_SANDBOX_PORT,
} from "./e2e/env";

// End-to-end tests drive Debian's Chromium against a production build (`next build` runs
// first, see package.json) and the sandbox partner API, each with fresh data under .e2e/
// (E2E_DIR, so a second run on other ports can live beside it).
const E2E_DIR = process.env.E2E_DIR ?? ".e2e";
export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: "node scripts/run.mjs start",
    url: `${BASE_URL}/login`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 8_000 },
    env: {
      PORT: String(E2E_PORT),
      SANDBOX_PORT: String(E2E_SANDBOX_PORT),
      NEXTAUTH_URL: BASE_URL,
      NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
      ZF_CLIENT_ID: E2E_CLIENT_ID,
      ZF_CLIENT_SECRET: E2E_CLIENT_SECRET,
      DEMO_MODE: "1",
      DATA_DIR: `${E2E_DIR}/data`,
      SANDBOX_DB: `${E2E_DIR}/sandbox/sandbox.sqlite`,
      SANDBOX_RESET: "1",
      SANDBOX_QUIET: "1",
      SANDBOX_SPACES: "150",
      SANDBOX_READING_DAYS: "3",
      // Index every space's devices and users within seconds, so lookups by MeLo work in tests.
      SPACE_CRAWL_CONCURRENCY: "4",
      SPACE_CRAWL_RATE_PER_SECOND: "200",
      // A short sign-in lock, so the throttle test waits seconds, not half a minute; the fuzz
      // suite's many failed sign-ins from 127.0.0.1 must not lock the address for later specs.
      SIGN_IN_LOCK_SECONDS: "3",
      SIGN_IN_ADDRESS_LIMIT: "100000",
      // Lost-answer tests wait for the dashboard's timeout; the local sandbox answers in milliseconds.
      ZF_TIMEOUT_MS: "4000",
    },
  },
});
