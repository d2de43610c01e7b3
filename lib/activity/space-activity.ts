import "server-only";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { displayableDetails } from "@/lib/audit/query";
import type { ActivityEntry, ActivityPage } from "./types";

export const ACTIVITY_PAGE_SIZE = 50;

/**
 * What happened to one space, newest first: audit rows whose target is the space, and rows of
 * writes about things in it (devices, readings, invites, users), which carry `details.spaceId`.
 * Keyset pagination by audit id.
 */
export async function listSpaceActivity(db: Database, spaceId: string, before?: number): Promise<ActivityPage> {
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
  const entries: ActivityEntry[] = rows.slice(0, ACTIVITY_PAGE_SIZE).map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorEmail,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details ? displayableDetails(r.details) : null,
    outcome: r.outcome,
    errorMessage: r.errorMessage,
  }));
  return { entries, nextBefore: rows.length > ACTIVITY_PAGE_SIZE ? entries.at(-1)!.id : null };
}
