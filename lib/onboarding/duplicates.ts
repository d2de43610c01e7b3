import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { contracts, customerIndex, spaceDeviceIndex, spaceIndex } from "@/lib/db/schema";
import { sameAddress } from "./address";

/** What already exists for a draft, found before anything is sent (GET /api/onboardings/:id/checks). */
export interface DuplicateReport {
  /** The customer number is known: the onboarding adds to this customer instead of making another. */
  existingCustomer: { id: string; externalId: string; name: string | null; email: string | null } | null;
  /** This contract number of this customer was already created through the dashboard. */
  existingContract: { id: string; spaceId: string | null } | null;
  /** The MeLo/MaLo is already a device's external id in these spaces. */
  meterInSpaces: { spaceId: string; spaceName: string | null; deviceId: string; deviceName: string }[];
  /** Spaces with the same address under the same parent. */
  sameAddressSpaces: { id: string; name: string }[];
}

export async function findDuplicates(
  db: Database,
  v: { customerNumber?: string; contractNumber?: string; meterId?: string; addressLineOne?: string; postcode?: string; parentSpaceId?: string },
): Promise<DuplicateReport> {
  const [customer] = v.customerNumber ? await db.select().from(customerIndex).where(eq(customerIndex.externalId, v.customerNumber)) : [];
  const [contract] =
    v.customerNumber && v.contractNumber
      ? await db.select().from(contracts).where(and(eq(contracts.customerExternalId, v.customerNumber), eq(contracts.externalId, v.contractNumber)))
      : [];
  const meterInSpaces = v.meterId
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
  return {
    existingCustomer: customer ? { id: customer.id, externalId: customer.externalId, name: customer.name, email: customer.email } : null,
    existingContract: contract ? { id: contract.id, spaceId: contract.spaceId } : null,
    meterInSpaces,
    sameAddressSpaces,
  };
}
