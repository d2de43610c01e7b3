import "server-only";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { toEntry } from "@/lib/audit/query";
import type { AuditLogPage } from "@/lib/audit/types";

export const ACTIVITY_PAGE_SIZE = 50;

/**
 * What happened to one space, newest first: audit rows whose target is the space, and rows of
 * writes about things in it (devices, readings, invites, users), which carry `details.spaceId`.
 * Keyset pagination by audit id.
 */
export async function listSpaceActivity(db: Database, spaceId: string, before?: number): Promise<AuditLogPage> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        or(and(eq(auditLog.targetType, "space"), eq(auditLog.targetId, spaceId)), sql`${auditLog.details} ->> 'spaceId' = ${spaceId}`),
        before === undefined ? undefined : lt(auditLog.id, before),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(ACTIVITY_PAGE_SIZE + 1);
  const entries = rows.slice(0, ACTIVITY_PAGE_SIZE).map(toEntry);
  return { entries, nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? entries.at(-1)!.id : null };
}
