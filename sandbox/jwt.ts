/**
 * HS256 JWTs with node:crypto. The key is random per sandbox process: a restarted sandbox
 * rejects old tokens with 401, which exercises the client's refresh path like a key rotation.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  iss: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly issued: string[] = [];
  private readonly revoked = new Set<string>();

  issue(clientId: string, lifetimeSeconds: number): string {
    const iat = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { sub: clientId, iat, exp: iat + lifetimeSeconds, jti: randomUUID(), iss: "zaehlerfreunde-sandbox" };
    const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
    const token = `${unsigned}.${this.sign(unsigned)}`;
    this.issued.push(token);
    return token;
  }

  /** The claims of a valid token, or the reason it is not valid. */
  verify(token: string): { claims: TokenClaims } | { problem: string } {
    const parts = token.split(".");
    if (parts.length !== 3) return { problem: "Malformed token" };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: "Invalid token signature" };
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as TokenClaims;
    if (Date.now() / 1000 >= claims.exp) return { problem: "Token expired" };
    if (this.revoked.has(claims.jti)) return { problem: "Token revoked" };
    return { claims };
  }

  revokeAll(): void {
    for (const token of this.issued) {
      const result = this.verify(token);
      if ("claims" in result) this.revoked.add(result.claims.jti);
    }
  }

  allIssued(): string[] {
    return [...this.issued];
  }

  private sign(unsigned: string): string {
    return createHmac("sha256", this.key).update(unsigned).digest("base64url");
  }
}
