import { describe, expect, it } from "vitest";
import { normalizeStreet, sameAddress } from "./address";

describe("address duplicates", () => {
  it("treats str./straße/strasse, case, spaces and house-number suffixes alike", () => {
    const same = ["Lindenstraße 4a", "Lindenstr. 4a", "lindenstrasse 4 A", "Lindenstr 4-a", "Linden Straße 4a", "LINDENSTRASSE  4a", "Lindenstraße Nr. 4a"];
    for (const line of same) expect(normalizeStreet(line), line).toBe("lindenstrasse 4a");
  });

  it("keeps different houses, suffixes and streets apart", () => {
    expect(normalizeStreet("Lindenstraße 4")).not.toBe(normalizeStreet("Lindenstraße 4a"));
    expect(normalizeStreet("Lindenstraße 4")).not.toBe(normalizeStreet("Lindenstraße 14"));
    expect(normalizeStreet("Lindenweg 4")).not.toBe(normalizeStreet("Lindenstraße 4"));
    expect(normalizeStreet("Straße des 17. Juni 4")).toBe("strasse des 17 juni 4");
  });

  it("needs the same postcode too (spaces in it ignored)", () => {
    expect(sameAddress({ addressLineOne: "Lindenstr. 4", postcode: "10115" }, { addressLineOne: "Lindenstraße 4", postcode: "10 115" })).toBe(true);
    expect(sameAddress({ addressLineOne: "Lindenstr. 4", postcode: "10115" }, { addressLineOne: "Lindenstraße 4", postcode: "10117" })).toBe(false);
  });
});
