import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idempotencyKeys } from "@/lib/db/schema";

/** After this, a key may be claimed again: clients retry within minutes, not days. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** Another request with this key is still running (409): the client should wait and retry. */
export class IdempotencyConflictError extends AppError {
  constructor() {
    super(409, "in_progress", "This request is still being processed. Please wait a moment and try again.", { retryable: true });
  }
}

/** The key was used for a different request or by someone else (422): a client bug, never replayed. */
export class IdempotencyMismatchError extends AppError {
  constructor() {
    super(422, "idempotency_mismatch", "This idempotency key was already used for a different request.");
  }
}

export interface IdempotencyInput {
  /** The operation, e.g. `space.create`; keys are unique per scope. */
  scope: string;
  key: string;
  actorId: string;
  /** The parsed request; its hash tells a retry from a different request reusing the key. */
  request: unknown;
}

export interface IdempotentResult<T> {
  result: T;
  /** True when the stored result of an earlier call was returned and `run` did not execute. */
  replayed: boolean;
}

/**
 * Runs `run` at most once per (scope, key), so a double click or a retry never creates twice.
 * The result is stored as JSON, and both the first call and replays return the JSON round trip,
 * so callers see the same shape either way (a Date becomes a string).
 */
export async function withIdempotency<T>(
  db: Database,
  input: IdempotencyInput,
  run: () => Promise<T>,
): Promise<IdempotentResult<T>> {
  const requestHash = hashRequest(input.request);
  const where = and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key));

  // One atomic statement claims a new key or takes over an expired one; concurrent callers on
  // any instance see exactly one winner.
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ scope: input.scope, key: input.key, actorId: input.actorId, requestHash, state: "pending" })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: {
        actorId: input.actorId,
        requestHash,
        state: "pending",
        response: null,
        createdAt: sql`now()`,
        completedAt: null,
      },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
    })
    .returning({ key: idempotencyKeys.key });

  if (claimed.length === 0) {
    const [existing] = await db.select().from(idempotencyKeys).where(where);
    // Deleted between our insert and select: the other call failed; the client may retry.
    if (!existing) throw new IdempotencyConflictError();
    if (existing.requestHash !== requestHash || existing.actorId !== input.actorId) throw new IdempotencyMismatchError();
    if (existing.state === "pending") throw new IdempotencyConflictError();
    return { result: existing.response as T, replayed: true };
  }

  let result: T;
  try {
    result = toJson(await run());
  } catch (error) {
    // Nothing was created (the run failed), so release the key for a retry.
    await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.state, "pending")));
    throw error;
  }
  // If this update fails the key stays pending until it expires: safer than running twice.
  await db
    .update(idempotencyKeys)
    .set({ state: "done", response: result, completedAt: sql`now()` })
    .where(where);
  return { result, replayed: false };
}

function toJson<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

/** SHA-256 of the request as JSON with sorted keys, so key order in the body does not matter. */
function hashRequest(request: unknown): string {
  return createHash("sha256").update(JSON.stringify(request, sortKeys) ?? "null").digest("hex");
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(source).sort().map((key) => [key, source[key]]));
}
