/**
 * What the benchmarks and the multi-instance test need to talk to a running dashboard from
 * outside, the way a browser would: wait until a server answers, and sign in with a password.
 */
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves once `url` answers with anything below 500; throws after `timeoutMs`. */
export async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Signs in through next-auth's credentials form and returns the session cookie (`name=value`).
 * next-auth's endpoints take same-origin form posts only (app/api/auth/[...nextauth]/route.ts),
 * so the Origin a browser sends goes along.
 */
export async function signInWithPassword(base: string, email: string, password = "demo"): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in of ${email} failed (${res.status})`);
  return session.split(";")[0];
}
