import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import { codeOf } from "@/lib/errors";
import type { PartnerClient } from "@/lib/partner-api";
import { rememberDevices, rememberUsers } from "./index-writes";
import { toBreadcrumbs, toSummary } from "./rows";
import { childrenOf, loadBreadcrumbs, summaryColumns } from "./tree-query";
import type { SpaceDetail } from "./types";

/**
 * A space page: what the index knows (row, ancestors, children) plus devices and users live from
 * the partner API, remembered into the index. If upstream fails the page still gets what we have.
 * Null for an id the index does not know.
 */
export async function getSpaceDetail(db: Database, client: PartnerClient, id: string): Promise<SpaceDetail | null> {
  const [row] = await db
    .select({ ...summaryColumns, path: spaceIndex.path, country: spaceIndex.country, raw: spaceIndex.raw })
    .from(spaceIndex)
    .where(eq(spaceIndex.id, id));
  if (!row) return null;

  const live = Promise.all([client.getAllDevicesInSpace(id), client.getAllUsersInSpace(id)]);
  live.catch(() => undefined); // awaited below, after the index reads; not an unhandled rejection meanwhile
  const [crumbs, children, [impact]] = await Promise.all([
    loadBreadcrumbs(db, row.path),
    childrenOf(db, id),
    db.execute<{ descendants: number; devices: number }>(sql`
      select count(*)::int as descendants, coalesce(sum(device_count), 0)::int as devices
      from space_index where path @> array[${id}]::text[]`).then((r) => r.rows),
  ]);

  let devices: SpaceDetail["devices"] = null;
  let users: SpaceDetail["users"] = null;
  let upstreamError: string | null = null;
  try {
    [devices, users] = await live;
    await rememberDevices(db, id, devices);
    await rememberUsers(db, id, users);
  } catch (error) {
    // A code the page translates; the cause goes to the log, never to the page.
    console.error(`Live data of space ${id} unavailable`, error);
    upstreamError = codeOf(error);
  }

  const ownDevices = devices?.length ?? row.deviceCount ?? 0;
  return {
    space: {
      ...toSummary({ ...row, deviceCount: devices ? devices.length : row.deviceCount }),
      country: row.country,
      isParticipatingInLttProject: row.raw.isParticipatingInLttProject === true,
    },
    ancestors: toBreadcrumbs(row.path, crumbs),
    children,
    devices,
    users,
    upstreamError,
    // DELETE /spaces/{id} cascades to the space's devices (partner-api README, point 8).
    impact: { descendantSpaces: Number(impact?.descendants ?? 0), devices: ownDevices + Number(impact?.devices ?? 0) },
  };
}
