/**
 * rowValues: each error code at its field, the German forms an ERP writes (dates, media, ja/nein,
 * MeLo with spaces), and a valid row's values.
 */
import { describe, expect, it } from "vitest";
import { maloCheckDigit } from "@/lib/domain/identifiers";
import { IMPORT_FIELDS, REQUIRED_FIELDS, type ImportField } from "./columns";
import { isoDate, rowValues } from "./rows";

// Column i is field i.
const MAPPING = Object.fromEntries(IMPORT_FIELDS.map((f, i) => [f, i])) as Record<ImportField, number>;

const FIRST_TEN = "5123869678";
const VALID_MALO = `${FIRST_TEN}${maloCheckDigit(FIRST_TEN)}`;
const WRONG_MALO = `${FIRST_TEN}${(maloCheckDigit(FIRST_TEN) + 1) % 10}`;
const MELO = "DE0005629049100000000000000012345";

const BASE: Record<ImportField, string> = {
  customerNumber: "K-100001",
  customerName: "Anna Müller",
  email: "Anna.Mueller@Example.de",
  contractNumber: "V-2027-000001",
  addressLineOne: "Königstraße 12",
  addressLineTwo: "2. OG links",
  postcode: "90402",
  city: "Nürnberg",
  parent: "Wohnanlage Altstadt",
  medium: "Strom",
  meterId: VALID_MALO,
  meterKind: "SMART_METER",
  startDate: "01.01.2027",
  accessRole: "Bewohner",
  sendInvite: "ja",
};

const cells = (patch: Partial<Record<ImportField, string>> = {}) => IMPORT_FIELDS.map((f) => ({ ...BASE, ...patch })[f]);
const check = (patch: Partial<Record<ImportField, string>>) => rowValues(cells(patch), MAPPING);

describe("rowValues", () => {
  it("turns a valid row into its values (trimmed, e-mail lowercased, German date and medium converted)", () => {
    const { values, errors } = rowValues(cells({ customerName: "  Anna Müller  " }), MAPPING);
    expect(errors).toEqual({});
    expect(values).toEqual({
      customerNumber: "K-100001",
      customerName: "Anna Müller",
      email: "anna.mueller@example.de",
      contractNumber: "V-2027-000001",
      addressLineOne: "Königstraße 12",
      addressLineTwo: "2. OG links",
      postcode: "90402",
      city: "Nürnberg",
      parent: "Wohnanlage Altstadt",
      medium: "ELECTRICITY",
      meterId: VALID_MALO,
      meterKind: "SMART_METER",
      startDate: "2027-01-01",
      accessRole: "Bewohner",
      sendInvite: true,
    });
  });

  it("leaves optional fields out when empty or unmapped, and defaults the medium to electricity", () => {
    const only = Object.fromEntries(REQUIRED_FIELDS.map((f) => [f, IMPORT_FIELDS.indexOf(f)]));
    const { values, errors } = rowValues(cells(), only);
    expect(errors).toEqual({});
    expect(values).toMatchObject({ medium: "ELECTRICITY", sendInvite: false });
    for (const field of ["email", "addressLineTwo", "parent", "meterId", "meterKind", "accessRole"] as const) expect(values![field]).toBeUndefined();
    const blank = check({ email: "", addressLineTwo: "", parent: "", medium: "", meterId: "", meterKind: "", accessRole: "", sendInvite: "" });
    expect(blank.errors).toEqual({});
    expect(blank.values).toMatchObject({ medium: "ELECTRICITY", sendInvite: false, email: undefined, meterId: undefined, parent: undefined });
  });

  it.each(REQUIRED_FIELDS)("required: an empty %s", (field) => {
    for (const empty of ["", "   "]) {
      const { values, errors } = check({ [field]: empty });
      expect(values).toBeNull();
      expect(errors).toEqual({ [field]: ["required"] });
    }
  });

  it("required: an unmapped required field counts as empty", () => {
    const mapping: Partial<Record<ImportField, number>> = { ...MAPPING };
    delete mapping.customerName;
    expect(rowValues(cells(), mapping).errors).toEqual({ customerName: ["required"] });
  });

  it("erpNumber: customer and contract numbers with characters an ERP number cannot have", () => {
    expect(check({ customerNumber: "K 100001" }).errors).toEqual({ customerNumber: ["erpNumber"] });
    expect(check({ contractNumber: "-V1" }).errors).toEqual({ contractNumber: ["erpNumber"] });
    expect(check({ contractNumber: "V#1" }).errors).toEqual({ contractNumber: ["erpNumber"] });
    expect(check({ customerNumber: "K-1.2/3:4@x_y" }).errors).toEqual({});
    expect(check({ contractNumber: `V${"1".repeat(64)}` }).errors).toEqual({ contractNumber: ["tooLong"] });
  });

  it("email: an address without @ or domain", () => {
    for (const email of ["anna.example.de", "anna@", "anna@@example.de"]) {
      const { values, errors } = check({ email });
      expect(values, email).toBeNull();
      expect(errors, email).toEqual({ email: ["email"] });
    }
  });

  it("postcode: anything but five digits", () => {
    for (const postcode of ["9040", "904021", "9040A", "D-90402", "90 402"]) expect(check({ postcode }).errors, postcode).toEqual({ postcode: ["postcode"] });
    expect(check({ postcode: "01067" }).errors).toEqual({});
  });

  it("medium: German and English names and the API's values are accepted, others refused", () => {
    const accepted: Record<string, string> = { Strom: "ELECTRICITY", Gas: "GAS", Wasser: "WATER", Wärme: "HEATING", WÄRME: "HEATING", Fernwärme: "HEATING", water: "WATER", HEATING: "HEATING", gas: "GAS" };
    for (const [medium, expected] of Object.entries(accepted)) expect(check({ medium }).values?.medium, medium).toBe(expected);
    for (const medium of ["Öl", "Kohle", "ELEC"]) expect(check({ medium }).errors, medium).toEqual({ medium: ["medium"] });
  });

  it("malo.format / malo.checkDigit: a MaLo of the wrong length or leading zero, and a wrong check digit", () => {
    expect(check({ meterId: WRONG_MALO }).errors).toEqual({ meterId: ["malo.checkDigit"] });
    expect(check({ meterId: VALID_MALO.slice(0, 10) }).errors).toEqual({ meterId: ["malo.format"] });
    expect(check({ meterId: `${VALID_MALO}1` }).errors).toEqual({ meterId: ["malo.format"] });
    const zero = `0${FIRST_TEN.slice(1)}`;
    expect(check({ meterId: `${zero}${maloCheckDigit(zero)}` }).errors).toEqual({ meterId: ["malo.format"] });
    // Spaces in between are tolerated.
    const spaced = `${VALID_MALO.slice(0, 3)} ${VALID_MALO.slice(3, 7)} ${VALID_MALO.slice(7)}`;
    expect(check({ meterId: spaced }).values?.meterId).toBe(VALID_MALO);
  });

  it("melo.length / melo.format: a MeLo of the wrong length or pattern; pasted forms are normalised", () => {
    expect(check({ meterId: MELO }).values?.meterId).toBe(MELO);
    expect(check({ meterId: "de 000562 90491 00000000000000012345" }).values?.meterId).toBe(MELO);
    expect(check({ meterId: "DE-000562-90491-0000.0000.0000.0001.2345" }).values?.meterId).toBe(MELO);
    expect(check({ meterId: MELO.slice(0, 32) }).errors).toEqual({ meterId: ["melo.length"] });
    expect(check({ meterId: `${MELO}X` }).errors).toEqual({ meterId: ["melo.length"] });
    expect(check({ meterId: `AT${MELO.slice(2)}` }).errors).toEqual({ meterId: ["melo.format"] });
    expect(check({ meterId: `DE00056A${MELO.slice(8)}` }).errors).toEqual({ meterId: ["melo.format"] });
  });

  it("date: German and ISO dates are accepted, days that do not exist and other forms refused", () => {
    expect(check({ startDate: "01.01.2027" }).values?.startDate).toBe("2027-01-01");
    expect(check({ startDate: "2027-01-01" }).values?.startDate).toBe("2027-01-01");
    expect(check({ startDate: "1.2.2027" }).values?.startDate).toBe("2027-02-01");
    expect(check({ startDate: "29.02.2028" }).values?.startDate).toBe("2028-02-29");
    for (const startDate of ["31.02.2027", "29.02.2027", "2027-13-01", "2027-02-30", "01/01/2027", "01.01.27", "morgen", "2027-1-1"]) {
      expect(check({ startDate }).errors, startDate).toEqual({ startDate: ["date"] });
    }
    expect(isoDate("31.04.2027")).toBeNull();
    expect(isoDate("30.04.2027")).toBe("2027-04-30");
  });

  it("yesNo: the invite column takes ja/nein/yes/no/1/0/x and nothing else", () => {
    for (const yes of ["ja", "JA", "Yes", "y", "1", "x", "true", "wahr"]) expect(check({ sendInvite: yes }).values?.sendInvite, yes).toBe(true);
    for (const no of ["nein", "No", "0", "", "false"]) expect(check({ sendInvite: no }).values?.sendInvite, no).toBe(false);
    for (const other of ["vielleicht", "2", "ok"]) expect(check({ sendInvite: other }).errors, other).toEqual({ sendInvite: ["yesNo"] });
  });

  it("requiredForInvite: an invite without an e-mail address", () => {
    expect(check({ email: "", sendInvite: "ja" }).errors).toEqual({ email: ["requiredForInvite"] });
    expect(check({ email: "", sendInvite: "nein" }).errors).toEqual({});
  });

  it("tooLong: a name over 120 characters", () => {
    expect(check({ customerName: "A".repeat(121) }).errors).toEqual({ customerName: ["tooLong"] });
    expect(check({ customerName: "A".repeat(120) }).errors).toEqual({});
  });

  it("reports every bad field of a row at once", () => {
    const { values, errors } = check({ postcode: "123", email: "x", medium: "Öl", startDate: "31.02.2027", meterId: WRONG_MALO, city: "" });
    expect(values).toBeNull();
    expect(errors).toEqual({ postcode: ["postcode"], email: ["email"], medium: ["medium"], startDate: ["date"], meterId: ["malo.checkDigit"], city: ["required"] });
  });
});
