/**
 * The e2e servers' settings, shared by playwright.config.ts and the specs. Distinct
 * credentials make a leak easy to find: these strings must never reach a browser.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110);
export const BASE_URL = `http://localhost:${E2E_PORT}`;
export const SANDBOX_URL = `http://127.0.0.1:${E2E_SANDBOX_PORT}`;
export const E2E_CLIENT_ID = "e2e-client-7b41";
export const E2E_CLIENT_SECRET = "e2e-client-secret-d93f0a";
export const E2E_NEXTAUTH_SECRET = "e2e-nextauth-secret-0c6e2b9f";

/** Debian's Chromium, with what a headless run on this machine needs (no sandbox, no GPU, no calls home). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

export const DEMO_PASSWORD = "demo";
export const DEMO_USERS = {
  support: "support@example.com",
  staff: "staff@example.com",
  manager: "manager@example.com",
} as const;
