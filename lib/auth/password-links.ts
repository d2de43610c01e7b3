import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { passwordSetTokens, staffAccounts } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { hashPassword } from "./passwords";

/** How long a set-password link works. */
export const SET_PASSWORD_LINK_HOURS = 48;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A one-time link with which a staff member sets their own password (a manager never types one).
 * Only the token's hash is stored; earlier unused links of the account stop working.
 */
export async function issueSetPasswordLink(db: Database, staffId: string, baseUrl: string): Promise<{ url: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SET_PASSWORD_LINK_HOURS * 3_600_000);
  await db.update(passwordSetTokens).set({ usedAt: sql`now()` }).where(and(eq(passwordSetTokens.staffId, staffId), isNull(passwordSetTokens.usedAt)));
  await db.insert(passwordSetTokens).values({ tokenHash: digest(token), staffId, expiresAt });
  const url = new URL("/set-password", baseUrl);
  url.searchParams.set("token", token);
  return { url: url.href, expiresAt };
}

/**
 * Sets the password through a link: the token is claimed in one guarded update (unused, not
 * expired), so a link works exactly once, on any instance. The e-mail is returned for the sign-in.
 */
export async function setPasswordWithLink(db: Database, token: string, password: string): Promise<{ email: string }> {
  const [claimed] = await db
    .update(passwordSetTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordSetTokens.tokenHash, digest(token)), isNull(passwordSetTokens.usedAt), gt(passwordSetTokens.expiresAt, sql`now()`)))
    .returning({ staffId: passwordSetTokens.staffId });
  if (!claimed) throw new AppError(410, "link_invalid", "This link has expired or was used already. Ask a manager for a new one.");
  const [account] = await db
    .update(staffAccounts)
    .set({ passwordHash: await hashPassword(password), authProvider: "credentials" })
    .where(eq(staffAccounts.id, claimed.staffId))
    .returning({ email: staffAccounts.email });
  if (!account) throw new AppError(410, "link_invalid", "The account of this link no longer exists.");
  return account;
}
