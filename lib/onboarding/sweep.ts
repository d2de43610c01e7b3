import "server-only";
import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import { auditedCall } from "@/lib/audit";
import { withAdvisoryLock, type Database } from "@/lib/db";
import { contracts } from "@/lib/db/schema";
import type { PartnerClient } from "@/lib/partner-api";

/** Advisory lock of the sweep, the same for every instance (7_246_001 migrations, 7_246_002 index refresh). */
const SWEEP_LOCK_ID = 7_246_003;

/**
 * Tenant changes with "users leave at the move-out date": once that date has come, the old
 * contract space's users are removed, once. Each row is claimed in one guarded update, so two
 * instances (or two sweeps) never remove twice; a failure gives the claim back for the next sweep.
 */
export async function removeDueUsers(db: Database, client: PartnerClient, now = new Date()): Promise<number> {
  const locked = await withAdvisoryLock(db, SWEEP_LOCK_ID, async () => {
    const due = await db
      .select()
      .from(contracts)
      .where(and(isNotNull(contracts.usersRemoveAt), lte(contracts.usersRemoveAt, now), isNull(contracts.usersRemovedAt), isNotNull(contracts.spaceId)));
    let removed = 0;
    for (const contract of due) {
      const [claimed] = await db
        .update(contracts)
        .set({ usersRemovedAt: now })
        .where(and(eq(contracts.id, contract.id), isNull(contracts.usersRemovedAt)))
        .returning({ id: contracts.id });
      if (!claimed) continue;
      try {
        await auditedCall(
          db,
          { actor: null, action: "user.removeAll", target: { type: "space", id: contract.spaceId! }, summary: "Removed the previous tenant's users at the move-out date", details: { spaceId: contract.spaceId, contractId: contract.id } },
          () => client.removeAllUsersFromSpace(contract.spaceId!),
        );
        removed++;
      } catch (error) {
        console.error(`Users of space ${contract.spaceId} not removed yet; the next sweep tries again`, error);
        await db.update(contracts).set({ usersRemovedAt: null }).where(eq(contracts.id, contract.id));
      }
    }
    return removed;
  });
  return locked.acquired ? locked.result : 0;
}
