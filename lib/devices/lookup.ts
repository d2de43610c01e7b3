import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { spaceDeviceIndex, spaceIndex } from "@/lib/db/schema";
import type { PartnerClient } from "@/lib/partner-api";
import { rememberDevices } from "@/lib/spaces/index-writes";
import { toBreadcrumbs } from "@/lib/spaces/rows";
import { loadBreadcrumbs } from "@/lib/spaces/tree-query";
import type { DeviceDetail } from "./types";

export class DeviceNotFoundError extends NotFoundError {
  static override readonly kind: string = "DeviceNotFoundError";
  constructor(deviceId: string) {
    super(`No space known to the dashboard holds device ${deviceId}.`);
  }
}

/**
 * The partner API has no GET /devices/{id}: a device is read through a space it is linked to.
 * The space index remembers which spaces hold which device (from every device list the
 * dashboard fetched and the background crawl), so the lookup is: index → space → live list.
 * Null when no indexed space holds the device, or upstream no longer lists it there.
 */
export async function findDevice(db: Database, client: PartnerClient, deviceId: string): Promise<DeviceDetail | null> {
  const links = await db
    .select({ spaceId: spaceDeviceIndex.spaceId })
    .from(spaceDeviceIndex)
    .where(eq(spaceDeviceIndex.deviceId, deviceId))
    .orderBy(asc(spaceDeviceIndex.seenAt));
  for (const { spaceId } of links) {
    const devices = await client.getAllDevicesInSpace(spaceId);
    await rememberDevices(db, spaceId, devices);
    const device = devices.find((d) => d.id === deviceId);
    if (!device) continue;
    const spaceIds = [spaceId, ...links.map((l) => l.spaceId).filter((id) => id !== spaceId)];
    return { device, spaceId, spaces: await describeSpaces(db, spaceIds) };
  }
  return null;
}

async function describeSpaces(db: Database, ids: string[]): Promise<DeviceDetail["spaces"]> {
  const rows = await db
    .select({ id: spaceIndex.id, name: spaceIndex.name, path: spaceIndex.path })
    .from(spaceIndex)
    .where(inArray(spaceIndex.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(
    ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      return [loadBreadcrumbs(db, row.path).then((crumbs) => ({ id, name: row.name, ancestors: toBreadcrumbs(row.path, crumbs) }))];
    }),
  );
}
