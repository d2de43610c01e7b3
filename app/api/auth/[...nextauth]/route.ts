import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { accountKey, addressKey, clientAddress, secondsLocked } from "@/lib/auth/throttle";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/origin";

// next-auth's own endpoints (sign-in, sign-out, session, CSRF): the only API routes that
// must answer without a session. Around them: writes only from the dashboard's own pages and
// as forms (next-auth's client sends nothing else; its CSRF token stays in force), the sign-in
// throttle before a password is even checked, and JSON errors instead of an empty 500.
const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const action = (await context.params).nextauth.join("/");
    // The credentials callback is a form post; next-auth answers a GET with a 500.
    if (action === "callback/credentials") throw new AppError(405, "method_not_allowed", "Sign in through the login form.");
    for (const value of new URL(request.url).searchParams.getAll("callbackUrl")) assertCallbackUrl(value);
    return await handler(request, context);
  } catch (error) {
    return errorResponse(error, request);
  }
}

export async function POST(request: Request, context: Context): Promise<Response> {
  try {
    assertSameOrigin(request, "form");
    const action = (await context.params).nextauth.join("/");
    // Every value: a repeated parameter must not slip a bad one past (next-auth reads the last).
    for (const value of new URL(request.url).searchParams.getAll("callbackUrl")) assertCallbackUrl(value);
    for (const value of await formFields(request, "callbackUrl")) assertCallbackUrl(value);
    if (action === "callback/credentials") {
      const throttled = await throttledResponse(request);
      if (throttled) return throttled;
    }
    return await handler(request, context);
  } catch (error) {
    return errorResponse(error, request);
  }
}

/**
 * 429 with Retry-After while the account or the address is locked. The body also carries the
 * `url` next-auth's client reads, so `signIn()` resolves with error "TooManyAttempts" and the
 * login page can say when to try again.
 */
async function throttledResponse(request: Request): Promise<Response | null> {
  const email = (await formFields(request, "email"))[0] ?? "";
  const address = clientAddress(request.headers.get("x-forwarded-for"));
  const seconds = await secondsLocked(await getDb(), [accountKey(email), addressKey(address)]);
  if (seconds === 0) return null;
  const url = new URL("/login", request.url);
  url.searchParams.set("error", "TooManyAttempts");
  url.searchParams.set("retryAfter", String(seconds));
  return NextResponse.json(
    { url: url.href, error: { code: "too_many_attempts", message: `Too many failed sign-ins. Try again in ${seconds} s.`, retryAfterSeconds: seconds } },
    { status: 429, headers: { "Retry-After": String(seconds) } },
  );
}

async function formFields(request: Request, name: string): Promise<string[]> {
  try {
    return (await request.clone().formData()).getAll(name).map((v) => (typeof v === "string" ? v : ""));
  } catch {
    throw new AppError(400, "invalid_input", "The form could not be read.");
  }
}

/**
 * next-auth fails with a 500 on a callbackUrl that is not a URL ("x", "javascript:…"): only a
 * path on this site or an absolute http(s) URL is passed on (next-auth's redirect callback then
 * keeps it on this origin).
 */
function assertCallbackUrl(value: string): void {
  const isPath = value.startsWith("/") && !value.startsWith("//") && !value.includes("\\");
  let isUrl = false;
  try {
    isUrl = /^https?:$/.test(new URL(value).protocol);
  } catch {
    // not an absolute URL
  }
  if (!(isPath || isUrl) || value.length > 2_000) throw new AppError(400, "invalid_input", "The return address is not valid.", { fieldErrors: { callbackUrl: ["invalid"] } });
}
