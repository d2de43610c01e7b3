import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { DEFAULT_CLIENT_SECRET } from "../lib/partner-api/defaults";
import { DEMO_USERS, E2E_CLIENT_SECRET, E2E_NEXTAUTH_SECRET, SANDBOX_URL } from "./env";
import { SAME_ORIGIN, signIn } from "./helpers";
import { isPublicEndpoint, listRouteHandlers } from "./routes";

const handlers = listRouteHandlers().filter((h) => !isPublicEndpoint(h));

test("the route handler list is read from app/api", () => {
  // Guards the guard: if the walk finds nothing, the 401 test below would pass vacuously.
  expect(handlers.map((h) => h.url)).toEqual(expect.arrayContaining(["/api/spaces", "/api/status"]));
  for (const handler of handlers) expect(handler.methods.length, handler.file).toBeGreaterThan(0);
});

test("every route handler answers 401 without a session", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext(); // no cookies at all
  for (const handler of handlers) {
    for (const method of handler.methods) {
      // With the dashboard's own Origin, so the answer is about the session, not about CSRF.
      const res = await anonymous.fetch(handler.url, { method, headers: SAME_ORIGIN, data: method === "GET" ? undefined : {} });
      expect(res.status(), `${method} ${handler.url}`).toBe(401);
      expect((await res.json()).error.code, `${method} ${handler.url}`).toBe("unauthorized");
    }
  }
  await anonymous.dispose();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("the client secret and the access token never reach the browser", async ({ page, request }) => {
  // Use the app as a person would, so the server fetches (and caches) a partner API token.
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (response.url().startsWith("http://localhost")) bodies.push(await response.text().catch(() => ""));
  });
  await signIn(page, DEMO_USERS.manager);
  await expect(page.getByTestId("tree-row").first()).toBeVisible();
  await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "online");
  bodies.push(await page.content());

  // Every route handler's answer to a signed-in manager (cookies shared with the page).
  for (const handler of handlers.filter((h) => h.methods.includes("GET"))) {
    bodies.push(await (await page.request.get(handler.url)).text());
  }
  bodies.push(await (await page.request.get("/api/auth/session")).text());

  const tokens: string[] = (await (await request.get(`${SANDBOX_URL}/__sandbox/tokens`)).json()).tokens;
  expect(tokens.length, "the dashboard has fetched a partner API token").toBeGreaterThan(0);
  const secrets = [E2E_CLIENT_SECRET, DEFAULT_CLIENT_SECRET, E2E_NEXTAUTH_SECRET, ...tokens];

  const staticFiles = filesUnder(join(process.cwd(), process.env.NEXT_DIST_DIR ?? ".next", "static"));
  expect(staticFiles.length).toBeGreaterThan(10);
  const staticText = staticFiles.map((f) => readFileSync(f, "latin1"));

  for (const secret of secrets) {
    const label = secret === E2E_CLIENT_SECRET || secret === DEFAULT_CLIENT_SECRET ? "client secret" : "secret or token";
    expect(bodies.some((b) => b.includes(secret)), `${label} in a page or route response`).toBe(false);
    expect(staticText.some((t) => t.includes(secret)), `${label} in .next/static`).toBe(false);
  }
});
