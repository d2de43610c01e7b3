/**
 * The sandbox partner API: `startSandbox()` seeds (or reuses) its database and serves the
 * partner API under `/partner` and the control API under `/__sandbox`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { finished } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { controlRoutes, type ControlRoute } from "./control";
import { openDatabase } from "./db";
import { HttpError, parseJson, parseWith, readBody, sendEmpty, sendError, sendJson } from "./http";
import { TokenIssuer } from "./jwt";
import { partnerRoutes, type Route } from "./partner";
import { ensureSeeded } from "./seed";
import { Store } from "./store";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../lib/partner-api/defaults";
import { NewApiToken, type ApiToken } from "../lib/partner-api/schemas";

export interface Faults {
  latencyMs: number;
  /** Only these operations are slowed down (null: all), e.g. to make one write outlive the client's timeout. */
  latencyOperations: string[] | null;
  errorRate: number;
  rateLimitRate: number;
  retryAfterSeconds: number;
  tokenLifetimeSeconds: number;
  failNext: { status: number; count: number; operations?: string[] } | null;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  dbPath?: string;
  seed?: number;
  spaces?: number;
  readingDays?: number;
  pageSizeMax?: number;
  clientId?: string;
  clientSecret?: string;
  faults?: Partial<Faults>;
  quiet?: boolean;
}

export interface SandboxStats {
  requests: Record<string, number>;
  tokenRequests: number;
}

export interface RunningSandbox {
  url: string;
  apiBaseUrl: string;
  port: number;
  setFaults(f: Partial<Faults>): void;
  stats(): SandboxStats;
  resetStats(): void;
  /**
   * Simulates the partner API being stopped: closes the listener and cuts every open connection,
   * so connecting to the port is refused (ECONNREFUSED) for `ms` after the listener has closed;
   * then it listens again on the same host and port with database, faults and tokens intact.
   * Resolves once the listener is closed. The control API shares the port, so it is down too.
   * Called again during an outage, it restarts the countdown with the new `ms`.
   */
  goDown(ms: number): Promise<void>;
  /** Resolves once the sandbox listens: at once when it is not down, and also when it is closed. */
  whenUp(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  latencyOperations: null,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  tokenLifetimeSeconds: 86_400,
  failNext: null,
};

const TOKEN_OPERATION = "createApiToken";

interface Outage {
  ms: number;
  /** Resolves once the listener is closed and every cut connection is gone. */
  closed: Promise<void>;
  up: Promise<void>;
  markUp: () => void;
  /** The way back: pending from `closed` until listen() is called again. */
  timer?: NodeJS.Timeout;
}

interface Compiled<R> {
  route: R;
  regex: RegExp;
}

function compile<R extends { path: string }>(routes: R[]): Compiled<R>[] {
  return routes.map((route) => ({
    route,
    regex: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}/?$`),
  }));
}

function match<R extends { method: string }>(table: Compiled<R>[], method: string, path: string) {
  for (const { route, regex } of table) {
    const m = regex.exec(path);
    if (!m || route.method !== method) continue;
    const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return { route, params };
  }
  return undefined;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = opts.host ?? "127.0.0.1";
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = opts.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const log = (line: string) => {
    if (!opts.quiet) console.log(line);
  };

  const db = openDatabase(opts.dbPath ?? ":memory:");
  const started = performance.now();
  const seeded = ensureSeeded(db, { seed: opts.seed ?? 42, spaces: opts.spaces ?? 120, readingDays: opts.readingDays ?? 30 });
  if (seeded) log(`sandbox: seeded in ${Math.round(performance.now() - started)} ms`);
  const store = new Store(db);
  const tokens = new TokenIssuer();
  let faults: Faults = { ...DEFAULT_FAULTS, ...opts.faults };
  let stats: SandboxStats = { requests: {}, tokenRequests: 0 };
  const setFaults = (patch: Partial<Faults>) => {
    faults = { ...faults, ...patch };
  };
  const resetStats = () => {
    stats = { requests: {}, tokenRequests: 0 };
  };
  const snapshot = (): SandboxStats => ({ requests: { ...stats.requests }, tokenRequests: stats.tokenRequests });

  const server = createServer();
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      // Both listeners go once either fires, so a failed listen leaves nothing behind for a retry.
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError).once("listening", onListening).listen(p, host);
    });
  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}`;

  const tokenRoute: Route = {
    method: "POST",
    path: "/auth/token",
    operationId: TOKEN_OPERATION,
    handle: ({ body }): ApiToken => {
      const creds = parseWith(NewApiToken, body);
      if (creds.clientId !== clientId || creds.clientSecret !== clientSecret) {
        throw new HttpError(401, "Invalid client credentials");
      }
      return { accessToken: tokens.issue(creds.clientId, faults.tokenLifetimeSeconds) };
    },
  };
  const partner = compile([
    tokenRoute,
    ...partnerRoutes({ store, pageSizeMax: opts.pageSizeMax ?? 100, publicUrl: url }),
  ]);
  const control = compile<ControlRoute>(
    controlRoutes({ store, tokens, getFaults: () => faults, setFaults, stats: snapshot, resetStats, goDown: (ms) => goDown(ms) }),
  );

  /** Injected failure for this call, if any: the deterministic `failNext` first, then the random rates. */
  const injectedFault = (operationId: string): HttpError | undefined => {
    const next = faults.failNext;
    if (next && next.count > 0 && (next.operations ? next.operations.includes(operationId) : operationId !== TOKEN_OPERATION)) {
      faults = { ...faults, failNext: next.count > 1 ? { ...next, count: next.count - 1 } : null };
      return faultError(next.status);
    }
    // Random faults spare the token call so a flaky sandbox still lets clients authenticate.
    if (operationId === TOKEN_OPERATION) return undefined;
    if (Math.random() < faults.rateLimitRate) return faultError(429);
    if (Math.random() < faults.errorRate) return faultError(503);
    return undefined;
  };
  const faultError = (status: number) =>
    status === 429
      ? new HttpError(429, "Too many requests (sandbox fault injection)", { "retry-after": String(faults.retryAfterSeconds) })
      : new HttpError(status, `Sandbox fault injection: HTTP ${status}`);

  const authenticate = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (!bearer) throw new HttpError(401, "Missing bearer token");
    const result = tokens.verify(bearer[1]);
    if ("problem" in result) throw new HttpError(401, result.problem);
  };

  const respond = (res: ServerResponse, result: unknown) => {
    if (result === undefined) sendEmpty(res);
    else sendJson(res, 200, result);
  };

  const handlePartner = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string) => {
    const found = match(partner, req.method ?? "GET", path);
    const slowed = !faults.latencyOperations || (found !== undefined && faults.latencyOperations.includes(found.route.operationId));
    if (faults.latencyMs > 0 && slowed) await sleep(faults.latencyMs);
    if (!found) throw new HttpError(404, `No partner API operation for ${req.method} /partner${path}`);
    const { operationId } = found.route;
    stats.requests[operationId] = (stats.requests[operationId] ?? 0) + 1;
    if (operationId === TOKEN_OPERATION) stats.tokenRequests++;
    const fault = injectedFault(operationId);
    if (fault) throw fault;
    if (operationId !== TOKEN_OPERATION) authenticate(req);
    respond(res, await found.route.handle({ params: found.params, query, body: parseJson(body) }));
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string) => {
    const found = match(control, req.method ?? "GET", path);
    if (!found) throw new HttpError(404, `No sandbox control endpoint for ${req.method} /__sandbox${path}`);
    const afterResponse = (fn: () => void) => void finished(res, () => fn());
    respond(res, await found.route.handle({ params: found.params, query, body: parseJson(body), afterResponse }));
  };

  server.on("request", async (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const { pathname, searchParams } = new URL(req.url ?? "/", url);
    try {
      const body = await readBody(req);
      if (pathname.startsWith("/partner/")) await handlePartner(req, res, pathname.slice("/partner".length), searchParams, body);
      else if (pathname.startsWith("/__sandbox/")) await handleControl(req, res, pathname.slice("/__sandbox".length), searchParams, body);
      else throw new HttpError(404, `Not found: ${pathname} (partner API under /partner, control under /__sandbox)`);
    } catch (error) {
      // A connection cut mid-request (an outage, or the client gave up) has nobody left to answer.
      if (!res.destroyed) sendError(res, error);
    }
    const status = res.destroyed && !res.writableFinished ? "cut" : res.statusCode;
    log(`${req.method} ${pathname} ${status} ${Math.round(performance.now() - t0)}ms`);
  });

  /** Set from goDown() until the listener is back (or the sandbox is closed). */
  let outage: Outage | undefined;
  let closing: Promise<void> | undefined;

  const comeBack = (o: Outage) => {
    o.timer = undefined;
    listen(port).then(
      () => {
        outage = undefined;
        o.markUp();
      },
      // Someone else may have taken the port meanwhile (rare, but ephemeral ports get reused).
      (error: Error) => {
        console.error(`sandbox: cannot listen on ${host}:${port} again (${error.message}), retrying`);
        if (!closing) o.timer = setTimeout(() => comeBack(o), 100);
      },
    );
  };

  const goDown = (ms: number): Promise<void> => {
    if (closing) return Promise.resolve();
    if (outage) {
      const o = outage;
      o.ms = ms;
      if (o.timer) {
        clearTimeout(o.timer);
        o.timer = setTimeout(() => comeBack(o), ms);
      }
      return o.closed;
    }
    let markUp = () => {};
    const up = new Promise<void>((resolve) => (markUp = resolve));
    // close() stops accepting at once, so new connections are refused from here on; its callback
    // waits until the connections cut by closeAllConnections() (idle and in-flight) are gone.
    // Only then may the countdown start: listening again earlier would keep 'close' from firing.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    const o: Outage = (outage = { ms, closed, up, markUp });
    void closed.then(() => {
      if (!closing) o.timer = setTimeout(() => comeBack(o), o.ms);
    });
    return closed;
  };

  return {
    url,
    apiBaseUrl: `${url}/partner`,
    port,
    setFaults,
    stats: snapshot,
    resetStats,
    goDown,
    whenUp: () => outage?.up ?? Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        const o = outage;
        if (o) {
          // Let a running goDown() finish closing, then cancel the way back.
          await o.closed;
          clearTimeout(o.timer);
        }
        if (server.listening) {
          const done = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          await done;
        }
        db.close();
        o?.markUp();
      })()),
  };
}
