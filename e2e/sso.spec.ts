import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test, type Page } from "@playwright/test";
import { waitForUrl } from "../scripts/dashboard-http";
import { DEMO_USERS, E2E_CLIENT_ID, E2E_CLIENT_SECRET, SANDBOX_URL } from "./env";
import { signIn, signOut } from "./helpers";
import { createTestProvider, type TestProvider } from "./oidc-provider";

/**
 * Issue 12, SSO against a real OpenID Connect provider (oidc-provider, in this worker): a
 * dashboard instance of its own with SSO configured, a role map (zf-managers → manager,
 * zf-support → support) and no auto-provisioning, beside the main e2e sandbox.
 */
test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.E2E_PORT ?? 3100) + 30;
const PROVIDER_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110) + 40;
const BASE = `http://localhost:${PORT}`;
const CONTACT = "IT-Service (Tel. 0911 4711)";
test.use({ baseURL: BASE });

let provider: TestProvider;
let dashboard: ChildProcess;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  provider = await createTestProvider({ port: PROVIDER_PORT, clientId: "dashboard", clientSecret: "oidc-test-secret-51c2", dashboardUrl: BASE });
  await provider.start();
  work = mkdtempSync(path.join(tmpdir(), "zf-sso-"));
  dashboard = spawn("node_modules/.bin/next", ["start", "-p", String(PORT)], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: work,
      NEXTAUTH_URL: BASE,
      NEXTAUTH_SECRET: "sso-e2e-secret-93ad",
      ZF_API_BASE_URL: `${SANDBOX_URL}/partner`,
      ZF_CLIENT_ID: E2E_CLIENT_ID,
      ZF_CLIENT_SECRET: E2E_CLIENT_SECRET,
      DEMO_MODE: "1",
      SPACE_CRAWL_ENABLED: "0",
      SCHEDULED_JOBS: "off",
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: "dashboard",
      OIDC_CLIENT_SECRET: "oidc-test-secret-51c2",
      OIDC_NAME: "Firmen-SSO",
      OIDC_SCOPES: "groups",
      OIDC_ROLE_MAP: "zf-managers=manager, zf-support=support",
      OIDC_ADMIN_CONTACT: CONTACT,
      NODE_OPTIONS: "--max-http-header-size=8192",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForUrl(`${BASE}/api/ready`, 90_000);
});

test.afterAll(async () => {
  dashboard?.kill("SIGTERM");
  await sleep(1_000);
  if (dashboard && dashboard.exitCode === null) dashboard.kill("SIGKILL");
  await provider?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Clicks the SSO button and, where the provider asks, logs in with its development form. */
async function signInWithSso(page: Page, login: string, { providerForm = true } = {}): Promise<void> {
  await page.goto("/login");
  await page.getByRole("button", { name: "Mit Firmen-SSO anmelden" }).click();
  if (providerForm) {
    await expect(page).toHaveURL(new RegExp(`localhost:${PROVIDER_PORT}/interaction/`));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
  }
}

/** RP-initiated logout: the provider asks, then sends the browser back to our login page. */
async function signOutThroughProvider(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Benutzermenü öffnen" }).click();
  await page.getByRole("menuitem", { name: "Abmelden" }).click();
  await expect(page).toHaveURL(new RegExp(`localhost:${PROVIDER_PORT}/`));
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1/);
}

test("an unknown person is refused on our login page, in German, with whom to ask", async ({ page }) => {
  provider.setPerson("stranger", { email: "Fremd@Example.com", email_verified: true, name: "Frida Fremd", groups: ["marketing"] });
  await signInWithSso(page, "stranger");
  await expect(page).toHaveURL(/\/login\?error=SsoNoAccount/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Für fremd@example.com gibt es kein Mitarbeiterkonto");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(CONTACT);
  await expect(page.getByText("Access Denied")).toHaveCount(0);
});

test("an unverified e-mail binds nothing, and a password account is not taken over until a manager allows it", async ({ page, browser }) => {
  // The demo's password accounts exist from the first password sign-in on.
  await signIn(page, DEMO_USERS.manager);
  await signOut(page);
  provider.setPerson("unverified", { email: DEMO_USERS.staff, name: "Not Verified", groups: ["zf-support"] });
  await signInWithSso(page, "unverified");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("nicht als bestätigt gemeldet");

  provider.setPerson("staff-sso", { email: DEMO_USERS.staff, email_verified: true, name: "Sam Staff", groups: ["zf-support"] });
  const staffContext = await browser.newContext();
  const staffPage = await staffContext.newPage();
  await signInWithSso(staffPage, "staff-sso");
  await expect(staffPage.getByRole("main").getByRole("alert")).toContainText("bereits ein Konto mit Passwort");

  // A manager allows it on /staff; the next SSO sign-in takes the account over.
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/staff");
  const row = page.locator(`[data-testid="staff-row"][data-email="${DEMO_USERS.staff}"]`);
  await row.getByRole("button", { name: "SSO erlauben" }).click();
  await expect(row).toContainText("SSO-Übernahme erlaubt");

  // The provider session from before is still open: no form this time.
  await signInWithSso(staffPage, "staff-sso", { providerForm: false });
  await expect(staffPage).toHaveURL(/\/spaces/);
  await expect(staffPage.getByTestId("user-role")).toHaveText("Support");
  await staffContext.close();

  // Taken over: the old password no longer signs in.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${BASE}/login`);
  await otherPage.getByLabel("E-Mail").fill(DEMO_USERS.staff);
  await otherPage.getByLabel("Passwort").fill("demo");
  await otherPage.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(otherPage.getByRole("main").getByRole("alert")).toContainText("E-Mail oder Passwort ist falsch");
  await other.close();
});

test("a groups claim mapped to manager makes a manager; sign-out ends the provider session too", async ({ page }) => {
  provider.setPerson("lena", { email: "lena.leitner@example.com", email_verified: true, name: "Lena Leitner", groups: ["zf-managers", "zf-support"] });
  await signInWithSso(page, "lena");
  await expect(page).toHaveURL(/\/spaces/);
  await expect(page.getByTestId("user-name")).toHaveText("Lena Leitner");
  await expect(page.getByTestId("user-role")).toHaveText("Manager:in");
  expect((await page.goto("/staff"))?.status()).toBe(200);

  await signOutThroughProvider(page);
  await expect(page.getByRole("main").getByRole("status")).toContainText("Sie wurden abgemeldet.");
  // The provider's session is gone: signing in again asks for the login.
  await page.getByRole("button", { name: "Mit Firmen-SSO anmelden" }).click();
  await expect(page).toHaveURL(new RegExp(`localhost:${PROVIDER_PORT}/interaction/`));
  await expect(page.locator('input[name="login"]')).toBeVisible();
});

test("removing the claim demotes them at the next sign-in, and the new role is enforced", async ({ page }) => {
  provider.setPerson("lena", { email: "lena.leitner@example.com", email_verified: true, name: "Lena Leitner", groups: ["zf-support"] });
  await signInWithSso(page, "lena");
  await expect(page).toHaveURL(/\/spaces/);
  await expect(page.getByTestId("user-role")).toHaveText("Support");
  expect((await page.goto("/staff"))?.status()).toBe(403);
  expect((await page.request.get("/api/staff")).status()).toBe(403);
  // No mapped group at all: refused at the next sign-in, with the reason.
  provider.setPerson("lena", { email: "lena.leitner@example.com", email_verified: true, name: "Lena Leitner", groups: [] });
  await signOutThroughProvider(page);
  await signInWithSso(page, "lena");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("keine Rolle im Partner-Dashboard");
});

test("a provider that is down gives its message, in the person's language", async ({ browser }) => {
  await provider.stop();
  try {
    for (const [locale, text] of [
      ["de", "Der Anmeldedienst (Firmen-SSO) ist gerade nicht erreichbar"],
      ["en", "The sign-in service (Firmen-SSO) cannot be reached right now"],
    ] as const) {
      const context = await browser.newContext({ baseURL: BASE });
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: BASE }]);
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByRole("button", { name: locale === "de" ? "Mit Firmen-SSO anmelden" : "Sign in with Firmen-SSO" }).click();
      await expect(page).toHaveURL(/\/login\?.*error=OAuthSignin/);
      await expect(page.getByRole("main").getByRole("alert")).toContainText(text);
      await context.close();
    }
  } finally {
    await provider.start();
  }
});

test("a manager disabling an SSO account signs its session out at the next request", async ({ page, browser }) => {
  provider.setPerson("lena", { email: "lena.leitner@example.com", email_verified: true, name: "Lena Leitner", groups: ["zf-support"] });
  await signInWithSso(page, "lena");
  await expect(page).toHaveURL(/\/spaces/);
  expect((await page.request.get("/api/spaces/index")).status()).toBe(200);

  const managerContext = await browser.newContext({ baseURL: BASE });
  const manager = await managerContext.newPage();
  await signIn(manager, DEMO_USERS.manager);
  await manager.goto("/staff");
  const row = manager.locator('[data-testid="staff-row"][data-email="lena.leitner@example.com"]');
  await expect(row).toContainText("SSO");
  await row.getByRole("button", { name: "Sperren" }).click();
  await expect(row).toContainText("Gesperrt");
  await managerContext.close();

  expect((await page.request.get("/api/spaces/index")).status()).toBe(401);
  await page.goto("/spaces");
  await expect(page).toHaveURL(/\/login/);
});
