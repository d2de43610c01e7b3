import { describe, expect, it } from "vitest";
import { checkReadings, type PlausibilityContext } from "./plausibility";

const DAY = 86_400;
const now = 1_800_000_000;
const base: PlausibilityContext = {
  medium: "ELECTRICITY",
  spaceCategory: "FLAT",
  latest: { "1.8.0": { timestamp: now - 10 * DAY, value: 5_000 } },
  firstReadingTime: now - 400 * DAY,
  now,
};
const codes = (rows: Parameters<typeof checkReadings>[0], context = base) => checkReadings(rows, context).map((f) => f.map((x) => x.code));

describe("plausibility", () => {
  it("accepts a register that grew by a household's usual amount", () => {
    expect(codes([{ obisCode: "1.8.0", timestamp: now, value: 5_080 }])).toEqual([[]]);
  });
  it("warns when a cumulative register is lower than the latest known value", () => {
    const [[finding]] = checkReadings([{ obisCode: "1.8.0", timestamp: now, value: 4_990 }], base);
    expect(finding).toEqual({ code: "backwards", severity: "warning", previous: 5_000 });
  });
  it("warns about a jump above 100 kWh/day for electricity in a flat, but not in an office (ten times the limit)", () => {
    const row = [{ obisCode: "1.8.0", timestamp: now, value: 7_000 }]; // 200 kWh/day over 10 days
    expect(checkReadings(row, base)[0][0]).toMatchObject({ code: "jump", perDay: 200, limit: 100 });
    expect(codes(row, { ...base, spaceCategory: "OFFICE" })).toEqual([[]]);
  });
  it("uses the medium's limit and unit: water 5 m³/day", () => {
    const water = { ...base, medium: "WATER", latest: { "8-1:1.0.0": { timestamp: now - DAY, value: 100 } } };
    expect(codes([{ obisCode: "8-1:1.0.0", timestamp: now, value: 104 }], water)).toEqual([[]]);
    expect(codes([{ obisCode: "8-1:1.0.0", timestamp: now, value: 106 }], water)).toEqual([["jump"]]);
  });
  it("warns about a reading older than the device's first reading", () => {
    expect(codes([{ obisCode: "1.9.0", timestamp: now - 500 * DAY, value: 1 }])).toEqual([["beforeFirst"]]);
  });
  it("refuses a timestamp in the future and a negative value", () => {
    expect(codes([{ obisCode: "1.9.0", timestamp: now + 3_600, value: 1 }])).toEqual([["future"]]);
    expect(codes([{ obisCode: "1.9.0", timestamp: now, value: -1 }])).toEqual([["negative"]]);
  });
  it("compares the entered rows with each other in time order, whatever order they were typed in", () => {
    const rows = [
      { obisCode: "1.8.0", timestamp: now, value: 5_010 },
      { obisCode: "1.8.0", timestamp: now - DAY, value: 5_020 },
    ];
    expect(codes(rows)).toEqual([["backwards"], []]);
  });
  it("does not apply register rules to interval amounts", () => {
    expect(codes([{ obisCode: "1.9.0", timestamp: now, value: 1 }])).toEqual([[]]);
  });
});
