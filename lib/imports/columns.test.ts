/**
 * guessMapping: the template's German headers, English headers, odd casing and spacing, every
 * column used at most once, and fields without a matching header left out.
 */
import { describe, expect, it } from "vitest";
import { guessMapping, IMPORT_FIELDS, type ImportField } from "./columns";
import { IMPORT_TEMPLATE_HEADERS } from "./template";

const fieldOfColumn = (mapping: Partial<Record<ImportField, number>>, column: number) =>
  (Object.entries(mapping) as [ImportField, number][]).filter(([, i]) => i === column).map(([f]) => f);

describe("guessMapping", () => {
  it("maps every column of the import template to its field, in the template's order", () => {
    const mapping = guessMapping(IMPORT_TEMPLATE_HEADERS);
    // The template lists the fields in the same order as IMPORT_FIELDS.
    expect(IMPORT_TEMPLATE_HEADERS).toHaveLength(IMPORT_FIELDS.length);
    for (const [i, field] of IMPORT_FIELDS.entries()) expect(mapping[field], `${field} ← ${IMPORT_TEMPLATE_HEADERS[i]}`).toBe(i);
  });

  it("maps the template's headers wherever they stand in the file", () => {
    const shuffled = [...IMPORT_TEMPLATE_HEADERS].reverse();
    const mapping = guessMapping(shuffled);
    for (const [i, field] of IMPORT_FIELDS.entries()) expect(shuffled[mapping[field]!]).toBe(IMPORT_TEMPLATE_HEADERS[i]);
  });

  it("maps English headers", () => {
    const headers = ["Customer Number", "Customer Name", "Email", "Contract Number", "Address", "Address Line 2", "Postcode", "City", "Parent", "Medium", "Meter ID", "Meter Kind", "Start Date", "Access Role", "Send Invite"];
    const mapping = guessMapping(headers);
    expect(mapping).toEqual(Object.fromEntries(IMPORT_FIELDS.map((f, i) => [f, i])));
  });

  it("ignores case, spaces, dashes, dots and underscores in headers", () => {
    const headers = ["  KUNDEN-NR. ", "kunden name", "e_mail", "VERTRAGS NR", "STRASSE", "p.l.z", " ort ", "Zähler Art", "vertrags-beginn", "Post Code"];
    const mapping = guessMapping(headers);
    expect(mapping.customerNumber).toBe(0);
    expect(mapping.customerName).toBe(1);
    expect(mapping.email).toBe(2);
    expect(mapping.contractNumber).toBe(3);
    expect(mapping.addressLineOne).toBe(4);
    expect(mapping.postcode).toBe(5); // the first of the two postcode columns; the second stays free
    expect(mapping.city).toBe(6);
    expect(mapping.meterKind).toBe(7);
    expect(mapping.startDate).toBe(8);
    expect(fieldOfColumn(mapping, 9)).toEqual([]);
  });

  it("prefers an exact header over one that only starts with a synonym", () => {
    // "Kundennummer alt" starts with a synonym; "Kundennr" is one: the exact one wins although it comes later.
    const mapping = guessMapping(["Kundennummer alt", "Name", "Kundennr"]);
    expect(mapping.customerNumber).toBe(2);
    expect(mapping.customerName).toBe(1);
  });

  it("falls back to a header that starts with a synonym", () => {
    const mapping = guessMapping(["Kundennummer (ERP)", "PLZ des Objekts"]);
    expect(mapping.customerNumber).toBe(0);
    expect(mapping.postcode).toBe(1);
  });

  it("uses each column for one field only", () => {
    // Both columns match e-mail synonyms; "Name" and "Kunde" both match customerName.
    for (const headers of [["E-Mail", "Mail"], ["Name", "Kunde", "Kundenname"], ["Vertrag", "Vertragsnummer", "Vertragskonto"], [...IMPORT_TEMPLATE_HEADERS, ...IMPORT_TEMPLATE_HEADERS]]) {
      const mapping = guessMapping(headers);
      const columns = Object.values(mapping);
      expect(new Set(columns).size, headers.join(",")).toBe(columns.length);
      for (const column of columns) expect(column).toBeGreaterThanOrEqual(0);
      for (const column of columns) expect(column).toBeLessThan(headers.length);
    }
    const twice = guessMapping(["E-Mail", "Mail"]);
    expect(twice.email).toBe(0);
    expect(fieldOfColumn(twice, 1)).toEqual([]);
  });

  it("leaves fields without a matching header out of the mapping", () => {
    const mapping = guessMapping(["Kundennummer", "Bemerkung", "Telefon", "PLZ"]);
    expect(mapping).toEqual({ customerNumber: 0, postcode: 3 });
    expect("email" in mapping).toBe(false);
    expect(guessMapping([])).toEqual({});
    expect(guessMapping(["", "   "])).toEqual({});
  });
});

describe("applyPreset", () => {
  it("maps each saved header name to that column of another file, whatever its order and case; absent headers stay unmapped", async () => {
    const { applyPreset } = await import("./columns");
    const mapping = applyPreset({ customerNumber: "Kd-Nr", postcode: "PLZ", city: "Ort" }, ["ort", "Name", "kd-nr "]);
    expect(mapping).toEqual({ customerNumber: 2, city: 0 });
  });
});
