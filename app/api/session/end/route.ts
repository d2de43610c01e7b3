import { endSessionUrl, readOidcConfig } from "@/lib/auth/sso";
import { sessionIdToken } from "@/lib/auth/session";
import { route } from "@/lib/http/route";

/**
 * Called by the sign-out button before next-auth ends the dashboard's session: where to send the
 * browser afterwards so an SSO session ends at the identity provider too (RP-initiated logout).
 * Null for password sessions or a provider without an end-session endpoint.
 */
export const POST = route("session.own", async ({ request }) => {
  const config = readOidcConfig();
  const idToken = config ? await sessionIdToken() : null;
  if (!config || !idToken) return { providerLogoutUrl: null };
  const base = process.env.NEXTAUTH_URL ?? new URL(request.url).origin;
  return { providerLogoutUrl: await endSessionUrl(config, idToken, new URL("/login?signedOut=1", base).href) };
});
