import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { signInThrottle } from "@/lib/db/schema";

/**
 * Failed password sign-ins, limited per account and per client address with a growing delay.
 * Counts live in the database (one upsert per failure), so every instance sees the same counts
 * and a locked account stays locked whichever instance the next attempt reaches.
 *
 * After `limit` failures within the window the key is locked for the base delay; every further
 * failure doubles it, up to the maximum. A success clears the account's count (not the address's:
 * one valid account must not reset an attacker's address).
 */
export interface ThrottleSettings {
  accountLimit: number;
  addressLimit: number;
  windowSeconds: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export function throttleSettings(env: Record<string, string | undefined> = process.env): ThrottleSettings {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    accountLimit: number("SIGN_IN_ACCOUNT_LIMIT", 5),
    addressLimit: number("SIGN_IN_ADDRESS_LIMIT", 20),
    windowSeconds: 15 * 60,
    baseLockSeconds: number("SIGN_IN_LOCK_SECONDS", 30),
    maxLockSeconds: 15 * 60,
  };
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase().slice(0, 320)}`;
export const addressKey = (address: string) => `address:${address.slice(0, 100)}`;

/**
 * The client address for the per-address limit: the last X-Forwarded-For entry, which the
 * reverse proxy in front of the dashboard (or Next itself, without one) appends. Behind N proxies
 * set TRUSTED_PROXY_HOPS=N-1 to skip the ones in between.
 */
export function clientAddress(forwardedFor: string | null | undefined, env: Record<string, string | undefined> = process.env): string {
  const hops = Math.max(0, Math.floor(Number(env.TRUSTED_PROXY_HOPS) || 0));
  const entries = (forwardedFor ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  return entries[Math.max(0, entries.length - 1 - hops)] ?? "unknown";
}

/** Seconds until the first of these keys may try again; 0 when none is locked. */
export async function secondsLocked(db: Database, keys: readonly string[], now = new Date()): Promise<number> {
  const rows = await db.select({ lockedUntil: signInThrottle.lockedUntil }).from(signInThrottle).where(inArray(signInThrottle.key, [...keys]));
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** Counts one failure against `key`, locking it once `limit` is reached; one atomic statement. */
export async function recordFailure(db: Database, key: string, limit: number, settings = throttleSettings()): Promise<void> {
  const t = signInThrottle;
  const stale = sql`${t.windowStartedAt} < now() - make_interval(secs => ${settings.windowSeconds})`;
  const failures = sql`(case when ${stale} then 1 else ${t.failures} + 1 end)`;
  const lockSeconds = sql`least(${settings.maxLockSeconds}, ${settings.baseLockSeconds} * power(2, greatest(0, ${failures} - ${limit})))`;
  await db
    .insert(t)
    .values({ key, failures: 1, lockedUntil: limit <= 1 ? sql`now() + make_interval(secs => ${settings.baseLockSeconds})` : null })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${stale} then now() else ${t.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${limit} then now() + make_interval(secs => ${lockSeconds}) else ${t.lockedUntil} end`,
      },
    });
}

export async function recordSignInFailure(db: Database, email: string, address: string, settings = throttleSettings()): Promise<void> {
  await recordFailure(db, accountKey(email), settings.accountLimit, settings);
  await recordFailure(db, addressKey(address), settings.addressLimit, settings);
}

export async function clearAccount(db: Database, email: string): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [accountKey(email)]));
}
