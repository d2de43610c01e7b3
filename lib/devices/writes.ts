import "server-only";
import { eq } from "drizzle-orm";
import { auditedCall, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { spaceDeviceIndex } from "@/lib/db/schema";
import type { PartnerClient } from "@/lib/partner-api";
import { keepIndex, rememberDevices } from "@/lib/spaces/index-writes";
import type { EditDeviceInput } from "./schemas";

/** After a change, the space's devices as upstream has them now, so tree counts and search agree at once. */
async function refreshSpaceDevices(db: Database, client: PartnerClient, spaceId: string) {
  await keepIndex("a device change", async () => rememberDevices(db, spaceId, await client.getAllDevicesInSpace(spaceId)));
}

export async function editDevice(db: Database, client: PartnerClient, actor: AuditActor, deviceId: string, input: EditDeviceInput) {
  const { spaceId, ...details } = input;
  await auditedCall(
    db,
    { actor, action: "device.update", target: { type: "device", id: deviceId }, summary: `Edited device details`, details: { spaceId, ...details } },
    () => client.updateDeviceDetails(spaceId, deviceId, details),
  );
  await refreshSpaceDevices(db, client, spaceId);
}

export async function linkDevice(db: Database, client: PartnerClient, actor: AuditActor, deviceId: string, spaceId: string, link: { isMainDevice?: boolean; excludedFromCost?: boolean }) {
  await auditedCall(
    db,
    { actor, action: "device.link", target: { type: "device", id: deviceId }, summary: `Linked the device to a space`, details: { spaceId, ...link } },
    () => client.addDeviceToSpace(spaceId, deviceId, link),
  );
  await refreshSpaceDevices(db, client, spaceId);
}

export async function unlinkDevice(db: Database, client: PartnerClient, actor: AuditActor, deviceId: string, spaceId: string) {
  await auditedCall(
    db,
    { actor, action: "device.unlink", target: { type: "device", id: deviceId }, summary: `Unlinked the device from a space`, details: { spaceId } },
    () => client.removeDeviceFromSpace(spaceId, deviceId),
  );
  await refreshSpaceDevices(db, client, spaceId);
}

/** Deletes the device upstream (its readings go with it) and from every space in the index. */
export async function deleteDevice(db: Database, client: PartnerClient, actor: AuditActor, deviceId: string, spaceIds: readonly string[]) {
  await auditedCall(
    db,
    { actor, action: "device.delete", target: { type: "device", id: deviceId }, summary: `Deleted the device`, details: { spaceId: spaceIds[0], spaceIds } },
    () => client.deleteDevice(deviceId),
  );
  await keepIndex("a device delete", () => db.delete(spaceDeviceIndex).where(eq(spaceDeviceIndex.deviceId, deviceId)));
  for (const spaceId of spaceIds) await refreshSpaceDevices(db, client, spaceId);
}
