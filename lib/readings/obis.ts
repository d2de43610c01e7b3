import { OBIS_CODES, type Direction, type Medium, type ObisCode, type ReadingUnit } from "@/lib/partner-api/schemas";

/** What an OBIS code means (DOMAIN.md, "OBIS codes"): the one table entry form and checks read. */
export interface ObisInfo {
  code: ObisCode;
  medium: Medium;
  de: string;
  en: string;
  unit: ReadingUnit;
  /** A register counts up and never goes down; an interval amount is never negative. */
  kind: "register" | "interval";
  direction: Direction;
}

const info = (code: ObisCode, de: string, en: string, kind: ObisInfo["kind"], direction: Direction, unit: ReadingUnit = "KILO_WATT_HOUR"): ObisInfo => ({
  code,
  medium: OBIS_CODES[code],
  de,
  en,
  unit,
  kind,
  direction,
});

/** The codes offered for entry, short form where the spec has one (the long forms mean the same). */
export const OBIS_INFO: readonly ObisInfo[] = [
  info("1.8.0", "Zählerstand Bezug", "Meter reading, import", "register", "IN"),
  info("2.8.0", "Zählerstand Einspeisung", "Meter reading, export (feed-in)", "register", "OUT"),
  info("1.9.0", "Energiemenge Bezug", "Energy imported in the interval", "interval", "IN"),
  info("2.9.0", "Energiemenge Einspeisung", "Energy exported in the interval", "interval", "OUT"),
  info("1.29.0", "Lastprofil Bezug", "Load profile, import", "interval", "IN"),
  info("2.29.0", "Lastprofil Einspeisung", "Load profile, export", "interval", "OUT"),
  info("2.9.0 G.03", "Eigenverbrauch in EEG", "Self-consumption (EEG)", "interval", "OUT"),
  info("1.9.0 P.01", "Restnetzbezug", "Residual grid import", "interval", "IN"),
  info("2.9.0 P.01", "Restüberschuss", "Residual surplus", "interval", "OUT"),
  info("6-1:1.0.0", "Wärmeenergie (Zählerstand)", "Heat energy (meter reading)", "register", "IN"),
  info("7-1:3.1.0", "Gasvolumen (Zählerstand)", "Gas volume (meter reading)", "register", "IN", "CUBIC_METRE"),
  info("8-1:1.0.0", "Wasservolumen (Zählerstand)", "Water volume (meter reading)", "register", "IN", "CUBIC_METRE"),
];

export function obisFor(medium: string): readonly ObisInfo[] {
  return OBIS_INFO.filter((o) => o.medium === medium);
}

export function obisInfo(code: string): ObisInfo | undefined {
  return OBIS_INFO.find((o) => o.code === code);
}

/** "kWh" / "m³" for a reading unit as people write it. */
export const UNIT_SYMBOL: Partial<Record<ReadingUnit, string>> = {
  KILO_WATT_HOUR: "kWh",
  CUBIC_METRE: "m³",
  WATT: "W",
  KILO_WATT: "kW",
};
