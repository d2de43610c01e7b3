import "server-only";
import { AppError } from "@/lib/errors";

/**
 * CSRF defence beyond SameSite=Lax: a state-changing request is executed only when it comes
 * from the dashboard's own pages. SameSite alone lets another port on localhost (same site) and
 * `text/plain` "simple" requests through.
 * - `Origin` must be the dashboard's own origin (NEXTAUTH_URL, or the origin the request was
 *   addressed to); without an Origin header, `Sec-Fetch-Site: same-origin` must say so.
 *   `Origin: null` (sandboxed frames, some redirects) is refused.
 * - The body must be JSON (`application/json`), which a cross-site form or simple request cannot send.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function ownOrigins(request: Request): Set<string> {
  const origins = new Set<string>([new URL(request.url).origin]);
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      origins.add(new URL(configured).origin);
    } catch {
      // a broken NEXTAUTH_URL makes next-auth itself fail loudly; nothing to add here
    }
  }
  return origins;
}

export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return ownOrigins(request).has(origin);
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** Throws 403 `cross_site_refused` for a state-changing request from elsewhere or with a non-JSON body. */
export function assertSameOrigin(request: Request, contentType: "json" | "form" = "json"): void {
  if (!isStateChanging(request.method)) return;
  if (!isSameOrigin(request)) throw new AppError(403, "cross_site_refused", "This request did not come from the dashboard's own pages and was not carried out.");
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const hasBody = request.method !== "DELETE" || type !== "" || Number(request.headers.get("content-length") ?? 0) > 0 || request.headers.has("transfer-encoding");
  const expected = contentType === "json" ? "application/json" : "application/x-www-form-urlencoded";
  if (hasBody && type !== expected) throw new AppError(403, "cross_site_refused", `This request must be sent as ${expected}; it was not carried out.`);
}
