/**
 * Readings are stored raw (OBIS-coded) and served derived (partner-api README, point 9).
 *
 * - A register value at `ts` is the meter's count at that instant. METER_READING of a bucket
 *   is the last register value inside [start, start + size). ENERGY of a bucket is the register's
 *   increase over (start, start + size], so a reading exactly at the boundary closes the bucket
 *   before it and a gap's consumption lands in the bucket where readings resume (sums stay exact).
 * - An interval value at `ts` is the amount of [ts, ts + interval): ENERGY sums them per bucket.
 * - POWER is a bucket's ENERGY divided by its length in hours.
 */
import { obisMeaning, type ObisMeaning } from "./catalog";
import type { Direction, Measurement, ObisCode, Resolution } from "../lib/partner-api/schemas";

export const BUCKET_SECONDS: Record<Resolution, number> = { "15_MIN": 900, "1_HOUR": 3600, "1_DAY": 86_400 };

export interface RawReading {
  obis: string;
  ts: number;
  value: number;
}

export interface DerivedPoint {
  bucketStart: number;
  direction: Direction;
  value: number;
}

export interface Window {
  /** First bucket start and the end of the last bucket, in epoch seconds, aligned in UTC. */
  from: number;
  to: number;
  size: number;
}

/** Buckets cover [startTime, endTime): the bucket containing startTime up to the one before endTime. */
export function bucketWindow(startMs: number, endMs: number, resolution: Resolution): Window {
  const size = BUCKET_SECONDS[resolution];
  const from = Math.floor(startMs / 1000 / size) * size;
  const to = Math.ceil(endMs / 1000 / size) * size;
  return { from, to, size };
}

type Source = { meaning: ObisMeaning; points: RawReading[] };

/**
 * `window` points must include, per register code, the last reading before `from` (the
 * baseline for the first bucket's ENERGY). `factor` is the device's conversion factor.
 */
export function derive(raw: RawReading[], window: Window, measurement: Measurement, factor = 1): DerivedPoint[] {
  const out: DerivedPoint[] = [];
  for (const direction of ["IN", "OUT"] as const) {
    const source = pickSource(raw, direction, measurement);
    if (!source) continue;
    const sums = new Map<number, number>();
    const bucketOf = (ts: number) => Math.floor(ts / window.size) * window.size;
    const { points } = source;
    if (measurement === "METER_READING") {
      for (const p of points) sums.set(bucketOf(p.ts), p.value);
    } else if (source.meaning.kind === "register") {
      for (let i = 1; i < points.length; i++) {
        // The increase up to ts belongs to the bucket that ts closes: (start, start + size].
        const bucket = bucketOf(points[i].ts - 1);
        sums.set(bucket, (sums.get(bucket) ?? 0) + points[i].value - points[i - 1].value);
      }
    } else {
      for (const p of points) sums.set(bucketOf(p.ts), (sums.get(bucketOf(p.ts)) ?? 0) + p.value);
    }
    const hours = window.size / 3600;
    for (const [bucketStart, sum] of [...sums].sort((a, b) => a[0] - b[0])) {
      if (bucketStart < window.from || bucketStart >= window.to) continue;
      const value = (measurement === "POWER" ? sum / hours : sum) * factor;
      out.push({ bucketStart, direction, value: Math.round(value * 1e6) / 1e6 });
    }
  }
  return out.sort((a, b) => a.bucketStart - b.bucketStart || a.direction.localeCompare(b.direction));
}

/** Registers win over interval codes; METER_READING exists only for registers. */
function pickSource(raw: RawReading[], direction: Direction, measurement: Measurement): Source | undefined {
  const byCode = new Map<string, Source>();
  for (const r of raw) {
    const meaning = obisMeaning(r.obis as ObisCode);
    if (meaning.direction !== direction) continue;
    let source = byCode.get(meaning.canonical);
    if (!source) byCode.set(meaning.canonical, (source = { meaning, points: [] }));
    source.points.push(r);
  }
  const sources = [...byCode.values()];
  const register = sources.find((s) => s.meaning.kind === "register");
  if (register || measurement === "METER_READING") return register;
  return sources.sort((a, b) => a.meaning.canonical.localeCompare(b.meaning.canonical))[0];
}
