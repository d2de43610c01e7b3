/**
 * Which device types fit which medium (DOMAIN.md, "Labels": our choice). The one table the
 * wizard's type list, the form schema and the server's validation read.
 */
import { DEVICE_TYPES, MEDIA, type DeviceType, type Medium } from "@/lib/partner-api/schemas";

const NOT_ELECTRICITY: readonly DeviceType[] = ["GAS_METER", "WATER_METER", "HEATING_METER"];

export const DEVICE_TYPES_BY_MEDIUM: Record<Medium, readonly DeviceType[]> = {
  ELECTRICITY: DEVICE_TYPES.filter((t) => !NOT_ELECTRICITY.includes(t)),
  GAS: ["GAS_METER", "NON_SMART_METER", "OPTICAL_METER_SENSOR"],
  WATER: ["WATER_METER", "NON_SMART_METER", "OPTICAL_METER_SENSOR"],
  HEATING: ["HEATING_METER", "NON_SMART_METER", "OPTICAL_METER_SENSOR"],
};

export function deviceTypesFor(medium: Medium): readonly DeviceType[] {
  return DEVICE_TYPES_BY_MEDIUM[medium];
}

export function fitsMedium(medium: Medium, type: DeviceType): boolean {
  return DEVICE_TYPES_BY_MEDIUM[medium].includes(type);
}

/** Types the partner API refuses as a space's main device (sandbox/catalog.ts `mainAllowed`). */
export const MAIN_NOT_ALLOWED: readonly DeviceType[] = ["WALLBOX", "SMART_PLUG", "SMART_RELAY", "HEAT_PUMP", "MICRO_INVERTER", "SMART_CAR", "BATTERY"];

export function mayBeMain(type: DeviceType): boolean {
  return !MAIN_NOT_ALLOWED.includes(type);
}

/** The unit a first reading of a non-smart meter is entered in, per medium. */
export const READING_UNIT_BY_MEDIUM = {
  ELECTRICITY: "KILO_WATT_HOUR",
  HEATING: "KILO_WATT_HOUR",
  GAS: "CUBIC_METRE",
  WATER: "CUBIC_METRE",
} as const satisfies Record<Medium, string>;

export { MEDIA };
