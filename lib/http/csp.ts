/**
 * The pages' Content-Security-Policy: scripts only from the dashboard itself and the inline
 * scripts Next renders with this request's nonce ('strict-dynamic' lets those load the chunks
 * they need); no 'unsafe-inline' for scripts. Styles may be inline (React style attributes and
 * Next's inlined CSS carry no nonce). Nothing may frame the dashboard. API answers get their
 * own, stricter policy in next.config.mjs.
 */
export function pageContentSecurityPolicy(nonce: string, { dev = false, formTargets = [] as string[] } = {}): string {
  return [
    `default-src 'self'`,
    // React's development build evaluates code; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    // Sign-in with SSO ends at the identity provider.
    `form-action 'self'${formTargets.map((t) => ` ${t}`).join("")}`,
    `frame-ancestors 'none'`,
  ].join("; ");
}

/** 128 random bits, base64: a fresh nonce per page request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
