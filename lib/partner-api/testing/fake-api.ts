/**
 * A tiny node:http stand-in for the partner API, for unit tests that need exact control over
 * status codes, bodies, delays and timing. Counts calls and in-flight requests.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CONFIG_DEFAULTS, type PartnerClientConfig } from "../config";

export interface FakeCall {
  method: string;
  /** Raw path as sent, below /partner (still URL-encoded). */
  path: string;
  query: URLSearchParams;
  token: string | undefined;
  body: unknown;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is (HTML, broken JSON…); anything else as JSON. */
  body?: unknown;
  delayMs?: number;
}

export type FakeHandler = (call: FakeCall) => FakeReply | Promise<FakeReply>;

export const FAKE_SECRET = "fake-secret-do-not-leak-91b2";

/** An unsigned JWT-shaped token; only the client's reading of `exp` matters here. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.sig`;
}

export async function startFakeApi(handler: FakeHandler) {
  let issued = 0;
  const state = {
    handler,
    /** Answers POST /auth/token; by default a fresh opaque token `tok-N` each time. */
    tokenReply: (n: number): FakeReply => ({ body: { accessToken: `tok-${n}` } }),
    calls: [] as FakeCall[],
    tokenRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
  };

  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const call: FakeCall = {
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0].replace(/^\/partner/, ""),
      query: url.searchParams,
      token: bearer?.[1],
      body: text ? JSON.parse(text) : undefined,
    };
    let reply: FakeReply;
    if (call.path === "/auth/token") {
      state.tokenRequests += 1;
      issued += 1;
      reply = state.tokenReply(issued);
    } else {
      state.calls.push(call);
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        reply = await state.handler(call);
      } finally {
        state.inFlight -= 1;
      }
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    const body = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    const type = typeof reply.body === "string" ? "text/html" : "application/json";
    res.writeHead(reply.status ?? 200, { ...(body ? { "content-type": type } : {}), ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/partner`;

  return Object.assign(state, {
    baseUrl,
    /** Fast retries so the suite stays quick; override per test. */
    config: (overrides: Partial<PartnerClientConfig> = {}): PartnerClientConfig => ({
      ...CONFIG_DEFAULTS,
      baseUrl,
      clientId: "fake-client",
      clientSecret: FAKE_SECRET,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 2_000,
      ...overrides,
    }),
    callsTo: (method: string, path: string) => state.calls.filter((c) => c.method === method && c.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export type FakeApi = Awaited<ReturnType<typeof startFakeApi>>;
