import { describe, expect, it } from "vitest";
import { OBIS_CODES } from "@/lib/partner-api/schemas";
import { obisFor, OBIS_INFO } from "./obis";

describe("OBIS codes per medium", () => {
  it("offers electricity its nine codes, and gas, water and heating their one register each", () => {
    expect(obisFor("ELECTRICITY").map((o) => o.code)).toEqual(["1.8.0", "2.8.0", "1.9.0", "2.9.0", "1.29.0", "2.29.0", "2.9.0 G.03", "1.9.0 P.01", "2.9.0 P.01"]);
    expect(obisFor("GAS").map((o) => [o.code, o.unit])).toEqual([["7-1:3.1.0", "CUBIC_METRE"]]);
    expect(obisFor("WATER").map((o) => [o.code, o.unit])).toEqual([["8-1:1.0.0", "CUBIC_METRE"]]);
    expect(obisFor("HEATING").map((o) => [o.code, o.unit])).toEqual([["6-1:1.0.0", "KILO_WATT_HOUR"]]);
  });
  it("only offers codes the spec accepts, each under the medium the spec gives it", () => {
    for (const o of OBIS_INFO) expect(OBIS_CODES[o.code]).toBe(o.medium);
  });
  it("describes 1.8.0 in German as people know it", () => {
    expect(obisFor("ELECTRICITY")[0]).toMatchObject({ de: "Zählerstand Bezug", kind: "register", direction: "IN" });
  });
});
