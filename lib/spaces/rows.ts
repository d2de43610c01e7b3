/**
 * Mapping between partner API records and space index rows. Pure, so search, refresh and the
 * dashboard's own writes fold text the same way.
 */
import type { Device, Space, User } from "@/lib/partner-api/schemas";
import type { SpaceDeviceIndexRow, SpaceIndexRow } from "@/lib/db/schema";
import { cleanRecord } from "@/lib/input/text";
import type { Breadcrumb, SpaceSummary } from "./types";

/**
 * Lowercase with umlauts spelt out, so "Lindenstrasse" finds "Lindenstraße" and trigrams of
 * "Nürnberg"/"Nuernberg" agree. Used on both the indexed text and the query.
 */
export function foldSearch(value: string): string {
  return value
    .normalize("NFC")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/\s+/g, " ")
    .trim();
}

type SpaceFields = Pick<Space, "name" | "addressLineOne" | "addressLineTwo" | "postcode" | "city">;

export function spaceSearchText(s: SpaceFields): string {
  return foldSearch([s.name, s.addressLineOne, s.addressLineTwo ?? "", s.postcode, s.city].join(" "));
}

export type SpaceRowValues = Omit<SpaceIndexRow, "placement" | "path" | "childCount" | "deviceCount" | "devicesCrawledAt" | "updatedAt">;

/** Upstream data is input too: every mapping into the index starts from a cleaned copy (lib/input/text.ts). */
export function spaceToRow(upstream: Space): SpaceRowValues {
  const space = cleanRecord(upstream).value;
  return {
    id: space.id,
    name: space.name,
    addressLineOne: space.addressLineOne,
    addressLineTwo: space.addressLineTwo ?? null,
    postcode: space.postcode,
    city: space.city,
    country: space.country ?? null,
    category: space.category,
    parentId: space.parentSpaceId || null,
    searchText: spaceSearchText(space),
    raw: space as Record<string, unknown>,
  };
}

/** The columns a SpaceSummary needs (selected by every read, never the raw JSON). */
export type SummaryRow = Pick<
  SpaceIndexRow,
  "id" | "name" | "addressLineOne" | "addressLineTwo" | "postcode" | "city" | "category" | "parentId" | "placement" | "childCount" | "deviceCount"
>;

export function toSummary(row: SummaryRow): SpaceSummary {
  return {
    id: row.id,
    name: row.name,
    addressLineOne: row.addressLineOne,
    addressLineTwo: row.addressLineTwo,
    postcode: row.postcode,
    city: row.city,
    category: row.category,
    parentId: row.parentId,
    placement: row.placement,
    childCount: row.childCount,
    deviceCount: row.deviceCount,
  };
}

export function toBreadcrumbs(path: readonly string[], known: ReadonlyMap<string, Breadcrumb>): Breadcrumb[] {
  return path.flatMap((id) => {
    const crumb = known.get(id);
    return crumb ? [crumb] : [];
  });
}

/** metaData labels under which meter serial numbers arrive (the sandbox and production use German labels). */
const SERIAL_LABEL = /^(zählernummer|seriennummer|serial ?number|meter ?number)$/i;

export type DeviceRowValues = Omit<SpaceDeviceIndexRow, "seenAt">;

/** A meter's serial number, from its metadata (the API has no field for it on Device). */
export function serialNumberOf(device: Pick<Device, "metaData">): string | null {
  return device.metaData?.find((m) => SERIAL_LABEL.test(m.label.trim()))?.value ?? null;
}

export function deviceToRow(spaceId: string, upstream: Device): DeviceRowValues {
  const device = cleanRecord(upstream).value;
  const serialNumber = serialNumberOf(device);
  const externalIds = [...new Set([device.externalDeviceId, ...(device.externalDeviceIds ?? [])].filter((v): v is string => !!v))];
  return {
    spaceId,
    deviceId: device.id,
    name: device.name,
    deviceType: device.deviceType,
    medium: device.medium,
    status: device.status,
    isMain: device.isMainDevice,
    externalIds,
    serialNumber,
    searchText: foldSearch([device.name, ...externalIds, serialNumber ?? ""].join(" ")),
    raw: device as Record<string, unknown>,
  };
}

export function userToRow(spaceId: string, upstream: User) {
  const user = cleanRecord(upstream).value;
  return { spaceId, userId: user.id, email: user.email.trim().toLowerCase(), name: user.name ?? null };
}
