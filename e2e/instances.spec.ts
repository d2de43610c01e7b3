import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { Client } from "pg";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../lib/testing/postgres";
import { signInWithPassword, waitForUrl } from "../scripts/dashboard-http";
import { DEMO_PASSWORD, DEMO_USERS, E2E_CLIENT_ID, E2E_CLIENT_SECRET } from "./env";

/**
 * Two dashboard instances on two ports against one PostgreSQL and one sandbox (issue 12 part 6,
 * and the "decided in the database" promises of issues 10 and 11): a session of one works on the
 * other, one idempotency key sent to both at once makes one space, two resends of one invite at
 * the same moment send one e-mail, and a sign-in throttle counted on one holds on the other.
 * Then the space index refresh (advisory lock) and shutdown (issue 12 part 7): one refresh at a
 * time across instances, a third instance killed mid-refresh is taken over, and SIGTERM drains a
 * request in flight while the lock goes to the other instance at once.
 * Uses the production build of the e2e run; skipped with a reason where PostgreSQL is missing.
 */
test.describe.configure({ mode: "serial" });

const PORTS = [Number(process.env.E2E_PORT ?? 3100) + 20, Number(process.env.E2E_PORT ?? 3100) + 21];
/** A third instance, started by the tests that kill or stop one; A and B stay up for the others. */
const EXTRA_PORT = Number(process.env.E2E_PORT ?? 3100) + 22;
const TTL_SECONDS = 4;
const PAGE_SIZE = 5;
/** lib/spaces/index.ts SPACE_INDEX_LOCK_ID. */
const SPACE_INDEX_LOCK_ID = 7_246_002;
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110) + 20;
const SANDBOX = `http://127.0.0.1:${SANDBOX_PORT}`;
const base = (i: number) => `http://localhost:${PORTS[i]}`;
const children: ChildProcess[] = [];
let postgres: ThrowawayPostgres;
let work: string;


function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  return child;
}

/** One dashboard instance. What must be equal on every instance (secret, database, partner API) and what must not (port, URL). */
function startDashboard(port: number): ChildProcess {
  return start("node_modules/.bin/next", ["start", "-p", String(port)], {
    DATABASE_URL: (postgres as { adminUrl: string }).adminUrl,
    NEXTAUTH_SECRET: "instances-shared-secret-5a1f",
    NEXTAUTH_URL: `http://localhost:${port}`,
    ZF_API_BASE_URL: `${SANDBOX}/partner`,
    ZF_CLIENT_ID: E2E_CLIENT_ID,
    ZF_CLIENT_SECRET: E2E_CLIENT_SECRET,
    DEMO_MODE: "1",
    SPACE_CRAWL_ENABLED: "0",
    SIGN_IN_LOCK_SECONDS: "3",
    // Small pages one at a time, so a refresh lasts several slowed-down pages (faults below).
    ZF_PAGE_SIZE: String(PAGE_SIZE),
    ZF_PAGE_CONCURRENCY: "1",
    SPACE_INDEX_TTL_SECONDS: String(TTL_SECONDS),
    SHUTDOWN_DRAIN_SECONDS: "15",
    NODE_OPTIONS: "--max-http-header-size=8192",
  });
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
  for (const port of PORTS) startDashboard(port);
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

// ---------------------------------------------------------------------------------------------
// The space index refresh across instances, and shutdown.

const extra = `http://localhost:${EXTRA_PORT}`;
const faults = (data: Record<string, unknown>) => fetch(`${SANDBOX}/__sandbox/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
const listingCalls = async () => ((await (await fetch(`${SANDBOX}/__sandbox/stats`)).json()).requests.getSpaces ?? 0) as number;
const upstreamSpaceCount = async () => ((await (await fetch(`${SANDBOX}/__sandbox/health`)).json()).spaces as number);

interface Status {
  state: string;
  spaces: number;
  pagesDone: number;
  pagesTotal: number;
  startedAt: string | null;
  finishedAt: string | null;
}
const indexStatus = async (context: APIRequestContext, url: string): Promise<Status> => (await context.get(`${url}/api/spaces/index`)).json();

/** Sessions holding the refresh lock, as PostgreSQL sees them. */
async function lockHolders(): Promise<number> {
  const client = new Client({ connectionString: (postgres as { adminUrl: string }).adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1 and granted", [SPACE_INDEX_LOCK_ID]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/** The index is built and no refresh runs anywhere (one a read started in an earlier test may still be on its way). */
async function indexSettled(context: APIRequestContext, url: string) {
  expect((await context.get(`${url}/api/spaces/tree?parent=root`)).status()).toBe(200);
  await expect.poll(async () => (await indexStatus(context, url)).state, { timeout: 30_000 }).toBe("ready");
  await expect.poll(lockHolders, { timeout: 30_000 }).toBe(0);
}

async function stopped(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

test.describe("the space index across instances", () => {
  test.afterEach(async () => {
    await faults({ latencyMs: 0, latencyOperations: null });
  });

  test("only one instance refreshes the space index at a time: a refresh asked of the other meanwhile makes no second listing pass", async ({ playwright }) => {
    test.skip(!!skipped(), skipped() ?? "");
    const context = await playwright.request.newContext();
    await signIn(context, 0, DEMO_USERS.staff);
    await indexSettled(context, base(0));
    await faults({ latencyMs: 400, latencyOperations: ["getSpaces"] });
    await fetch(`${SANDBOX}/__sandbox/stats/reset`, { method: "POST" });
    const asked = Date.now();

    expect((await context.post(`${base(0)}/api/spaces/index`, { headers: write(0), data: {} })).status()).toBe(200);
    await expect.poll(async () => (await indexStatus(context, base(0))).pagesDone, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const running = await indexStatus(context, base(0));
    expect(running.state).toBe("refreshing");
    expect(running.pagesDone).toBeLessThan(running.pagesTotal);
    // B is asked three times while A's refresh runs: each try of the lock fails, B answers A's progress.
    for (let n = 0; n < 3; n++) {
      const onB = await context.post(`${base(1)}/api/spaces/index`, { headers: write(1), data: {} });
      expect(onB.status()).toBe(200);
      expect((await onB.json()).state).toBe("refreshing");
      expect(await lockHolders()).toBe(1);
      await sleep(200);
    }

    await expect.poll(async () => { const s = await indexStatus(context, base(1)); return s.state === "ready" && Date.parse(s.finishedAt ?? "") > asked; }, { timeout: 30_000 }).toBe(true);
    const done = await indexStatus(context, base(1));
    expect(done.pagesTotal).toBe(Math.ceil((await upstreamSpaceCount()) / PAGE_SIZE));
    // One listing pass: every page once (a second refresh would have listed them all again).
    await sleep(1_000);
    expect(await listingCalls()).toBe(done.pagesTotal);
    await context.dispose();
  });

  test("an instance killed (SIGKILL) mid-refresh: the other takes the refresh over within the TTL and the index ends ready with every space", async ({ playwright }) => {
    test.skip(!!skipped(), skipped() ?? "");
    test.setTimeout(120_000);
    const context = await playwright.request.newContext();
    await signIn(context, 1, DEMO_USERS.staff);
    await indexSettled(context, base(1));
    const third = startDashboard(EXTRA_PORT);
    await waitForUrl(`${extra}/api/ready`, 60_000);
    await faults({ latencyMs: 400, latencyOperations: ["getSpaces"] });

    expect((await context.post(`${extra}/api/spaces/index`, { headers: { origin: extra, "content-type": "application/json" }, data: {} })).status()).toBe(200);
    await expect.poll(async () => (await indexStatus(context, extra)).pagesDone, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const before = await indexStatus(context, extra);
    expect(before.state).toBe("refreshing");
    expect(before.pagesDone).toBeLessThan(before.pagesTotal);
    third.kill("SIGKILL");
    await stopped(third);
    const killedAt = Date.now();
    // Its connections are gone, and with them the lock; the state row still says "refreshing".
    await expect.poll(lockHolders, { timeout: 5_000 }).toBe(0);

    await expect
      .poll(async () => { const s = await indexStatus(context, base(1)); return s.state === "ready" && Date.parse(s.finishedAt ?? "") > killedAt; }, { timeout: 30_000 })
      .toBe(true);
    const after = await indexStatus(context, base(1));
    expect(Date.parse(after.startedAt!) - killedAt).toBeLessThan(TTL_SECONDS * 1_000);
    expect(after.spaces).toBe(await upstreamSpaceCount());
    expect(after.pagesDone).toBe(after.pagesTotal);
    await context.dispose();
  });

  test("SIGTERM while a request is in flight: it gets its normal answer with the database, /api/ready says 503 meanwhile, the lock goes to the other instance at once, and the process exits 143", async ({ playwright }) => {
    test.skip(!!skipped(), skipped() ?? "");
    test.setTimeout(120_000);
    const context = await playwright.request.newContext();
    await signIn(context, 1, DEMO_USERS.staff);
    await indexSettled(context, base(1));
    const instance = startDashboard(EXTRA_PORT);
    await waitForUrl(`${extra}/api/ready`, 60_000);
    const cookie = await signInWithPassword(extra, DEMO_USERS.staff);
    const spaceId = (await (await context.get(`${extra}/api/spaces/tree?parent=root`)).json()).nodes[0].id as string;

    // A refresh runs on the instance when the signal comes.
    await faults({ latencyMs: 500, latencyOperations: ["getSpaces"] });
    await context.post(`${extra}/api/spaces/index`, { headers: { origin: extra, "content-type": "application/json" }, data: {} });
    await expect.poll(async () => (await indexStatus(context, extra)).pagesDone, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(await lockHolders()).toBe(1);

    // The request in flight: a rename whose body is still arriving. Its handler has started
    // (session checked) and needs the database again once the body is in.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const newName = `Umbenannt beim Herunterfahren ${Date.now().toString(36)}`;
    const body = JSON.stringify({ name: newName });
    let renameRest: () => void = () => undefined;
    const rename = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${extra}/api/spaces/${spaceId}`, {
        method: "PATCH",
        agent,
        headers: { cookie, origin: extra, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 5));
      renameRest = () => req.end(body.slice(5));
    });
    await sleep(500);

    const signalledAt = Date.now();
    instance.kill("SIGTERM");
    // The refresh stops at its next page and unlocks while the instance still drains: the other
    // instance takes the refresh lock at once (its refresh starts, nobody waits for the exit).
    await expect.poll(lockHolders, { timeout: 3_000 }).toBe(0);
    expect(instance.exitCode).toBeNull();
    expect((await context.post(`${base(1)}/api/spaces/index`, { headers: write(1), data: {} })).status()).toBe(200);
    await expect.poll(async () => Date.parse((await indexStatus(context, base(1))).startedAt ?? "") > signalledAt, { timeout: 5_000 }).toBe(true);
    expect(instance.exitCode).toBeNull();

    // The request finishes with its normal answer, the database used after the signal.
    renameRest();
    const renamed = await rename;
    expect(renamed.status, renamed.body).toBe(200);
    expect(JSON.parse(renamed.body).space.name).toBe(newName);
    // On the same (still open) connection, the draining instance is alive but not ready.
    const probe = (pathname: string, close: boolean) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${extra}${pathname}`, { agent, headers: close ? { connection: "close" } : {} }, (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          })
          .on("error", reject);
      });
    const ready = await probe("/api/ready", false);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ ok: false, shuttingDown: true });
    expect((await probe("/api/health", true)).status).toBe(200);

    // With its last connection closed, it closes the database and exits, well inside the drain time.
    const lastAnswer = Date.now();
    expect(await stopped(instance)).toBe(143);
    expect(Date.now() - lastAnswer).toBeLessThan(5_000);
    agent.destroy();
    // The other instance finishes the refresh with every space, the renamed one included.
    await expect.poll(async () => (await indexStatus(context, base(1))).state, { timeout: 30_000 }).toBe("ready");
    expect((await indexStatus(context, base(1))).spaces).toBe(await upstreamSpaceCount());
    expect((await (await context.get(`${base(1)}/api/spaces/${spaceId}`)).json()).space.name).toBe(newName);
    await context.dispose();
  });
});
