import { describe, expect, it } from "vitest";
import { DEVICE_TYPES, MEDIA } from "@/lib/partner-api/schemas";
import { DEVICE_TYPES_BY_MEDIUM, fitsMedium, mayBeMain } from "./matrix";

describe("medium → device-type matrix (DOMAIN.md)", () => {
  it("electricity takes every type but the gas, water and heat meters", () => {
    expect(DEVICE_TYPES_BY_MEDIUM.ELECTRICITY).toHaveLength(DEVICE_TYPES.length - 3);
    for (const t of ["GAS_METER", "WATER_METER", "HEATING_METER"] as const) expect(fitsMedium("ELECTRICITY", t)).toBe(false);
    for (const t of ["SMART_METER", "RLM_METER", "WALLBOX", "NON_SMART_METER", "BATTERY"] as const) expect(fitsMedium("ELECTRICITY", t)).toBe(true);
  });

  it.each([
    ["GAS", "GAS_METER"],
    ["WATER", "WATER_METER"],
    ["HEATING", "HEATING_METER"],
  ] as const)("%s takes its own meter, a conventional meter and an optical sensor only", (medium, own) => {
    expect([...DEVICE_TYPES_BY_MEDIUM[medium]].sort()).toEqual([own, "NON_SMART_METER", "OPTICAL_METER_SENSOR"].sort());
    expect(fitsMedium(medium, "SMART_METER")).toBe(false);
    expect(fitsMedium(medium, "WALLBOX")).toBe(false);
  });

  it("every type fits some medium, and every medium has a conventional meter", () => {
    for (const t of DEVICE_TYPES) expect(MEDIA.some((m) => fitsMedium(m, t))).toBe(true);
    for (const m of MEDIA) expect(fitsMedium(m, "NON_SMART_METER")).toBe(true);
  });

  it("consumers cannot be a space's main device, meters can", () => {
    expect(mayBeMain("WALLBOX")).toBe(false);
    expect(mayBeMain("BATTERY")).toBe(false);
    expect(mayBeMain("SMART_METER")).toBe(true);
    expect(mayBeMain("GAS_METER")).toBe(true);
  });
});
