import "server-only";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { auditLog, type AuditLogRow } from "@/lib/db/schema";
import type { Role } from "@/lib/auth/permissions";

export interface AuditActor {
  id: string;
  email: string;
  role: Role;
}

export interface AuditEntry {
  /** Who did it; null for the system itself (e.g. a scheduled invite expiry). */
  actor: AuditActor | null;
  /** `<target>.<verb>`, e.g. `space.create`, `invite.resend`. */
  action: string;
  target: { type: string; id: string };
  summary?: string;
  details?: Record<string, unknown>;
  outcome: "ok" | "error";
  upstreamStatus?: number;
  errorMessage?: string;
}

/**
 * Keys never written to the audit log. Managers read the log and it is kept for years, so it must
 * not become a place to harvest credentials: a token or secret grants API access, an invite link
 * lets whoever holds it join a customer's space, and a declaration of consent is a signed personal
 * document that belongs to the upstream API, not to our log.
 */
const SECRET_KEY = /token|secret|password|authorization|api_?key|invite_?(link|url)|declaration_?of_?consent/i;

/** A copy of `value` without any property whose name looks secret, at any depth. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, inner]) => [key, redactSecrets(inner)]),
    ) as T;
  }
  return value;
}

/** Writes one audit row and returns its id. */
export async function audit(db: Database, entry: AuditEntry): Promise<number> {
  const [row] = await db
    .insert(auditLog)
    .values({
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      actorRole: entry.actor?.role ?? null,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      summary: entry.summary ?? null,
      details: entry.details ? redactSecrets(entry.details) : null,
      outcome: entry.outcome,
      upstreamStatus: entry.upstreamStatus ?? null,
      errorMessage: entry.errorMessage ?? null,
    })
    .returning({ id: auditLog.id });
  return row.id;
}

export interface ListAuditOptions {
  targetType?: string;
  targetId?: string;
  limit: number;
  /** Keyset cursor: only rows with a smaller id (pass the last id of the previous page). */
  before?: number;
}

/** Newest first. */
export async function listAudit(db: Database, options: ListAuditOptions): Promise<AuditLogRow[]> {
  const conditions: SQL[] = [];
  if (options.targetType !== undefined) conditions.push(eq(auditLog.targetType, options.targetType));
  if (options.targetId !== undefined) conditions.push(eq(auditLog.targetId, options.targetId));
  if (options.before !== undefined) conditions.push(lt(auditLog.id, options.before));
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(options.limit);
}

/**
 * Audits without ever failing the caller: for the audit row of a write that already happened
 * upstream. Retried a few times; if the database still refuses, the entry goes to the server log
 * whole (secrets stripped), so it is not lost and the person is not told their write failed.
 */
export async function auditSafely(db: Database, entry: AuditEntry): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await audit(db, entry);
      return;
    } catch (error) {
      if (attempt >= 3) {
        console.error("Audit row not written; the entry follows", JSON.stringify(redactSecrets(entry)), error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** The audit fields of a failed upstream call. */
export function failureOutcome(error: unknown): Pick<AuditEntry, "outcome" | "upstreamStatus" | "errorMessage"> {
  const upstreamStatus = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : undefined;
  return { outcome: "error", upstreamStatus, errorMessage: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs one upstream write and audits it either way: `ok` with its target, or `error` with the
 * upstream status and message, then rethrows so the route answers the mapped error. The audit
 * never changes the outcome: a write that happened upstream is never reported as failed.
 * `targetIdOf`: a create learns its target's id only from the answer.
 */
export async function auditedCall<T>(
  db: Database,
  entry: Omit<AuditEntry, "outcome" | "upstreamStatus" | "errorMessage"> & { targetIdOf?: (result: T) => string },
  run: () => Promise<T>,
): Promise<T> {
  const { targetIdOf, ...base } = entry;
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await auditSafely(db, { ...base, ...failureOutcome(error) });
    throw error;
  }
  await auditSafely(db, { ...base, target: targetIdOf ? { ...base.target, id: targetIdOf(result) } : base.target, outcome: "ok", upstreamStatus: 200 });
  return result;
}
