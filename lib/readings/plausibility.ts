import { obisInfo } from "./obis";

/**
 * Plausibility of manually entered readings (DOMAIN.md, "Plausibility"; our choice, kept here).
 * Errors stop a row; warnings need the person's confirmation.
 */

/** Daily consumption above this is "implausible, please confirm", for a household-type space. */
export const DAILY_LIMIT: Record<string, { KILO_WATT_HOUR?: number; CUBIC_METRE?: number }> = {
  ELECTRICITY: { KILO_WATT_HOUR: 100 },
  GAS: { KILO_WATT_HOUR: 300, CUBIC_METRE: 30 },
  WATER: { CUBIC_METRE: 5 },
  HEATING: { KILO_WATT_HOUR: 300 },
};
export const HOUSEHOLD_CATEGORIES = ["FLAT", "SINGLE_FAMILY_HOME", "HOUSEHOLD", "ROOM"];
/** Other categories (offices, production, PV …) get this many times the household limit. */
export const NON_HOUSEHOLD_FACTOR = 10;
/** A reading may be this far in the future (clock skew) before it is refused. */
export const FUTURE_TOLERANCE_SECONDS = 120;

export interface ReadingToCheck {
  obisCode: string;
  /** Epoch seconds. */
  timestamp: number;
  value: number;
}

export interface PlausibilityContext {
  medium: string;
  spaceCategory: string | null;
  /** Latest known register value per OBIS code (from the API or earlier rows). */
  latest: Record<string, { timestamp: number; value: number } | undefined>;
  /** Epoch seconds of the device's first reading, if any. */
  firstReadingTime: number | null;
  now: number;
}

export type Finding =
  | { code: "future"; severity: "error" }
  | { code: "negative"; severity: "error" }
  | { code: "backwards"; severity: "warning"; previous: number }
  | { code: "jump"; severity: "warning"; perDay: number; limit: number }
  | { code: "beforeFirst"; severity: "warning"; firstReadingTime: number };

/** Findings per row, in order. Rows are compared with each other too (sorted by time per code). */
export function checkReadings(rows: readonly ReadingToCheck[], context: PlausibilityContext): Finding[][] {
  const findings: Finding[][] = rows.map(() => []);
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].timestamp - rows[b].timestamp);
  const latest = { ...context.latest };
  for (const i of order) {
    const row = rows[i];
    const meaning = obisInfo(row.obisCode);
    const out = findings[i];
    if (row.timestamp > context.now + FUTURE_TOLERANCE_SECONDS) out.push({ code: "future", severity: "error" });
    if (row.value < 0) out.push({ code: "negative", severity: "error" });
    if (context.firstReadingTime !== null && row.timestamp < context.firstReadingTime) {
      out.push({ code: "beforeFirst", severity: "warning", firstReadingTime: context.firstReadingTime });
    }
    if (meaning?.kind !== "register") continue;
    const previous = latest[row.obisCode];
    if (previous && row.timestamp > previous.timestamp) {
      if (row.value < previous.value) {
        out.push({ code: "backwards", severity: "warning", previous: previous.value });
      } else {
        const days = Math.max((row.timestamp - previous.timestamp) / 86_400, 1 / 24);
        const perDay = (row.value - previous.value) / days;
        const limit = dailyLimit(context.medium, meaning.unit, context.spaceCategory);
        if (limit !== null && perDay > limit) out.push({ code: "jump", severity: "warning", perDay: Math.round(perDay * 10) / 10, limit });
      }
    }
    if (!previous || row.timestamp >= previous.timestamp) latest[row.obisCode] = { timestamp: row.timestamp, value: row.value };
  }
  return findings;
}

export function dailyLimit(medium: string, unit: string, category: string | null): number | null {
  const base = DAILY_LIMIT[medium]?.[unit as "KILO_WATT_HOUR" | "CUBIC_METRE"];
  if (base === undefined) return null;
  return category && HOUSEHOLD_CATEGORIES.includes(category) ? base : base * NON_HOUSEHOLD_FACTOR;
}
