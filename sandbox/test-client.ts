/** A minimal HTTP client for the sandbox tests (the dashboard has its own, in lib/partner-api). */
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../lib/partner-api/defaults";
import type { RunningSandbox } from "./server";

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export function sandboxClient(sandbox: Pick<RunningSandbox, "url" | "apiBaseUrl">) {
  let token: string | undefined;

  async function request<T>(url: string, method: string, body?: unknown, auth?: string): Promise<CallResult<T>> {
    const res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  const client = {
    async newToken(clientId = DEFAULT_CLIENT_ID, clientSecret = DEFAULT_CLIENT_SECRET) {
      return request<{ accessToken?: string; message?: string }>(`${sandbox.apiBaseUrl}/auth/token`, "POST", {
        clientId,
        clientSecret,
      });
    },
    async token(): Promise<string> {
      if (!token) {
        const res = await client.newToken();
        if (res.status !== 200 || !res.body.accessToken) throw new Error(`token request failed: ${res.status}`);
        token = res.body.accessToken;
      }
      return token;
    },
    forgetToken() {
      token = undefined;
    },
    /** A partner API call with the cached token (or the one given; `null` sends none). */
    async api<T = unknown>(method: string, path: string, body?: unknown, auth?: string | null): Promise<CallResult<T>> {
      const bearer = auth === null ? undefined : (auth ?? (await client.token()));
      return request<T>(`${sandbox.apiBaseUrl}${path}`, method, body, bearer);
    },
    /** A control call under /__sandbox. */
    async control<T = unknown>(method: string, path: string, body?: unknown): Promise<CallResult<T>> {
      return request<T>(`${sandbox.url}/__sandbox${path}`, method, body);
    },
  };
  return client;
}

export type SandboxClient = ReturnType<typeof sandboxClient>;

/** Epoch seconds of an ISO time, for hand-written readings. */
export const epoch = (iso: string) => Date.parse(iso) / 1000;
