import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { auditSafely, failureOutcome, type AuditEntry } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idempotencyKeys } from "@/lib/db/schema";
import { PartnerApiError } from "@/lib/partner-api/errors";

/** After this, a key may be claimed again: clients retry within minutes, not days. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** Another request with this key is still running (409): the client should wait and retry. */
export class IdempotencyConflictError extends AppError {
  static override readonly kind: string = "IdempotencyConflictError";
  constructor() {
    super(409, "in_progress", "This request is still being processed. Please wait a moment and try again.", { retryable: true, retryAfterMs: 1000 });
  }
}

/** The key was used for a different request or by someone else (422): a client bug, never replayed. */
export class IdempotencyMismatchError extends AppError {
  static override readonly kind: string = "IdempotencyMismatchError";
  constructor() {
    super(422, "idempotency_mismatch", "This idempotency key was already used for a different request.");
  }
}

/** Polling interval the browser is asked to keep while a lost answer is being checked. */
const CHECK_AGAIN_MS = 2_000;

/**
 * The write was sent but its answer was lost (timeout, connection cut): it may exist upstream.
 * The browser repeats the same request (same key) after `retryAfterMs`; each repeat checks upstream.
 */
export class OutcomeUnknownError extends AppError {
  static override readonly kind: string = "OutcomeUnknownError";
  constructor(cause?: unknown) {
    super(409, "outcome_unknown", "The partner API did not confirm this change. It may have been carried out; the dashboard is checking before anything is sent again.", { retryable: true, retryAfterMs: CHECK_AGAIN_MS }, { cause });
  }
}

/** Checked upstream after a lost answer: nothing was created, so sending again is safe (the key is free). */
export class NotCreatedError extends AppError {
  static override readonly kind: string = "NotCreatedError";
  constructor() {
    super(409, "not_created", "The partner API did not carry out this change. It is safe to send it again.", { retryable: true });
  }
}

/** A lost answer that upstream offers no way to check (e.g. an invite e-mail): the person decides. */
export class MaybeSentError extends AppError {
  static override readonly kind: string = "MaybeSentError";
  constructor() {
    super(409, "may_have_been_sent", "The partner API did not confirm this, and it cannot be checked: it may have been carried out. Send it again only if you are sure it was not.", { retryable: true });
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

export interface IdempotencyOptions<T> {
  /**
   * Taken before sending and stored with the key (e.g. the ids of the devices a space already
   * has), so `reconcile` can tell a record this write created from one that existed before.
   */
  snapshot?: () => Promise<unknown>;
  /**
   * After a lost answer: the record this write created upstream, if it exists; null if upstream
   * holds none. Without it, a lost answer ends as MaybeSentError (the person decides).
   */
  reconcile?: (snapshot: unknown) => Promise<T | null>;
  /** Called when `run` itself failed (not for replays or conflicts), e.g. to audit the failure. */
  onRunError?: (error: unknown) => Promise<void>;
  /** How long after a lost answer "not found upstream" may still mean "not there yet". */
  graceMs?: number;
}

export interface IdempotentResult<T> {
  result: T;
  /** True when the stored result of an earlier call was returned: nothing happened now. A write found by reconciling is not a replay. */
  replayed: boolean;
}

/** Default grace: an upstream that timed out at ZF_TIMEOUT_MS may still finish the work soon after. */
function defaultGraceMs(): number {
  return 2 * (Number(process.env.ZF_TIMEOUT_MS) || 15_000);
}

/**
 * Runs `run` (the upstream write, nothing else) at most once per (scope, key), so a double
 * click or a retry never creates twice. The key's row moves pending → done with the result as
 * soon as upstream answered, before any audit or index upkeep (which the caller does after, and
 * whose failure must not be reported as a failed write). When upstream's answer is lost the row
 * becomes `uncertain` instead of being released: every later request with that key reconciles
 * against upstream first and only a confirmed "nothing there" frees the key.
 * The result is stored as JSON; first call and replays both return the JSON round trip.
 */
export async function withIdempotency<T>(
  db: Database,
  input: IdempotencyInput,
  run: () => Promise<T>,
  options: IdempotencyOptions<T> = {},
): Promise<IdempotentResult<T>> {
  const requestHash = hashRequest(input.request);
  const where = and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key));
  const graceMs = options.graceMs ?? defaultGraceMs();

  // One atomic statement claims a new key or takes over an expired one; concurrent callers on
  // any instance see exactly one winner.
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ scope: input.scope, key: input.key, actorId: input.actorId, requestHash, state: "pending" })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: { actorId: input.actorId, requestHash, state: "pending", response: null, snapshot: null, createdAt: sql`now()`, completedAt: null },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
    })
    .returning({ key: idempotencyKeys.key });

  if (claimed.length === 0) {
    const [existing] = await db.select().from(idempotencyKeys).where(where);
    // Deleted between our insert and select: the other call failed; the client may retry.
    if (!existing) throw new IdempotencyConflictError();
    if (existing.requestHash !== requestHash || existing.actorId !== input.actorId) throw new IdempotencyMismatchError();
    if (existing.state === "done") return { result: existing.response as T, replayed: true };
    // A pending row older than the grace belongs to a request that died mid-send: as uncertain.
    const stalePending = existing.state === "pending" && Date.now() - existing.createdAt.getTime() > graceMs;
    if (existing.state === "pending" && !stalePending) throw new IdempotencyConflictError();
    return settleUncertain(db, where, existing.snapshot, existing.completedAt ?? existing.createdAt, graceMs, options);
  }

  let result: T;
  try {
    if (options.snapshot) await db.update(idempotencyKeys).set({ snapshot: toJson(await options.snapshot()) }).where(where);
    result = toJson(await run());
  } catch (error) {
    await options.onRunError?.(error);
    if (error instanceof PartnerApiError && error.maybeApplied) {
      // Sent, answer lost: keep the key so nobody sends it again blind.
      await db.update(idempotencyKeys).set({ state: "uncertain", completedAt: sql`now()` }).where(where);
      throw new OutcomeUnknownError(error);
    }
    // Nothing was created (the run failed before or upstream refused), so release the key for a retry.
    await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.state, "pending")));
    throw error;
  }
  // Upstream did it: a failure to record that must not turn the write into an error. The key
  // stays pending, and a retry after the grace reconciles instead of sending again.
  await complete(db, where, result).catch((error: unknown) => console.error(`Idempotency key ${input.scope}/${input.key} not completed`, error));
  return { result, replayed: false };
}

/**
 * A key whose write may or may not have happened: found upstream → done with that record;
 * confirmed absent after the grace → key released (NotCreatedError, send again safely);
 * anything else → still OutcomeUnknownError, and the browser asks again shortly.
 */
async function settleUncertain<T>(
  db: Database,
  where: ReturnType<typeof and>,
  snapshot: unknown,
  since: Date,
  graceMs: number,
  options: IdempotencyOptions<T>,
): Promise<IdempotentResult<T>> {
  if (!options.reconcile) {
    if (Date.now() - since.getTime() < graceMs) throw new OutcomeUnknownError();
    await db.delete(idempotencyKeys).where(and(where, sql`${idempotencyKeys.state} <> 'done'`));
    throw new MaybeSentError();
  }
  let found: T | null;
  try {
    found = await options.reconcile(snapshot);
  } catch (error) {
    // Upstream cannot be asked right now: keep the key and check again later.
    throw new OutcomeUnknownError(error);
  }
  if (found !== null) {
    const result = toJson(found);
    await complete(db, where, result);
    // First time the dashboard learns of this record: the caller audits and indexes it.
    return { result, replayed: false };
  }
  if (Date.now() - since.getTime() < graceMs) throw new OutcomeUnknownError();
  await db.delete(idempotencyKeys).where(and(where, sql`${idempotencyKeys.state} <> 'done'`));
  throw new NotCreatedError();
}

async function complete(db: Database, where: ReturnType<typeof and>, result: unknown): Promise<void> {
  // If this update fails the key stays pending, and a retry reconciles: safer than running twice.
  // A key already settled (a reconcile won the race with a slow original) keeps its answer.
  await db.update(idempotencyKeys).set({ state: "done", response: result, completedAt: sql`now()` }).where(and(where, sql`${idempotencyKeys.state} <> 'done'`));
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

export interface IdempotentWrite<T> extends IdempotencyOptions<T> {
  idempotency: IdempotencyInput;
  /** The audit row; `targetIdOf` names the created record once upstream answered. */
  audit: Omit<AuditEntry, "outcome" | "upstreamStatus" | "errorMessage">;
  targetIdOf?: (result: T) => string;
  /** The upstream write. */
  send: () => Promise<T>;
  /** Index or ledger upkeep after a write that happened; a failure is logged, never the caller's error. */
  upkeep?: (result: T) => Promise<unknown>;
}

/**
 * A create through the partner API, the one way: idempotent by key (with reconciling after a
 * lost answer), then the audit row, then upkeep, in that order and only for a write that
 * happened now. A replay returns the stored result and does neither again.
 */
export async function idempotentWrite<T>(db: Database, write: IdempotentWrite<T>): Promise<T> {
  const { result, replayed } = await withIdempotency(db, write.idempotency, write.send, {
    ...write,
    onRunError: (error) => auditSafely(db, { ...write.audit, ...failureOutcome(error) }),
  });
  if (!replayed) {
    const target = write.targetIdOf ? { ...write.audit.target, id: write.targetIdOf(result) } : write.audit.target;
    await auditSafely(db, { ...write.audit, target, outcome: "ok", upstreamStatus: 200 });
    if (write.upkeep) await write.upkeep(result).catch((error: unknown) => console.error(`Upkeep after ${write.audit.action} failed; the next refresh repairs it`, error));
  }
  return result;
}
