import { describe, expect, it } from "vitest";
import { isValidMalo, isValidMelo } from "../lib/domain/identifiers";
import { makeMalo, makeMelo } from "./ids";
import { createRng } from "./rng";

describe("MaLo", () => {
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
  });
});
