import { describe, expect, it } from "vitest";
import { MaloInput, MeloInput, isValidMalo, isValidMelo, maloCheckDigit, normalizeMelo } from "./identifiers";

describe("MaLo", () => {
  it("computes the check digit of DOMAIN.md's example", () => {
    // a = 4+3+3+5+2 = 17, b = 2 × (1+7+5+9+4) = 52, 69 → 1
    expect(maloCheckDigit("4137355924")).toBe(1);
    expect(isValidMalo("41373559241")).toBe(true);
  });

  it.each(["41373559240", "41373559242", "01373559241", "4137355924", "413735592411", "4137355924A"])(
    "refuses %s",
    (value) => expect(isValidMalo(value)).toBe(false),
  );

  it("gives a check digit of 0 when the sum is a multiple of ten", () => {
    expect(maloCheckDigit("5500000000")).toBe(5); // a=5, b=10 → 15 → 5
    expect(maloCheckDigit("2400000000")).toBe(0); // a=2, b=8 → 10 → 0
  });

  it("the form field names the problem", () => {
    expect(MaloInput.safeParse("4137 3559 241").data).toBe("41373559241");
    expect(MaloInput.safeParse("41373559240").error?.issues[0].message).toBe("malo.checkDigit");
    expect(MaloInput.safeParse("1234").error?.issues[0].message).toBe("malo.format");
  });
});

describe("MeLo", () => {
  const melo = "DE00056266802AO6G56M11SN51G21M24S";

  it("accepts DOMAIN.md's example", () => {
    expect(melo).toHaveLength(33);
    expect(isValidMelo(melo)).toBe(true);
  });

  it("normalises pasted forms with spaces, dots and lower case", () => {
    expect(normalizeMelo("DE 000562 66802 AO6G56M11SN51G21M24S")).toBe(melo);
    expect(normalizeMelo("de.000562.66802.ao6g56m11sn51g21m24s")).toBe(melo);
    expect(MeloInput.parse(" DE 000562 66802 AO6G 56M1 1SN5 1G21 M24S ")).toBe(melo);
  });

  it.each([
    ["AT00056266802AO6G56M11SN51G21M24S", "melo.format"], // not DE
    ["DE0005626680AO6G56M11SN51G21M24S", "melo.length"], // 32 characters
    ["DE00056266802AO6G56M11SN51G21M24SX", "melo.length"], // 34 characters
    ["DE0005X266802AO6G56M11SN51G21M24S", "melo.format"], // letter in the operator number
    ["DE00056266802AO6G56M11SN51G21M24_", "melo.format"], // not alphanumeric
  ])("refuses %s with %s", (value, message) => {
    expect(MeloInput.safeParse(value).error?.issues[0].message).toBe(message);
  });
});
