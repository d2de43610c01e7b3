import "server-only";
import type { PartnerClientConfig } from "./config";
import { PartnerApiError, genericMessage } from "./errors";
import { createPartnerFetch, type PartnerFetch, type TokenSource } from "./fetch";
import { ApiToken, NewApiToken } from "./schemas";

/** The contract gives no expiry; the vendor's guide says a day (partner-api README, point 6). */
const ASSUMED_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * One token per process: reused until shortly before it expires, fetched by one request however
 * many callers need it at once, dropped once when the API refuses it.
 */
export class TokenManager implements TokenSource {
  private current: { token: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly send: PartnerFetch;

  constructor(
    private readonly config: PartnerClientConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.send = createPartnerFetch(config, null);
  }

  getToken(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.token);
    this.pending ??= this.requestToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Only the current token is dropped: 50 requests failing with the same old token cause one refresh. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async requestToken(): Promise<string> {
    const issuedAt = this.now();
    let accessToken: string;
    try {
      ({ accessToken } = await this.send({
        operation: "createApiToken",
        method: "POST",
        path: ["auth", "token"],
        body: { clientId: this.config.clientId, clientSecret: this.config.clientSecret },
        bodySchema: NewApiToken,
        schema: ApiToken,
        // Asking for a token twice has no lasting effect, so transient failures may be retried.
        idempotent: true,
      }));
    } catch (error) {
      if (error instanceof PartnerApiError && (error.status === 401 || error.status === 403)) {
        throw new PartnerApiError(
          { status: error.status, operation: "createApiToken", code: "credentials_rejected", retryable: false, message: genericMessage("credentials_rejected") },
          { cause: error },
        );
      }
      throw error;
    }
    const lifetime = Math.max(0, (jwtExpiry(accessToken) ?? issuedAt + ASSUMED_LIFETIME_MS) - issuedAt);
    // Refresh `margin` early, but a token shorter-lived than twice the margin still serves half its life.
    const early = Math.min(this.config.tokenRefreshMarginSeconds * 1000, lifetime / 2);
    this.current = { token: accessToken, refreshAt: issuedAt + lifetime - early };
    return accessToken;
  }
}

/** `exp` of a JWT in epoch ms, or undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null || !("exp" in claims)) return undefined;
    return typeof claims.exp === "number" && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
