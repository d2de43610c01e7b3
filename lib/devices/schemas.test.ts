import { describe, expect, it } from "vitest";
import { RegisterDeviceInput, stepErrors } from "./schemas";

const MELO = "DE00056266802AO6G56M11SN51G21M24S";
const MALO = "41373559241";
const PDF = Buffer.from("%PDF-1.4\n%test\n").toString("base64");
const device = { deviceName: "Hauptzähler", deviceMedium: "ELECTRICITY", deviceType: "SMART_METER", isMainDevice: true, excludedFromCost: false };

describe("device step", () => {
  it("refuses a type that does not fit the medium and a consumer as main device", () => {
    expect(stepErrors("device", "external", { ...device, deviceMedium: "GAS" }).deviceType).toBe("typeMismatch");
    expect(stepErrors("device", "external", { ...device, deviceType: "WALLBOX" }).isMainDevice).toBe("mainNotAllowed");
    expect(stepErrors("device", "external", device)).toEqual({});
    expect(stepErrors("device", "external", { ...device, deviceName: " " }).deviceName).toBe("required");
  });
});

describe("provider step: identifiers at the field", () => {
  it("MeLo: pasted forms pass, a wrong length or lowercase-free garbage is refused", () => {
    expect(stepErrors("provider", "external", { meteringLocationId: "de 000562 66802 AO6G56M11SN51G21M24S" })).toEqual({});
    expect(stepErrors("provider", "external", { meteringLocationId: "DE0005626680" }).meteringLocationId).toBe("melo.length");
    expect(stepErrors("provider", "external", { meteringLocationId: "AT00056266802AO6G56M11SN51G21M24S" }).meteringLocationId).toBe("melo.format");
    expect(stepErrors("provider", "bluemetering", { bluemeteringApiKey: "k" }).meteringLocationId).toBeDefined();
  });

  it("MaLo: a wrong check digit is refused, ESA needs MeLo or MaLo", () => {
    const esa = { bdewCode: "9900000000001", customerName: "Erika Muster", declarationOfConsent: PDF, sendInviteOnSuccessTo: "erika@example.de" };
    expect(stepErrors("provider", "esa", { ...esa, malo: MALO })).toEqual({});
    expect(stepErrors("provider", "esa", { ...esa, malo: "41373559240" }).malo).toBe("malo.checkDigit");
    expect(stepErrors("provider", "esa", esa).melo).toBe("meloOrMalo");
    expect(stepErrors("provider", "esa", { ...esa, malo: MALO, sendInviteOnSuccessTo: "erika@" }).sendInviteOnSuccessTo).toBe("email");
    expect(stepErrors("provider", "esa", { ...esa, malo: MALO, declarationOfConsent: Buffer.from("PK zip").toString("base64") }).declarationOfConsent).toBe("consent.notPdf");
  });

  it("non-smart meter: unit per medium, decimal comma, no feed-in for gas, no time in the DST gap", () => {
    const meter = { readingTime: "2025-01-15T08:30", readingUnit: "KILO_WATT_HOUR", consumptionReadingValue: "12345,6" };
    expect(stepErrors("provider", "nonSmart", { ...device, ...meter })).toEqual({});
    expect(stepErrors("provider", "nonSmart", { ...device, ...meter, deviceMedium: "GAS" }).readingUnit).toBe("unitMismatch");
    expect(stepErrors("provider", "nonSmart", { ...device, ...meter, consumptionReadingValue: "12a" }).consumptionReadingValue).toBe("number");
    expect(stepErrors("provider", "nonSmart", { ...device, ...meter, readingTime: "2025-03-30T02:30" }).readingTime).toBe("timeGap");
  });
});

describe("whole draft → contract body", () => {
  it("builds the non-smart meter body with epoch seconds in Berlin time and the number", () => {
    const r = RegisterDeviceInput.parse({ kind: "nonSmart", ...device, readingTime: "2025-01-15T08:30", readingUnit: "KILO_WATT_HOUR", consumptionReadingValue: "12345,6" });
    expect(r.kind).toBe("nonSmart");
    expect(r.body).toMatchObject({ deviceType: "NON_SMART_METER", readingMeasurementTime: Date.UTC(2025, 0, 15, 7, 30) / 1000, consumptionReadingValue: 12345.6 });
  });

  it("normalises the MeLo and sets the conversion factor only when given", () => {
    const r = RegisterDeviceInput.parse({ kind: "external", ...device, meteringLocationId: "de.000562.66802.ao6g56m11sn51g21m24s", conversionFactor: "" });
    expect(r.body).toMatchObject({ meteringLocationId: MELO });
    expect(r.body).not.toHaveProperty("conversionFactor");
    const f = RegisterDeviceInput.parse({ kind: "inexogy", ...device, serialNumber: "1ESY1161229886", conversionFactor: "1,5" });
    expect(f.body).toMatchObject({ conversionFactor: 1.5, applyConversionFactor: true });
  });

  it("names each bad field of the whole draft", () => {
    const r = RegisterDeviceInput.safeParse({ kind: "esa", ...device, malo: "41373559240", bdewCode: "x", customerName: "", declarationOfConsent: "", sendInviteOnSuccessTo: "x" });
    const paths = r.error?.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["malo", "bdewCode", "customerName", "declarationOfConsent", "sendInviteOnSuccessTo"]));
  });
});
