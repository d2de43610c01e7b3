import "server-only";
import { eq } from "drizzle-orm";
import { auditedCall, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import type { DeviceDetail } from "@/lib/devices/types";
import { AppError, ValidationError } from "@/lib/errors";
import type { DeviceReading, PartnerClient } from "@/lib/partner-api";
import { serialNumberOf } from "@/lib/spaces/rows";
import { obisFor, obisInfo } from "./obis";
import { checkReadings, type Finding } from "./plausibility";
import type { z } from "zod";
import type { SubmitReadingsInput } from "./validation";

/** Warnings the person has not confirmed yet: the handler answers 409 with them. */
export class NeedsConfirmationError extends AppError {
  static override readonly kind: string = "NeedsConfirmationError";
  constructor(readonly findings: Finding[][]) {
    super(409, "needs_confirmation", "Some readings look implausible. Check them and confirm to store them anyway.", { findings });
  }
}

/** The entered field each refusing finding is about. */
const ERROR_FIELD: Record<Extract<Finding, { severity: "error" }>["code"], "timestamp" | "value"> = { future: "timestamp", negative: "value" };

/** How far back the latest register value is looked for. */
const LATEST_LOOKBACK_DAYS = 400;

/** The latest known value of each register the device's medium has, from the API's daily meter readings. */
export async function latestRegisters(client: PartnerClient, deviceId: string, medium: string, now = Date.now()) {
  const points: DeviceReading[] = await client.getReadingsByDevice(deviceId, {
    measurement: "METER_READING",
    resolution: "1_DAY",
    startTime: new Date(now - LATEST_LOOKBACK_DAYS * 86_400_000).toISOString(),
    endTime: new Date(now + 86_400_000).toISOString(),
  });
  const latest: Record<string, { timestamp: number; value: number }> = {};
  for (const register of obisFor(medium).filter((o) => o.kind === "register")) {
    const last = points.filter((p) => p.direction === register.direction).at(-1);
    if (last) latest[register.code] = { timestamp: Math.floor(Date.parse(last.timeStamp) / 1000), value: last.value };
  }
  return latest;
}

/**
 * Stores manually entered readings: refuses errors (future, negative) at the row, asks for
 * confirmation of warnings unless `confirmed`, then one storeReadings call, audited.
 */
export async function storeManualReadings(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  detail: DeviceDetail,
  input: z.output<typeof SubmitReadingsInput>,
): Promise<{ stored: number }> {
  const { device, spaceId } = detail;
  const [space] = await db.select({ category: spaceIndex.category }).from(spaceIndex).where(eq(spaceIndex.id, spaceId));
  const findings = checkReadings(input.readings, {
    medium: device.medium,
    spaceCategory: space?.category ?? null,
    latest: await latestRegisters(client, device.id, device.medium),
    firstReadingTime: device.firstReadingTime ? Math.floor(Date.parse(device.firstReadingTime) / 1000) : null,
    now: Math.floor(Date.now() / 1000),
  });
  // Each error at the field it is about: a negative value at the value, a future time at the time.
  const errors: Record<string, string[]> = {};
  findings.forEach((f, i) => {
    for (const x of f) if (x.severity === "error") (errors[`readings.${i}.${ERROR_FIELD[x.code]}`] ??= []).push(x.code);
  });
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, "Some readings cannot be stored.");
  if (!input.confirmed && findings.some((f) => f.some((x) => x.severity === "warning"))) throw new NeedsConfirmationError(findings);
  const mediumCodes = new Set(obisFor(device.medium).map((o) => o.code));
  const foreign = input.readings.findIndex((r) => !mediumCodes.has(r.obisCode));
  if (foreign >= 0) throw new ValidationError({ [`readings.${foreign}.obisCode`]: ["medium"] }, "This OBIS code does not fit the device's medium.");

  if (input.correction) return correctNonSmartReadings(db, client, actor, detail, input);

  await auditedCall(
    db,
    {
      actor,
      action: "readings.store",
      target: { type: "device", id: device.id },
      summary: `Stored ${input.readings.length} reading(s) for ${device.name}`,
      details: { spaceId, count: input.readings.length, codes: [...new Set(input.readings.map((r) => r.obisCode))], confirmed: input.confirmed },
    },
    () => client.storeReadings([{ deviceId: device.id, readings: input.readings }]),
  );
  return { stored: input.readings.length };
}


/** A device read by hand: its readings are corrected through registerNonSmartMeter. */
export function isNonSmart(device: DeviceDetail["device"]): boolean {
  return device.deviceType === "NON_SMART_METER" || device.provider === "NON_SMART_METER_PROVIDER";
}

/**
 * Corrects readings of a non-smart meter: each row is sent as registerNonSmartMeter with
 * isReadingUpdate, which overwrites the reading at that time on the space's existing meter
 * (matched upstream by serial number, else by name). Only consumption registers can be corrected
 * this way: the operation requires the consumption value.
 */
async function correctNonSmartReadings(db: Database, client: PartnerClient, actor: AuditActor, detail: DeviceDetail, input: z.output<typeof SubmitReadingsInput>) {
  const { device, spaceId } = detail;
  if (!isNonSmart(device)) throw new ValidationError({ correction: ["nonSmartOnly"] }, "Only readings of a non-smart meter can be corrected this way.");
  const wrong = input.readings.findIndex((r) => obisInfo(r.obisCode)?.kind !== "register" || obisInfo(r.obisCode)?.direction !== "IN");
  if (wrong >= 0) throw new ValidationError({ [`readings.${wrong}.obisCode`]: ["correctionRegister"] }, "Only consumption registers can be corrected.");
  const serialNumber = serialNumberOf(device);
  for (const reading of input.readings) {
    await auditedCall(
      db,
      {
        actor,
        action: "readings.correct",
        target: { type: "device", id: device.id },
        summary: `Corrected the reading of ${device.name}`,
        details: { spaceId, obisCode: reading.obisCode, timestamp: reading.timestamp },
      },
      () =>
        client.registerNonSmartMeter(spaceId, {
          deviceName: device.name,
          deviceMedium: device.medium as "ELECTRICITY",
          deviceType: "NON_SMART_METER",
          isMainDevice: device.isMainDevice,
          readingMeasurementTime: reading.timestamp,
          readingUnit: obisInfo(reading.obisCode)!.unit,
          consumptionReadingValue: reading.value,
          isReadingUpdate: true,
          ...(serialNumber ? { serialNumber } : {}),
        }),
    );
  }
  return { stored: input.readings.length };
}
