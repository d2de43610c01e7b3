/**
 * The sandbox partner API: `startSandbox()` seeds (or reuses) its database and serves the
 * partner API under `/partner` and the control API under `/__sandbox`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  tokenLifetimeSeconds: 86_400,
  failNext: null,
};

const TOKEN_OPERATION = "createApiToken";

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
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
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
    controlRoutes({ store, tokens, getFaults: () => faults, setFaults, stats: snapshot, resetStats }),
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
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
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
    respond(res, await found.route.handle({ params: found.params, query, body: parseJson(body) }));
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
      sendError(res, error);
    }
    log(`${req.method} ${pathname} ${res.statusCode} ${Math.round(performance.now() - t0)}ms`);
  });

  let closed: Promise<void> | undefined;
  return {
    url,
    apiBaseUrl: `${url}/partner`,
    port,
    setFaults,
    stats: snapshot,
    resetStats,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      })),
  };
}
