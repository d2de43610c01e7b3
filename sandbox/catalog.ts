/**
 * Static facts the sandbox answers with: labels, icons and images of device types and
 * providers, the access roles, and what each OBIS code means for derived readings.
 * German labels first (DOMAIN.md); URLs point at a fictional asset host the dashboard never loads.
 */
import type {
  AccessPermissionId,
  DeviceProvider,
  DeviceType,
  Direction,
  Medium,
  ObisCode,
  SpaceCategory,
} from "../lib/partner-api/schemas";

const ASSETS = "https://assets.sandbox.zaehlerfreunde.invalid";

/** The partner every sandbox user belongs to and the technical user owning partner-created records. */
export const PARTNER_ID = "5f1c2b8e-3a4d-4e6f-9a1b-2c3d4e5f6a7b";
export const PARTNER_OWNER_USER_ID = "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b";
export const COUNTRY = "DE";

/** The one support contact every customer is assigned (getCustomerSupportContact). The phone number is from the range reserved for fiction. */
export const SUPPORT_CONTACT = {
  id: "3b8f6d2a-1c4e-4f7a-9e5b-6d7c8a9b0c1d",
  full_name: "Julia Neumann",
  email: "kundenservice@sandbox.zaehlerfreunde.invalid",
  phone: "+49 30 23125 417",
  picture_url: `${ASSETS}/support/julia-neumann.png`,
};

export const CATEGORY_ICONS: Record<SpaceCategory, string> = {
  HOTEL: "mdi-bed",
  RESTAURANT: "mdi-silverware-fork-knife",
  HOUSEHOLD: "mdi-home",
  OFFICE: "mdi-briefcase",
  PV_SYSTEM: "mdi-solar-panel",
  COMMERCIAL: "mdi-store",
  BIOGAS: "mdi-leaf",
  RETAIL: "mdi-shopping",
  SINGLE_FAMILY_HOME: "mdi-home-variant",
  PRODUCTION: "mdi-factory",
  FLAT: "mdi-door",
  WIND_ENERGY: "mdi-wind-turbine",
  DOCTORS_OFFICE: "mdi-stethoscope",
  GROUPING: "mdi-folder-multiple",
  APARTMENT_BUILDING: "mdi-office-building",
  REGION: "mdi-map-marker-radius",
  ROOM: "mdi-floor-plan",
  LANDLORD_TO_TENANT_ELECTRICITY_PROJECT: "mdi-home-lightning-bolt",
};

interface DeviceTypeInfo {
  description: string;
  icon: string;
  /** Meters can carry a space's readings; appliances (wallbox, plug …) cannot. */
  mainAllowed: boolean;
}

export const DEVICE_TYPE_INFO: Record<DeviceType, DeviceTypeInfo> = {
  SMART_METER: { description: "Smart Meter (iMSys)", icon: "mdi-meter-electric", mainAllowed: true },
  OPTICAL_METER_SENSOR: { description: "Optischer Auslesekopf", icon: "mdi-eye-circle", mainAllowed: true },
  WALLBOX: { description: "Wallbox", icon: "mdi-ev-station", mainAllowed: false },
  SMART_PLUG: { description: "Smarte Steckdose", icon: "mdi-power-socket-de", mainAllowed: false },
  SMART_RELAY: { description: "Smartes Relais", icon: "mdi-electric-switch", mainAllowed: false },
  ENERGY_METER: { description: "Energiezähler", icon: "mdi-meter-electric-outline", mainAllowed: true },
  NON_SMART_METER: { description: "Konventioneller Zähler", icon: "mdi-counter", mainAllowed: true },
  HEAT_PUMP: { description: "Wärmepumpe", icon: "mdi-heat-pump", mainAllowed: false },
  MICRO_INVERTER: { description: "Mikrowechselrichter", icon: "mdi-solar-power", mainAllowed: false },
  VIRTUAL_METER: { description: "Virtueller Zähler", icon: "mdi-calculator", mainAllowed: true },
  GAS_METER: { description: "Gaszähler", icon: "mdi-meter-gas", mainAllowed: true },
  WATER_METER: { description: "Wasserzähler", icon: "mdi-water", mainAllowed: true },
  HEATING_METER: { description: "Wärmemengenzähler", icon: "mdi-radiator", mainAllowed: true },
  RLM_METER: { description: "RLM-Zähler", icon: "mdi-meter-electric", mainAllowed: true },
  SMART_CAR: { description: "Elektroauto", icon: "mdi-car-electric", mainAllowed: false },
  BATTERY: { description: "Batteriespeicher", icon: "mdi-battery-charging", mainAllowed: false },
};

export function deviceTypeImageUrl(type: DeviceType): string {
  return `${ASSETS}/device-types/${type.toLowerCase()}.png`;
}

/** Providers the sandbox registers devices with; the others never occur here. */
export type SandboxProvider = Extract<
  DeviceProvider,
  "EXTERNAL" | "DISCOVERGY" | "BLUEMETERING" | "EDA" | "NON_SMART_METER_PROVIDER"
>;

export const PROVIDER_INFO: Record<SandboxProvider, { name: string; description: string }> = {
  EXTERNAL: { name: "Externe Datenquelle", description: "Messwerte werden über die Partner-API übertragen." },
  DISCOVERGY: { name: "inexogy", description: "Smart Meter von inexogy (ehemals Discovergy)." },
  BLUEMETERING: { name: "BlueMetering", description: "Messwerte über die BlueMetering-Schnittstelle." },
  EDA: { name: "ESA (Energieserviceanbieter)", description: "Messwerte über den Messstellenbetreiber nach Einwilligung des Kunden." },
  NON_SMART_METER_PROVIDER: { name: "Manuelle Ablesung", description: "Konventioneller Zähler, Zählerstände werden manuell erfasst." },
};

export function providerLogoUrl(provider: SandboxProvider): string {
  return `${ASSETS}/providers/${provider.toLowerCase()}.svg`;
}

/** Fixed ids so links and tests stay valid across seeds and restarts. */
export const ACCESS_ROLES: readonly {
  id: string;
  name: string;
  description: string;
  permissionIds: AccessPermissionId[];
  isDefault: boolean;
}[] = [
  {
    id: "7c1e4a52-9d3b-4f60-8a27-5b9e0c1d2f31",
    name: "Bewohner",
    description: "Darf den Raum und alle Messdaten ansehen.",
    permissionIds: ["VIEW", "VIEW_DATA_FULL"],
    isDefault: true,
  },
  {
    id: "2b8f6d14-0e5a-4c79-b3d2-6a1f8e9c4b57",
    name: "Hausmeister",
    description: "Darf Messdaten ansehen und Geräte bearbeiten.",
    permissionIds: ["VIEW", "VIEW_DATA_FULL", "EDIT_DEVICES"],
    isDefault: false,
  },
  {
    id: "e4a9c3b7-5d21-4f8e-9c06-3b7d2a1e5f84",
    name: "Verwalter",
    description: "Verwaltet Raum, Unterräume, Nutzer, Geräte und Tarife.",
    permissionIds: [
      "VIEW",
      "VIEW_DATA_FULL",
      "ADD_USERS",
      "REMOVE_USERS",
      "INVITE_USERS_TO_CHILD_SPACE",
      "VIEW_CHILD_SPACE_DATA",
      "EDIT_LAYOUT",
      "EDIT_REPORT",
      "EDIT_TARIFFS",
      "EDIT_DEVICES",
      "EDIT_SPACE_DETAILS",
    ],
    isDefault: false,
  },
];

/** What a stored OBIS code contributes to the derived series. */
export interface ObisMeaning {
  /** Short form used for storage, so "1-1:1.8.0" and "1.8.0" are the same reading. */
  canonical: string;
  kind: "register" | "interval";
  /** Absent for the EEG/residual codes: stored, but not part of the IN/OUT series. */
  direction?: Direction;
}

export function obisMeaning(code: ObisCode): ObisMeaning {
  const canonical = code.startsWith("1-1:") ? code.slice(4) : code;
  switch (canonical) {
    case "1.8.0":
    case "6-1:1.0.0":
    case "7-1:3.1.0":
    case "8-1:1.0.0":
      return { canonical, kind: "register", direction: "IN" };
    case "2.8.0":
      return { canonical, kind: "register", direction: "OUT" };
    case "1.9.0":
    case "1.29.0":
      return { canonical, kind: "interval", direction: "IN" };
    case "2.9.0":
    case "2.29.0":
      return { canonical, kind: "interval", direction: "OUT" };
    default:
      return { canonical, kind: "interval" };
  }
}

/** Register code per medium for a manually read meter (consumption; feed-in only for electricity). */
export const CONSUMPTION_REGISTER: Record<Medium, string> = {
  ELECTRICITY: "1.8.0",
  HEATING: "6-1:1.0.0",
  GAS: "7-1:3.1.0",
  WATER: "8-1:1.0.0",
};
export const FEED_IN_REGISTER = "2.8.0";

/** Units of the derived series per medium. */
export const UNITS: Record<Medium, { energy: string; power: string }> = {
  ELECTRICITY: { energy: "kWh", power: "kW" },
  HEATING: { energy: "kWh", power: "kW" },
  GAS: { energy: "m³", power: "m³/h" },
  WATER: { energy: "m³", power: "m³/h" },
};

/** The non-smart-meter reading unit that fits each medium. */
export const READING_UNIT_FOR_MEDIUM: Record<Medium, "KILO_WATT_HOUR" | "CUBIC_METRE"> = {
  ELECTRICITY: "KILO_WATT_HOUR",
  HEATING: "KILO_WATT_HOUR",
  GAS: "CUBIC_METRE",
  WATER: "CUBIC_METRE",
};

export function seriesLabel(medium: Medium, direction: Direction): string {
  if (medium !== "ELECTRICITY") return "Verbrauch";
  return direction === "IN" ? "Bezug" : "Einspeisung";
}
