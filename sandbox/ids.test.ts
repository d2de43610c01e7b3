import { describe, expect, it } from "vitest";
import { isValidMalo, isValidMelo, makeMalo, makeMelo, maloCheckDigit } from "./ids";
import { createRng } from "./rng";

describe("MaLo", () => {
  it("computes the check digit of DOMAIN.md's example", () => {
    expect(maloCheckDigit("4137355924")).toBe(1);
    expect(isValidMalo("41373559241")).toBe(true);
    expect(isValidMalo("41373559242")).toBe(false);
    expect(isValidMalo("01373559241")).toBe(false);
  });

  it("generates valid MaLo ids", () => {
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) expect(isValidMalo(makeMalo(rng))).toBe(true);
  });
});

describe("MeLo", () => {
  it("is DE + grid operator + postcode + 20 alphanumerics", () => {
    const melo = makeMelo(createRng(2), "000562", "80331");
    expect(melo).toHaveLength(33);
    expect(melo.startsWith("DE00056280331")).toBe(true);
    expect(isValidMelo(melo)).toBe(true);
    expect(isValidMelo("DE00056266802AO6G56M11SN51G21M24S")).toBe(true);
  });
});
