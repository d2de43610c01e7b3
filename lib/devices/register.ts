import "server-only";
import type { AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idempotentWrite } from "@/lib/idempotency";
import type { Device, PartnerClient } from "@/lib/partner-api";
import { rememberDevices } from "@/lib/spaces/index-writes";
import { serialNumberOf } from "@/lib/spaces/rows";
import type { Registration } from "./schemas";

/** 409: the space already has a device with one of this registration's identifiers. */
export class DeviceExistsError extends AppError {
  static override readonly kind: string = "DeviceExistsError";
  constructor(deviceId: string, identifier: string) {
    super(409, "device_exists", `The space already has a device with ${identifier}.`, { deviceId, identifier });
  }
}

/**
 * Registers a device in a space once per idempotency key, audits it, and puts it in the space
 * index at once so its MeLo, MaLo and serial number are searchable.
 *
 * The space's device list is read first: a device with the same MeLo, MaLo, external id or serial
 * number is refused (409 device_exists) instead of being registered twice, and the list's ids
 * are the snapshot that tells, after a lost answer, which device this registration created.
 */
export async function registerDevice(db: Database, client: PartnerClient, actor: AuditActor, spaceId: string, registration: Registration, key: string): Promise<{ deviceId: string }> {
  const identifiers = identifiersOfRegistration(registration);
  return idempotentWrite(db, {
    idempotency: { scope: `device.register:${spaceId}`, key, actorId: actor.id, request: registration },
    audit: {
      actor,
      action: "device.register",
      target: { type: "device", id: "new" },
      summary: `Registered "${registration.body.deviceName}" (${registration.kind})`,
      // The declaration of consent is a personal document: never in the log (redactSecrets drops it too).
      details: { spaceId, kind: registration.kind, deviceName: registration.body.deviceName, deviceType: registration.body.deviceType, medium: registration.body.deviceMedium },
    },
    targetIdOf: (r) => r.deviceId,
    snapshot: async () => {
      const devices = await client.getAllDevicesInSpace(spaceId);
      for (const device of devices) {
        const shared = identifiersOfDevice(device).find((id) => identifiers.includes(id));
        if (shared) throw new DeviceExistsError(device.id, shared);
      }
      return devices.map((d) => d.id);
    },
    send: () => call(client, spaceId, registration),
    reconcile: async (before) => {
      const known = new Set(Array.isArray(before) ? (before as string[]) : []);
      const devices = await client.getAllDevicesInSpace(spaceId);
      const created = devices.find(
        (d) =>
          !known.has(d.id) &&
          d.name === registration.body.deviceName &&
          (identifiers.length === 0 || identifiersOfDevice(d).some((id) => identifiers.includes(id))),
      );
      return created ? { deviceId: created.id } : null;
    },
    upkeep: async () => rememberDevices(db, spaceId, await client.getAllDevicesInSpace(spaceId)),
  });
}

/** MeLo, MaLo, external id and serial numbers a registration gives the device, normalised. */
export function identifiersOfRegistration(r: Registration): string[] {
  const body = r.body as Record<string, unknown>;
  const values = ["externalDeviceId", "meteringLocationId", "melo", "malo", "serialNumber", "meterNumber"].map((field) => body[field]);
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v.trim() !== "").map(normalise))];
}

export function identifiersOfDevice(d: Pick<Device, "externalDeviceId" | "externalDeviceIds" | "metaData">): string[] {
  const serial = serialNumberOf(d);
  return [...new Set([d.externalDeviceId, ...(d.externalDeviceIds ?? []), serial].filter((v): v is string => !!v && v.trim() !== "").map(normalise))];
}

const normalise = (value: string) => value.replace(/\s+/g, "").toUpperCase();

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
