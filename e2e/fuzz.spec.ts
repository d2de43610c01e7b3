/**
 * Route fuzzing (issue 10): thousands of generated hostile requests against every route handler
 * (read from app/api, like security.spec.ts), next-auth's endpoints and the pages, without a
 * session and signed in as each role. Fails on any 5xx, on SQL text, stack traces, secrets or
 * partner tokens in an answer, and on a cross-site or non-JSON write that is not refused with 403.
 * Every failure is collected first and reported at once, grouped by kind.
 *
 * Reproducible: FUZZ_SEED (printed) fixes every generated request; FUZZ_PER_TARGET scales the run.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { DEFAULT_CLIENT_SECRET } from "../lib/partner-api/defaults";
import { BASE_URL, DEMO_PASSWORD, DEMO_USERS, E2E_CLIENT_SECRET, E2E_NEXTAUTH_SECRET, SANDBOX_URL } from "./env";
import {
  authBodyArb,
  bodyArb,
  bodyBytes,
  idArb,
  idempotencyKeyArb,
  queryArb,
  readHeadersArb,
  TEMPLATES,
  textOf,
  urlOf,
  writeHeadersArb,
  type FuzzRequest,
  type Text,
} from "./fuzz-arbitraries";
import { listRouteHandlers } from "./routes";

const SEED = Number(process.env.FUZZ_SEED ?? 20251201);
const PER_TARGET = Number(process.env.FUZZ_PER_TARGET ?? 40);
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 30_000;
/** The server's limit for the request line and headers together (--max-http-header-size, scripts/run.mjs). */
const HEADER_LIMIT = 8_192;
const REFUSAL_MISSING = "cross-site or non-JSON write not refused with 403";

type Who = "anonymous" | keyof typeof DEMO_USERS;
const WHO: Who[] = ["anonymous", "support", "staff", "manager"];

// ---- what there is to attack -------------------------------------------------------------------

/** "/api/spaces/[id]/users" from "app/api/spaces/[id]/users/route.ts" (route groups left out). */
const templateOf = (file: string) =>
  "/" +
  file
    .split(/[\\/]/)
    .slice(1, -1)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join("/");

interface Target {
  kind: "api" | "auth" | "page";
  template: string;
  method: string;
}

const apiHandlers = listRouteHandlers().map((h) => ({ ...h, template: templateOf(h.file) }));

const pageTemplates = (readdirSync(join(process.cwd(), "app"), { recursive: true }) as string[])
  .filter((f) => /(^|[\\/])page\.tsx?$/.test(f))
  .map((f) => templateOf(relative(process.cwd(), join(process.cwd(), "app", f))));

const targets: Target[] = [
  ...apiHandlers.flatMap((h) => h.methods.map((method) => ({ kind: (h.url.startsWith("/api/auth/") ? "auth" : "api") as Target["kind"], template: h.template, method }))),
  // Pages: GET, and POST as a forged form or Server Action call would send it.
  ...pageTemplates.flatMap((template) => ["GET", "POST"].map((method) => ({ kind: "page" as const, template, method }))),
];

/** Which template a (normalized) path reaches: static segments win over [param], as in Next. */
const templateRegex = (t: string) => new RegExp(`^${t.replace(/\[\.\.\.[^\]]+\]/g, ".+").replace(/\[[^\]]+\]/g, "[^/]+")}/?$`);
const apiMatchers = apiHandlers.map((h) => ({ ...h, regex: templateRegex(h.template), dynamic: (h.template.match(/\[/g) ?? []).length }));
function handlerFor(pathname: string) {
  return apiMatchers.filter((h) => h.regex.test(pathname)).sort((a, b) => a.dynamic - b.dynamic)[0];
}

// ---- generated requests ------------------------------------------------------------------------

const NEEDS_IDEMPOTENCY_KEY = new Set(["POST /api/spaces", "POST /api/spaces/[id]/invites", "POST /api/spaces/[id]/devices"]);
const AUTH_ACTIONS = ["session", "csrf", "providers", "signin", "signin/credentials", "callback/credentials", "error", "verify-request", "_log", "x", "callback/oidc"];

/** The URL pieces of a template with every [param] generated. */
function pathArb(template: string, who: Who): fc.Arbitrary<{ path: Text[]; label: string }> {
  const pieces = template.split("/").slice(1);
  const authAction = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...AUTH_ACTIONS, ...(who === "anonymous" ? ["signout"] : [])).map((a) => ({ value: a as Text, label: `action ${a}` })) },
    { weight: 2, arbitrary: idArb.map((id) => ({ value: { before: "callback/", repeat: textOf(id.value), times: 1 } as Text, label: `callback/${id.label}` })) },
    { weight: 1, arbitrary: idArb.map((id) => ({ value: id.value, label: `action ${id.label}` })) },
  );
  const parts = pieces.map((p) =>
    p.startsWith("[...") ? authAction : p.startsWith("[") ? idArb.map((id) => ({ value: id.value, label: `${p}=${id.label}` })) : fc.constant({ value: p as Text, label: "" }),
  );
  return fc.tuple(...parts).map((ps) => ({
    path: ps.flatMap((p) => ["/", p.value]),
    label: ps
      .map((p) => p.label)
      .filter(Boolean)
      .join(", "),
  }));
}

const joinLabels = (...labels: string[]) => labels.filter(Boolean).join("; ");

function requestArb(target: Target, who: Who): fc.Arbitrary<FuzzRequest> {
  const { kind, template, method } = target;
  const key = `${method} ${template}`;
  const base = { target: key, method };
  if (method === "GET") {
    return fc.record({ path: pathArb(template, who), query: queryArb(template), headers: readHeadersArb() }).map(({ path, query, headers }) => ({
      ...base,
      path: path.path,
      query: query.value,
      headers: headers.value,
      body: { kind: "none" },
      sent: joinLabels(path.label, query.label, headers.label),
    }));
  }
  if (kind === "auth") {
    const contentType = fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=fuzz", "");
    return fc.record({ path: pathArb(template, who), body: authBodyArb(), contentType }).map(({ path, body, contentType }) => ({
      ...base,
      path: path.path,
      query: [],
      headers: { origin: new URL(BASE_URL).origin, "content-type": contentType },
      body: body.value,
      sent: joinLabels(path.label, body.label, `content-type ${contentType || "(empty)"}`),
    }));
  }
  if (kind === "page") {
    const action = fc.oneof(
      { weight: 2, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.constantFrom("0", "x", "%00", "f".repeat(40), "a".repeat(5000)).map((id) => ({ "next-action": id })) },
    );
    return fc.record({ path: pathArb(template, who), headers: writeHeadersArb(BASE_URL), action, body: bodyArb(undefined) }).map(({ path, headers, action, body }) => ({
      ...base,
      path: path.path,
      query: [],
      headers: { ...headers.value, ...action },
      body: body.value,
      sent: joinLabels(path.label, body.label, headers.label, "next-action" in action ? `Next-Action ${action["next-action"].slice(0, 40)}` : ""),
    }));
  }
  const query = fc.oneof({ weight: 4, arbitrary: fc.constant({ value: [] as [string, Text][], label: "" }) }, { weight: 1, arbitrary: queryArb(template) });
  const idempotencyKey = NEEDS_IDEMPOTENCY_KEY.has(key) ? idempotencyKeyArb : fc.constant({ value: undefined, label: "" });
  return fc
    .record({ path: pathArb(template, who), query, headers: writeHeadersArb(BASE_URL), idempotencyKey, body: bodyArb(TEMPLATES[key]) })
    .map(({ path, query, headers, idempotencyKey, body }) => ({
      ...base,
      path: path.path,
      query: query.value,
      headers: { ...headers.value, ...(idempotencyKey.value === undefined ? {} : { "idempotency-key": idempotencyKey.value }) },
      body: body.value,
      sent: joinLabels(path.label, query.label, body.label, headers.label, idempotencyKey.label),
    }));
}

function countFor(target: Target): number {
  if (target.kind === "page") return Math.max(4, Math.round(PER_TARGET / 7));
  if (target.kind === "auth") return target.method === "GET" ? Math.round(PER_TARGET / 3) : Math.round((PER_TARGET * 2) / 3);
  return PER_TARGET;
}

// ---- checks ------------------------------------------------------------------------------------

/**
 * SQL or database error text. Statement shapes rather than bare words, so that "Select a space
 * from the list" in a page is not SQL but `select "id" from "space_index"` and `select * from x` are.
 */
const SQL_TEXT = new RegExp(
  [
    String.raw`\binsert into\s+"?[a-z_][\w.]*"?\s*\(`,
    String.raw`\bselect\s+(?:distinct\s+)?(?:\*|"[^"]+"|[a-z_][\w.]*\s*,)[^<>]{0,200}?\bfrom\s+"?[a-z_][\w.]*`,
    String.raw`\bselect\s+[a-z_][\w.]*\s+from\s+"?[a-z_][\w.]*"?\s*(?:where|limit|order|group|join|;|$)`,
    String.raw`\bupdate\s+"?[a-z_][\w.]*"?\s+set\s+"?[a-z_]\w*"?\s*=`,
    String.raw`\bdelete from\s+"?[a-z_][\w.]*"?\s*(?:where|;|$)`,
    "Failed query",
    "syntax error at or near",
    "invalid byte sequence for encoding",
    String.raw`violates (?:unique|foreign key|not-null|check) constraint`,
    String.raw`relation "[^"]+" does not exist`,
  ].join("|"),
  "im",
);
const STACK_TRACE = /\n\s+at .+:\d+:\d+|node_modules/;
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
const SECRETS = [
  { name: "client secret", value: E2E_CLIENT_SECRET },
  { name: "default client secret", value: DEFAULT_CLIENT_SECRET },
  { name: "NextAuth secret", value: E2E_NEXTAUTH_SECRET },
];

interface Failure {
  kind: string;
  who: Who;
  method: string;
  target: string;
  path: string;
  status: number | "no response";
  sent: string;
  body: string;
}

const short = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);
const mediaType = (contentType: string | undefined) => (contentType ?? "").split(";")[0].trim().toLowerCase();

function decodesCleanly(pathname: string): boolean {
  try {
    pathname.split("/").forEach((s) => decodeURIComponent(s));
    return true;
  } catch {
    return false;
  }
}

/**
 * The rule for state-changing requests to /api/** (not /api/auth/**): the dashboard's own Origin
 * (or Sec-Fetch-Site: same-origin) and JSON when there is a body, or 403. Only where the request
 * reaches a handler that has the method, and only when something before the app has not already
 * refused it (headers too large, a path that does not decode).
 */
function refusalMissing(r: FuzzRequest, who: Who, status: number, bodyLength: number): string | null {
  if (r.method === "GET" || r.method === "HEAD") return null;
  const url = new URL(urlOf(r), BASE_URL);
  if (!url.pathname.startsWith("/api/") || url.pathname.startsWith("/api/auth/")) return null;
  const handler = handlerFor(url.pathname);
  if (!handler || !handler.methods.includes(r.method)) return null;
  // A redirect (e.g. Next's trailing-slash 308) runs no handler; where it leads is checked by its own request.
  if ((status >= 300 && status < 400) || [413, 414, 431].includes(status) || (!decodesCleanly(url.pathname) && [400, 404].includes(status))) return null;
  const ownOrigin = r.headers.origin === undefined ? r.headers["sec-fetch-site"] === "same-origin" : r.headers.origin === new URL(BASE_URL).origin;
  const json = mediaType(r.headers["content-type"]) === "application/json";
  const reasons = [...(ownOrigin ? [] : [`Origin ${r.headers.origin ?? "(none)"}`]), ...(bodyLength > 0 && !json ? [`content-type ${r.headers["content-type"] || "(empty)"}`] : [])];
  if (reasons.length === 0) return null;
  const refused = status === 403 || (who === "anonymous" && status === 401);
  return refused ? null : `${reasons.join(" and ")}, answered ${status}`;
}

function leaks(text: string, tokens: string[]): string[] {
  const found: string[] = [];
  if (SQL_TEXT.test(text)) found.push("SQL text in the answer");
  if (STACK_TRACE.test(text)) found.push("stack trace in the answer");
  for (const secret of SECRETS) if (text.includes(secret.value)) found.push(`${secret.name} in the answer`);
  if (tokens.some((t) => text.includes(t)) || JWT.test(text)) found.push("partner token in the answer");
  return found;
}

/** A stable description of an answer for grouping: its error code, or its start with numbers blurred. */
function signature(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code;
    if (typeof code === "string") return `error.code ${code}`;
  } catch {
    // not JSON
  }
  return short(body.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<uuid>").replace(/\d+/g, "N").replace(/\s+/g, " "), 60);
}

// ---- helpers -----------------------------------------------------------------------------------

async function signIn(email: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password: DEMO_PASSWORD, callbackUrl: `${BASE_URL}/spaces`, json: "true" },
    headers: { origin: new URL(BASE_URL).origin },
    maxRedirects: 0,
    timeout: 60_000, // the first sign-in on a fresh server also migrates the database
  });
  expect(res.status(), `sign-in of ${email}`).toBeLessThan(400);
  return context;
}

async function sessionRole(context: APIRequestContext): Promise<string | undefined> {
  const session = (await (await context.get("/api/auth/session")).json()) as { user?: { role?: string } } | null;
  return session?.user?.role;
}

async function issuedTokens(context: APIRequestContext): Promise<string[] | null> {
  const res = await context.get(`${SANDBOX_URL}/__sandbox/tokens`).catch(() => null);
  if (!res?.ok()) return null;
  return ((await res.json()) as { tokens: string[] }).tokens;
}

/** The same shuffle for the same seed, so the interleaving is reproducible too. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---- the run -----------------------------------------------------------------------------------

// A trace of thousands of requests with megabyte bodies is slow to write and of no use: the
// report below says what was sent.
test.use({ trace: "off" });

test("hostile generated requests never get a 5xx, a leak or a missing 403", async () => {
  test.setTimeout(300_000);
  const testInfo = test.info();
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} reproduces this run), ${PER_TARGET} requests per API handler and method per caller`);

  // Guards the guards: detectors that detect nothing, or an empty walk, would pass vacuously.
  expect(leaks('Error: Failed query: select "id" from "space_index"', [])).toEqual(["SQL text in the answer"]);
  expect(leaks("TypeError: x\n    at f (/app/.next/server/chunks/a.js:1:2)", [])).toEqual(["stack trace in the answer"]);
  expect(leaks(`{"t":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlMmUtY2xpZW50In0.c2ln"}`, [])).toEqual(["partner token in the answer"]);
  expect(leaks("select * from users", [])).toEqual(["SQL text in the answer"]);
  expect(leaks('insert into "audit_log" ("id") values ($1)', [])).toEqual(["SQL text in the answer"]);
  expect(leaks('{"message":"Select a space from the list, then update the name. Delete from here."}', [])).toEqual([]);
  expect(targets.filter((t) => t.kind === "api").map((t) => t.template)).toEqual(expect.arrayContaining(["/api/spaces", "/api/spaces/[id]", "/api/status"]));
  expect(targets.some((t) => t.kind === "auth")).toBe(true);
  expect(pageTemplates).toEqual(expect.arrayContaining(["/spaces/[id]"]));

  const contexts: Record<Who, APIRequestContext> = {
    anonymous: await playwrightRequest.newContext({ baseURL: BASE_URL }),
    support: await signIn(DEMO_USERS.support),
    staff: await signIn(DEMO_USERS.staff),
    manager: await signIn(DEMO_USERS.manager),
  };
  for (const who of WHO.slice(1)) expect(await sessionRole(contexts[who]), `${who} is signed in`).toBe(who);

  // Make the dashboard fetch a partner API token, so there is one to leak.
  await contexts.manager.get("/api/spaces?page=0&pageSize=25");
  const initialTokens = await issuedTokens(contexts.anonymous);
  let tokens = initialTokens ?? [];
  console.log(initialTokens ? `sandbox has issued ${tokens.length} partner token(s); matching those and any JWT` : "no /__sandbox/tokens: matching any JWT");

  // Generate everything up front (deterministic for the seed), then interleave callers and routes.
  let stream = 0;
  const jobs: { who: Who; request: FuzzRequest }[] = [];
  for (const who of WHO) {
    for (const target of targets) {
      const samples = fc.sample(requestArb(target, who), { seed: SEED + stream++, numRuns: countFor(target) });
      for (const request of samples) jobs.push({ who, request });
    }
  }
  const queue = shuffled(jobs, SEED);
  console.log(`${queue.length} requests over ${targets.length} targets (${targets.filter((t) => t.kind === "api").length} API handler methods, next-auth, ${pageTemplates.length} pages) × ${WHO.length} callers`);

  const failures: Failure[] = [];
  const counts = new Map<string, Record<Who, number>>();
  const smallBodies: { index: number; text: string }[] = [];
  const started = Date.now();
  let done = 0;

  const record = (status: string, who: Who) => {
    const row = counts.get(status) ?? { anonymous: 0, support: 0, staff: 0, manager: 0 };
    row[who]++;
    counts.set(status, row);
  };

  async function run(index: number): Promise<void> {
    const { who, request: r } = queue[index];
    const url = urlOf(r);
    const data = bodyBytes(r.body);
    const failure = (kind: string, status: Failure["status"], body: string): Failure => ({
      kind,
      who,
      method: r.method,
      target: r.target,
      path: short(url, 120),
      status,
      sent: short(r.sent, 300),
      body: short(body, 300),
    });
    try {
      const send = () => contexts[who].fetch(url, { method: r.method, headers: r.headers, data, maxRedirects: 0, timeout: REQUEST_TIMEOUT_MS });
      // A kept-alive connection the server has just closed resets the next request on it: send
      // that one again once. A server that really died fails the second time too.
      const res = await send().catch((error: unknown) => {
        if (url.length <= HEADER_LIMIT && error instanceof Error && /ECONNRESET|socket hang up/.test(error.message)) return send();
        throw error;
      });
      const status = res.status();
      const body = (await res.body()).toString("utf8");
      record(String(status), who);
      if (status >= 500) failures.push(failure(`${status} server error`, status, body));
      const headers = res
        .headersArray()
        .filter((h) => h.name.toLowerCase() !== "set-cookie")
        .map((h) => `${h.name}: ${h.value}`)
        .join("\n");
      for (const kind of leaks(`${headers}\n\n${body}`, tokens)) failures.push(failure(kind, status, body));
      const missing = refusalMissing(r, who, status, data?.length ?? 0);
      if (missing) failures.push({ ...failure(REFUSAL_MISSING, status, body), sent: short(`${missing}; ${r.sent}`, 300) });
      if (body.length <= 65_536) smallBodies.push({ index, text: body });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Node answers 431 to a request line and headers over its limit (8 KB) and closes the
      // connection, which can cut off a long URL or body still being written: a refusal, not a crash.
      // The URL alone need not reach the limit: the cookie and other headers count too.
      if (url.length > HEADER_LIMIT - 2_048 && /ECONNRESET|EPIPE|socket hang up/.test(message)) {
        record("431/reset", who);
      } else if (/Header overflow/.test(message)) {
        record("no response", who);
        failures.push(failure("answer's headers over 16 KB (unreadable for Node clients)", "no response", message));
      } else {
        record("no response", who);
        failures.push(failure("no response", "no response", message));
      }
    }
    if (++done % 1000 === 0) {
      console.log(`  ${done}/${queue.length} after ${Math.round((Date.now() - started) / 1000)} s`);
      tokens = (await issuedTokens(contexts.anonymous)) ?? tokens;
    }
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < queue.length) await run(next++);
    }),
  );
  const seconds = Math.round((Date.now() - started) / 1000);

  // Tokens issued during the run: look for them in every answer kept.
  const finalTokens = (await issuedTokens(contexts.anonymous)) ?? tokens;
  const lateTokens = finalTokens.filter((t) => !tokens.includes(t));
  for (const { index, text } of smallBodies) {
    if (!lateTokens.some((t) => text.includes(t))) continue;
    const { who, request: r } = queue[index];
    failures.push({ kind: "partner token in the answer", who, method: r.method, target: r.target, path: short(urlOf(r), 120), status: 0, sent: short(r.sent, 300), body: short(text, 300) });
  }

  // Fuzzing must not have signed anyone out (or in as someone else): that would void the checks above.
  for (const who of WHO.slice(1)) {
    const role = await sessionRole(contexts[who]);
    if (role !== who) failures.push({ kind: "session lost during the run", who, method: "GET", target: "GET /api/auth/session", path: "/api/auth/session", status: 200, sent: "", body: String(role) });
  }

  // Status codes by caller.
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(i === 0 ? 12 : 10)).join(" ");
  console.log(`\n${queue.length} requests in ${seconds} s (seed ${SEED}), status codes by caller:`);
  console.log(line(["status", ...WHO, "total"]));
  for (const [status, row] of rows) console.log(line([status, ...WHO.map((w) => row[w]), WHO.reduce((n, w) => n + row[w], 0)]));
  console.log(line(["total", ...WHO.map((w) => rows.reduce((n, [, row]) => n + row[w], 0)), queue.length]));

  // Failures, grouped by kind, route and answer, with a few examples each.
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    // The Origin rule is one problem per route whatever the answer was; other kinds split by answer.
    const key = f.kind === REFUSAL_MISSING ? `${f.kind} · ${f.target}` : `${f.kind} · ${f.target} · ${f.status} · ${signature(f.body)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const report = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const examples = list.slice(0, 3).map((f) => `    [${f.who}] ${f.method} ${f.path} → ${f.status}\n      sent: ${f.sent}\n      body: ${f.body}`);
      return `${key} — ${list.length}×\n${examples.join("\n")}`;
    });
  if (failures.length > 0) {
    console.log(`\n${failures.length} failures in ${groups.size} groups:\n${report.join("\n")}`);
    await testInfo.attach("fuzz-failures.json", { body: JSON.stringify({ seed: SEED, failures }, null, 2), contentType: "application/json" });
  }

  await Promise.allSettled(Object.values(contexts).map((context) => context.dispose()));

  expect(queue.length, "enough requests").toBeGreaterThanOrEqual(5000);
  expect(report, `fuzz failures (seed ${SEED})`).toEqual([]);
});
