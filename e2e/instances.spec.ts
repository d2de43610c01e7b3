import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../lib/testing/postgres";
import { waitForUrl } from "../scripts/dashboard-http";
import { DEMO_PASSWORD, DEMO_USERS, E2E_CLIENT_ID, E2E_CLIENT_SECRET } from "./env";

/**
 * Two dashboard instances on two ports against one PostgreSQL and one sandbox (issue 12 part 6,
 * and the "decided in the database" promises of issues 10 and 11): a session of one works on the
 * other, one idempotency key sent to both at once makes one space, two resends of one invite at
 * the same moment send one e-mail, and a sign-in throttle counted on one holds on the other.
 * Uses the production build of the e2e run; skipped with a reason where PostgreSQL is missing.
 */
test.describe.configure({ mode: "serial" });

const PORTS = [Number(process.env.E2E_PORT ?? 3100) + 20, Number(process.env.E2E_PORT ?? 3100) + 21];
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110) + 20;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const base = (i: number) => `http://localhost:${PORTS[i]}`;
const children: ChildProcess[] = [];
let postgres: ThrowawayPostgres;
let work: string;


function start(command: string, args: string[], env: Record<string, string>): void {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  postgres = await startThrowawayPostgres();
  if ("skipped" in postgres) return;
  work = mkdtempSync(path.join(tmpdir(), "zf-instances-"));
  start("node_modules/.bin/tsx", ["sandbox/main.ts"], {
    SANDBOX_PORT: String(SANDBOX_PORT),
    SANDBOX_DB: path.join(work, "sandbox.sqlite"),
    SANDBOX_SPACES: "40",
    SANDBOX_READING_DAYS: "1",
    SANDBOX_QUIET: "1",
    ZF_CLIENT_ID: E2E_CLIENT_ID,
    ZF_CLIENT_SECRET: E2E_CLIENT_SECRET,
  });
  await waitForUrl(`${SANDBOX}/__sandbox/health`, 90_000);
  for (const [i, port] of PORTS.entries()) {
    // What must be equal on every instance (secret, database, partner API) and what must not (port, URL).
    start("node_modules/.bin/next", ["start", "-p", String(port)], {
      DATABASE_URL: postgres.adminUrl,
      NEXTAUTH_SECRET: "instances-shared-secret-5a1f",
      NEXTAUTH_URL: base(i),
      ZF_API_BASE_URL: `${SANDBOX}/partner`,
      ZF_CLIENT_ID: E2E_CLIENT_ID,
      ZF_CLIENT_SECRET: E2E_CLIENT_SECRET,
      DEMO_MODE: "1",
      SPACE_CRAWL_ENABLED: "0",
      SIGN_IN_LOCK_SECONDS: "3",
      NODE_OPTIONS: "--max-http-header-size=8192",
    });
  }
  await Promise.all(PORTS.map((_, i) => waitForUrl(`${base(i)}/api/ready`, 90_000)));
});

test.afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await sleep(1_500);
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (postgres && !("skipped" in postgres)) postgres.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const skipped = () => ("skipped" in postgres ? postgres.skipped : null);

/** Signs in on instance `i` through next-auth's form; the request context keeps the cookie. */
async function signIn(request: APIRequestContext, i: number, email: string, password = DEMO_PASSWORD) {
  const { csrfToken } = await (await request.get(`${base(i)}/api/auth/csrf`)).json();
  return request.post(`${base(i)}/api/auth/callback/credentials`, { headers: { origin: base(i) }, form: { csrfToken, email, password, json: "true" } });
}

const write = (i: number, extra: Record<string, string> = {}) => ({ origin: base(i), "content-type": "application/json", ...extra });

test("a session made on one instance works on the other", async ({ playwright }) => {
  test.skip(!!skipped(), skipped() ?? "");
  const context = await playwright.request.newContext();
  expect((await signIn(context, 0, DEMO_USERS.staff)).ok()).toBe(true);
  const other = await context.get(`${base(1)}/api/status`);
  expect(other.status()).toBe(200);
  expect((await context.get(`${base(1)}/api/auth/session`)).ok()).toBe(true);
  await context.dispose();
});

test("one idempotency key sent to both instances at once makes exactly one space", async ({ playwright }) => {
  test.skip(!!skipped(), skipped() ?? "");
  const context = await playwright.request.newContext();
  await signIn(context, 0, DEMO_USERS.staff);
  const name = `Zwei Instanzen ${Date.now().toString(36)}`;
  const body = { name, addressLineOne: "Doppelweg 2", postcode: "10115", city: "Berlin", category: "FLAT" };
  const key = `instances-${Date.now()}`;
  const answers = await Promise.all(
    [0, 1, 0, 1].map((i) => context.post(`${base(i)}/api/spaces`, { headers: write(i, { "idempotency-key": key }), data: body })),
  );
  const statuses = answers.map((a) => a.status()).sort();
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
  const token = (await (await fetch(`${SANDBOX}/partner/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: E2E_CLIENT_ID, clientSecret: E2E_CLIENT_SECRET }) })).json()).accessToken;
  const spaces = (await (await fetch(`${SANDBOX}/partner/spaces?pageSize=100`, { headers: { authorization: `Bearer ${token}` } })).json()).spaces as { name: string }[];
  expect(spaces.filter((s) => s.name === name)).toHaveLength(1);
  await context.dispose();
});

test("two managers' resends of one invite at the same moment, on the two instances, send one e-mail", async ({ playwright }) => {
  test.skip(!!skipped(), skipped() ?? "");
  const staff = await playwright.request.newContext();
  await signIn(staff, 0, DEMO_USERS.staff);
  const spaces = await (await staff.get(`${base(0)}/api/spaces/tree?parent=root`)).json();
  const spaceId = spaces.nodes[0].id as string;
  const email = `zweimal-${Date.now().toString(36)}@example.de`;
  // Link only: no e-mail yet, so the resend is the first e-mail and the 10-minute rule applies to the second.
  const created = await staff.post(`${base(0)}/api/spaces/${spaceId}/invites`, { headers: write(0, { "idempotency-key": `inv-${Date.now()}` }), data: { email, sendEmail: false } });
  expect(created.status()).toBe(200);
  const inviteId = (await created.json()).invite.id as string;
  const manager = await playwright.request.newContext();
  await signIn(manager, 0, DEMO_USERS.manager);
  const resends = await Promise.all([0, 1].map((i) => manager.post(`${base(i)}/api/invites/${inviteId}/resend`, { headers: write(i), data: {} })));
  expect(resends.map((r) => r.status()).sort()).toEqual([200, 409]);
  const outbox = (await (await fetch(`${SANDBOX}/__sandbox/outbox?to=${encodeURIComponent(email)}`)).json()).emails as unknown[];
  expect(outbox).toHaveLength(1);
  await staff.dispose();
  await manager.dispose();
});

test("a sign-in throttle counted on one instance holds on the other", async ({ playwright }) => {
  test.skip(!!skipped(), skipped() ?? "");
  const context = await playwright.request.newContext();
  for (let i = 0; i < 5; i++) await signIn(context, i % 2, DEMO_USERS.support, `wrong-${i}`);
  const onOther = await signIn(context, 1, DEMO_USERS.support);
  expect(onOther.status()).toBe(429);
  const onFirst = await signIn(context, 0, DEMO_USERS.support);
  expect(onFirst.status()).toBe(429);
  await context.dispose();
});

test("npm run staff -- create prints a link; the new manager sets a password through it and signs in", async ({ browser }) => {
  test.skip(!!skipped(), skipped() ?? "");
  const { execFileSync } = await import("node:child_process");
  const email = `chefin-${Date.now().toString(36)}@example.com`;
  const out = execFileSync("npm", ["run", "-s", "staff", "--", "create", "--email", email, "--name", "Neue Chefin", "--role", "manager"], {
    env: { ...process.env, DATABASE_URL: (postgres as { adminUrl: string }).adminUrl, NEXTAUTH_URL: base(1) },
    encoding: "utf8",
  });
  const link = out.match(/http:\/\/localhost:\d+\/set-password\?token=[\w-]+/)?.[0];
  expect(link, out).toBeTruthy();
  const page = await (await browser.newContext({ locale: "de-DE" })).newPage();
  await page.goto(link!);
  await page.getByLabel("Neues Passwort (mindestens 10 Zeichen)").fill("kurz");
  await page.getByLabel("Passwort wiederholen").fill("kurz");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByText("Bitte mindestens 10 Zeichen.")).toBeVisible();
  await page.getByLabel("Neues Passwort (mindestens 10 Zeichen)").fill("ein-langes-passwort");
  await page.getByLabel("Passwort wiederholen").fill("ein-langes-passwort");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByText("Passwort gespeichert. Bitte jetzt anmelden.")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByLabel("E-Mail")).toHaveValue(email);
  await page.getByLabel("Passwort").fill("ein-langes-passwort");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page).toHaveURL(/\/spaces/, { timeout: 30_000 });
  await expect(page.getByTestId("user-role")).toHaveText("Manager:in");
  // The link worked once.
  await page.goto(link!);
  await page.getByLabel("Neues Passwort (mindestens 10 Zeichen)").fill("noch-ein-passwort");
  await page.getByLabel("Passwort wiederholen").fill("noch-ein-passwort");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "abgelaufen oder wurde schon benutzt" })).toBeVisible();
});
