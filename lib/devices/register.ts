import "server-only";
import { auditedCall, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { withIdempotency } from "@/lib/idempotency";
import type { PartnerClient } from "@/lib/partner-api";
import { rememberDevices } from "@/lib/spaces/index-writes";
import type { Registration } from "./schemas";

/**
 * Registers a device in a space once per idempotency key (a retry after an upstream failure
 * reuses the key and still makes one device), audits it, and puts it in the space index at once
 * so its MeLo, MaLo and serial number are searchable.
 */
export async function registerDevice(db: Database, client: PartnerClient, actor: AuditActor, spaceId: string, registration: Registration, key: string): Promise<{ deviceId: string }> {
  const { result } = await withIdempotency(db, { scope: `device.register:${spaceId}`, key, actorId: actor.id, request: registration }, async () => {
    const { deviceId } = await auditedCall(
      db,
      {
        actor,
        action: "device.register",
        target: { type: "device", id: "new" },
        targetIdOf: (r: { deviceId: string }) => r.deviceId,
        summary: `Registered "${registration.body.deviceName}" (${registration.kind})`,
        // The declaration of consent is a personal document: never in the log (redactSecrets drops it too).
        details: { spaceId, kind: registration.kind, deviceName: registration.body.deviceName, deviceType: registration.body.deviceType, medium: registration.body.deviceMedium },
      },
      () => call(client, spaceId, registration),
    );
    return { deviceId };
  });
  await rememberDevices(db, spaceId, await client.getAllDevicesInSpace(spaceId)).catch((error: unknown) => console.error("Space index not updated after a registration", error));
  return result;
}

function call(client: PartnerClient, spaceId: string, r: Registration): Promise<{ deviceId: string }> {
  switch (r.kind) {
    case "external":
      return client.registerExternalDevice(spaceId, r.body);
    case "inexogy":
      return client.registerInexogyDevice(spaceId, r.body);
    case "bluemetering":
      return client.registerBluemeteringDevice(spaceId, r.body);
    case "esa":
      return client.registerEsaDevice(spaceId, r.body);
    case "nonSmart":
      return client.registerNonSmartMeter(spaceId, r.body);
  }
}
