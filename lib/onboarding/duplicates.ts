import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { contracts, customerIndex, spaceDeviceIndex, spaceIndex } from "@/lib/db/schema";
import { sameAddress } from "./address";
import type { DuplicateReport } from "./duplicates-types";

export type { DuplicateReport } from "./duplicates-types";

export async function findDuplicates(
  db: Database,
  v: { customerNumber?: string; contractNumber?: string; meterId?: string; addressLineOne?: string; postcode?: string; parentSpaceId?: string },
): Promise<DuplicateReport> {
  const [customer] = v.customerNumber ? await db.select().from(customerIndex).where(eq(customerIndex.externalId, v.customerNumber)) : [];
  const [contract] =
    v.customerNumber && v.contractNumber
      ? await db.select().from(contracts).where(and(eq(contracts.customerExternalId, v.customerNumber), eq(contracts.externalId, v.contractNumber)))
      : [];
  let meterInSpaces = v.meterId
    ? await db
        .select({ spaceId: spaceDeviceIndex.spaceId, spaceName: spaceIndex.name, deviceId: spaceDeviceIndex.deviceId, deviceName: spaceDeviceIndex.name })
        .from(spaceDeviceIndex)
        .leftJoin(spaceIndex, eq(spaceIndex.id, spaceDeviceIndex.spaceId))
        .where(sql`${spaceDeviceIndex.externalIds} @> array[${v.meterId.toUpperCase()}]::text[]`)
    : [];
  let sameAddressSpaces: DuplicateReport["sameAddressSpaces"] = [];
  if (v.addressLineOne && v.postcode) {
    const candidates = await db
      .select({ id: spaceIndex.id, name: spaceIndex.name, addressLineOne: spaceIndex.addressLineOne, postcode: spaceIndex.postcode })
      .from(spaceIndex)
      .where(and(v.parentSpaceId ? eq(spaceIndex.parentId, v.parentSpaceId) : isNull(spaceIndex.parentId), eq(sql`replace(${spaceIndex.postcode}, ' ', '')`, v.postcode.replace(/\s/g, ""))));
    sameAddressSpaces = candidates.filter((c) => sameAddress(c, { addressLineOne: v.addressLineOne!, postcode: v.postcode! })).map(({ id, name }) => ({ id, name }));
  }
  // Repeating an onboarding of the same contract: its own space and meter are no duplicates.
  const own = contract?.spaceId ?? null;
  if (own) {
    meterInSpaces = meterInSpaces.filter((m) => m.spaceId !== own);
    sameAddressSpaces = sameAddressSpaces.filter((s) => s.id !== own);
  }
  return {
    existingCustomer: customer ? { id: customer.id, externalId: customer.externalId, name: customer.name, email: customer.email } : null,
    existingContract: contract ? { id: contract.id, spaceId: contract.spaceId } : null,
    meterInSpaces,
    sameAddressSpaces,
  };
}
