import { z } from "zod";
import { EpochSeconds, Measurement, ObisCode, ReadingStatus, Resolution } from "@/lib/partner-api/schemas";

/** Longest range per resolution, so a chart never asks upstream for tens of thousands of points. */
export const MAX_RANGE_DAYS: Record<z.infer<typeof Resolution>, number> = { "15_MIN": 35, "1_HOUR": 100, "1_DAY": 400 };

/** GET /api/devices/:id/readings */
export const ReadingsRangeQuery = z
  .object({
    measurement: Measurement,
    resolution: Resolution,
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
  })
  .refine((q) => Date.parse(q.end) > Date.parse(q.start), { path: ["end"], error: "The end must be after the start." })
  .refine((q) => Date.parse(q.end) - Date.parse(q.start) <= MAX_RANGE_DAYS[q.resolution] * 86_400_000, {
    path: ["end"],
    error: "This range is too long for the resolution: choose a coarser one.",
  });
export type ReadingsRangeQuery = z.infer<typeof ReadingsRangeQuery>;

/** One entered reading as it travels: the browser has turned Berlin time into epoch seconds. */
export const EnteredReading = z.object({
  obisCode: ObisCode,
  timestamp: EpochSeconds,
  value: z.number().finite(),
  status: ReadingStatus.default("REAL"),
  meteringInterval: z.number().int().positive().optional(),
});

/** POST /api/devices/:id/readings — `confirmed` says the person saw the plausibility warnings. */
export const SubmitReadingsInput = z.object({
  readings: z.array(EnteredReading).min(1).max(500),
  confirmed: z.boolean().default(false),
  // Non-smart meters: overwrite the reading at the same time (registerNonSmartMeter with isReadingUpdate).
  correction: z.boolean().default(false),
});
export type SubmitReadingsInput = z.input<typeof SubmitReadingsInput>;
