import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/csp";

/**
 * Runs before every request (but static files):
 * - a path that is not valid percent-encoding (`/spaces/%`) is answered 400 here, in JSON for
 *   the API, instead of Next's plain-text 500;
 * - pages get a per-request CSP nonce (Next applies it to its own scripts) and signed-out
 *   visitors are sent to /login.
 * Not a security boundary: every page and route handler checks the session and role again.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  // No address of the dashboard is this long; refusing it early keeps every answer's headers small.
  if (request.url.length > 8_192) {
    return NextResponse.json({ error: { code: "too_large", message: "The address is too long." } }, { status: 414, headers: { "Cache-Control": "no-store" } });
  }
  if (!isDecodable(pathname)) {
    return isApi
      ? NextResponse.json({ error: { code: "invalid_input", message: "The address is not valid." } }, { status: 400, headers: { "Cache-Control": "no-store" } })
      : new NextResponse("400 – Diese Adresse ist ungültig. / This address is not valid.", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (isApi) return NextResponse.next();
  // Pages are only read: the dashboard has no server actions, so a page POST is never legitimate.
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new NextResponse("405 – Method not allowed", { status: 405, headers: { Allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" } });
  }

  // Signed-out pages: the login and the one-time set-password link.
  if (pathname !== "/login" && pathname !== "/set-password" && !(await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET }))) {
    const login = new URL("/login", request.url);
    // Back to where they were, unless that address is absurdly long (it would overflow the redirect's headers).
    const back = `${pathname}${request.nextUrl.search}`;
    login.searchParams.set("callbackUrl", back.length <= 1_000 ? back : pathname.length <= 1_000 ? pathname : "/");
    return NextResponse.redirect(login);
  }

  const nonce = newNonce();
  const oidcIssuer = process.env.OIDC_ISSUER ? [new URL(process.env.OIDC_ISSUER).origin] : [];
  const csp = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", formTargets: oidcIssuer });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Pages, and the only API addresses the proxy has work for (a `%` that may not decode): every
  // other API request skips it (about 1.4 ms each, measured by npm run bench:proxy).
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)", "/api/(.*%.*)"],
};
