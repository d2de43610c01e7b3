import type { Server } from "node:http";

/**
 * A real OpenID Connect provider for the SSO tests (the `oidc-provider` package, as Keycloak or
 * Entra would answer): discovery, authorization code with PKCE, signed ID tokens, RP-initiated
 * logout. People are set by the test (`setPerson`); its development login form takes any
 * password. `stop()` and `start()` make it unreachable and back, with sessions kept in memory.
 */
export interface TestProvider {
  issuer: string;
  setPerson(login: string, claims: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createTestProvider(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  /** The dashboard's base URL: callback and post-logout addresses are registered from it. */
  dashboardUrl: string;
}): Promise<TestProvider> {
  const { default: Provider } = await import("oidc-provider");
  const issuer = `http://localhost:${options.port}`;
  const people = new Map<string, Record<string, unknown>>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [`${options.dashboardUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${options.dashboardUrl}/login?signedOut=1`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // Claims in the ID token itself, as most company providers configure it.
    conformIdTokenClaims: false,
    cookies: { keys: ["oidc-test-cookie-key-1"] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx, id) {
      const claims = people.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...people.get(id) }) };
    },
    // Consent is the company's business, not the test's: every scope asked for is granted.
    async loadExistingGrant(ctx) {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  });
  let server: Server | null = null;
  return {
    issuer,
    setPerson: (login, claims) => people.set(login, claims),
    async start() {
      if (server) return;
      await new Promise<void>((resolve) => {
        server = provider.listen(options.port, () => resolve()) as Server;
      });
    },
    async stop() {
      const running = server;
      server = null;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
  };
}
