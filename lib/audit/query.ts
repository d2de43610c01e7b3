import "server-only";
import { and, desc, eq, gte, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { auditLog, type AuditLogRow } from "@/lib/db/schema";
import { TIME_ZONE } from "@/lib/i18n/config";
import { redactSecrets } from "./index";
import type { AuditFilter } from "./schemas";
import type { AuditLogEntry, AuditLogPage } from "./types";

export const AUDIT_PAGE_SIZE = 50;

/** The SQL conditions of a filter; `before` is the keyset cursor (rows with a smaller id). */
export function auditConditions(filter: AuditFilter, before?: number): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.actor === "system") conditions.push(isNull(auditLog.actorEmail));
  else if (filter.actor) conditions.push(or(eq(auditLog.actorEmail, filter.actor), and(isNull(auditLog.actorEmail), eq(auditLog.targetId, filter.actor))));
  if (filter.action?.includes(".")) conditions.push(eq(auditLog.action, filter.action));
  else if (filter.action) conditions.push(like(auditLog.action, `${filter.action}.%`));
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.outcome) conditions.push(eq(auditLog.outcome, filter.outcome));
  // Calendar days in Berlin, both included, whatever the server's own time zone.
  if (filter.from) conditions.push(gte(auditLog.at, sql`(${filter.from}::date)::timestamp at time zone ${TIME_ZONE}`));
  if (filter.to) conditions.push(lt(auditLog.at, sql`(${filter.to}::date + 1)::timestamp at time zone ${TIME_ZONE}`));
  if (before !== undefined) conditions.push(lt(auditLog.id, before));
  return and(...conditions);
}

/** One page of the filtered log, newest first (keyset paging by id, so page 2,000 costs what page 1 does). */
export async function listAuditLog(db: Database, filter: AuditFilter, before?: number): Promise<AuditLogPage> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(auditConditions(filter, before))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1);
  const entries = rows.slice(0, AUDIT_PAGE_SIZE).map(toEntry);
  return { entries, nextBefore: rows.length > AUDIT_PAGE_SIZE ? entries.at(-1)!.id : null };
}

/** Rows of the filtered log in batches, newest first, for the export: never more than one batch in memory. */
export async function* auditBatches(db: Database, filter: AuditFilter, batchSize = 1_000): AsyncGenerator<AuditLogEntry[]> {
  let before: number | undefined;
  for (;;) {
    const rows = await db.select().from(auditLog).where(auditConditions(filter, before)).orderBy(desc(auditLog.id)).limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    if (rows.length < batchSize) return;
    before = rows.at(-1)!.id;
  }
}

export function toEntry(row: AuditLogRow): AuditLogEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actorEmail,
    actorRole: row.actorRole,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details ? displayableDetails(row.details) : null,
    outcome: row.outcome,
    upstreamStatus: row.upstreamStatus,
    errorMessage: row.errorMessage,
  };
}

const LINK = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/**
 * Details as managers may read them: secret-named keys were dropped when the row was written;
 * rows older than that rule, and any value that carries a link (an invite link grants access to
 * whoever holds it), are cleaned again here.
 */
export function displayableDetails(details: Record<string, unknown>): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(LINK, "[link]");
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]));
    return value;
  };
  return strip(redactSecrets(details)) as Record<string, unknown>;
}
