/**
 * Reading import files: every delimiter, BOM, Windows-1252, quoting, header clean-up, the limits
 * and refusals, XLSX (committed fixture and in-test built files), and the template round trip.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isValidMalo, isValidMelo } from "@/lib/domain/identifiers";
import { buildFixtureXlsx } from "./fixtures/xlsx-writer";
import { ImportFileError, MAX_IMPORT_ROWS, parseCsv, parseImportFile, plainNumber, type ImportFileErrorCode } from "./parse";
import { IMPORT_TEMPLATE_HEADERS, importTemplateCsv } from "./template";

const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(bytes: Uint8Array, fileName = "kunden.csv"): Promise<ImportFileErrorCode> {
  try {
    await parseImportFile(bytes, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as ImportFileError).code;
  }
  throw new Error("expected the file to be refused");
}

describe("CSV", () => {
  it.each([
    [";", "semicolon"],
    [",", "comma"],
    ["\t", "tab"],
    ["|", "pipe"],
  ])("detects the %j delimiter (%s)", async (delimiter) => {
    const text = ["Kundennummer", "Name", "PLZ"].join(delimiter) + "\n" + ["K-1", "Anna Müller", "90402"].join(delimiter) + "\n" + ["K-2", "Jürgen Weiß", "90491"].join(delimiter) + "\n";
    const parsed = await parseImportFile(utf8(text), "kunden.csv");
    expect(parsed).toEqual({
      format: "csv",
      encoding: "utf-8",
      delimiter,
      headers: ["Kundennummer", "Name", "PLZ"],
      rows: [
        ["K-1", "Anna Müller", "90402"],
        ["K-2", "Jürgen Weiß", "90491"],
      ],
    });
  });

  it("keeps a decimal comma as written when the delimiter is a semicolon", async () => {
    const parsed = await parseImportFile(utf8("Zähler;Verbrauch\nZ1;1.234,56\n"), "x.csv");
    expect(parsed.rows).toEqual([["Z1", "1.234,56"]]);
  });

  it("removes the BOM (the first header is clean) and reads CRLF", async () => {
    const parsed = await parseImportFile(utf8("\uFEFFKundennummer;Name\r\nK-1;Anna\r\nK-2;Ben\r\n"), "x.csv");
    expect(parsed.headers).toEqual(["Kundennummer", "Name"]);
    expect(parsed.rows).toEqual([
      ["K-1", "Anna"],
      ["K-2", "Ben"],
    ]);
    expect(parsed.encoding).toBe("utf-8");
  });

  it("falls back to Windows-1252 for bytes that are not UTF-8, umlauts and € intact", async () => {
    // Buffer's latin1 writes U+0080–U+009F as the bytes 0x80–0x9F: € is 0x80, „ 0x84, “ 0x93.
    const bytes = new Uint8Array(Buffer.from("Straße;Ort;Betrag\r\nÄußere Sulzbacher Straße 118;\u0084Nürnberg\u0093;12,50 \u0080\r\n", "latin1"));
    expect([...bytes].filter((b) => b >= 0x80 && b < 0xa0)).toEqual([0x84, 0x93, 0x80]);
    const parsed = await parseImportFile(bytes, "export.csv");
    expect(parsed.encoding).toBe("windows-1252");
    expect(parsed.headers).toEqual(["Straße", "Ort", "Betrag"]);
    expect(parsed.rows).toEqual([["Äußere Sulzbacher Straße 118", "„Nürnberg“", "12,50 €"]]);
  });

  it("reads quoted fields holding the delimiter, quotes and line breaks", async () => {
    const text = 'Name;Adresszusatz;Notiz\r\n"Müller; Anna";"Hinterhaus\r\n2. OG";"sagt ""hallo"""\r\nBen;;x\r\n';
    const parsed = await parseImportFile(utf8(text), "x.csv");
    expect(parsed.delimiter).toBe(";");
    expect(parsed.rows).toEqual([
      ["Müller; Anna", "Hinterhaus\r\n2. OG", 'sagt "hallo"'],
      ["Ben", "", "x"],
    ]);
  });

  it("trims cells, drops empty rows, pads short and cuts long rows", async () => {
    const text = " A ; B ;C\n\n;;\n  1 ;2\n4;5;6;7\n \n";
    const parsed = await parseImportFile(utf8(text), "x.csv");
    expect(parsed.headers).toEqual(["A", "B", "C"]);
    expect(parsed.rows).toEqual([
      ["1", "2", ""],
      ["4", "5", "6"],
    ]);
  });

  it("makes duplicate headers unique without clashing with an existing one", async () => {
    const parsed = await parseImportFile(utf8("Name;name;E-Mail;Name (2);Name\na;b;c;d;e\n"), "x.csv");
    expect(parsed.headers).toEqual(["Name", "name (3)", "E-Mail", "Name (2)", "Name (4)"]);
  });

  it("drops unnamed trailing and empty spacer columns; refuses an unnamed column with data", async () => {
    const spacer = await parseImportFile(utf8("A;;B;\n1;;2;\n3;;4;x\n"), "x.csv");
    expect(spacer.headers).toEqual(["A", "B"]);
    expect(spacer.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(await refusal(utf8("A;;B\n1;oops;2\n"))).toBe("no_header");
  });

  it("refuses an empty file, a BOM-only file, and a header without rows", async () => {
    expect(await refusal(new Uint8Array())).toBe("empty");
    expect(await refusal(utf8("\uFEFF"))).toBe("empty");
    expect(await refusal(utf8("\n \r\n;;\n"))).toBe("empty");
    expect(await refusal(utf8("Kundennummer;Name\r\n"))).toBe("empty");
  });

  it("refuses an unterminated quote, binary content, UTF-16 and old .xls", async () => {
    expect(await refusal(utf8('A;B\n"offen;1\n2;3\n'))).toBe("unreadable");
    expect(await refusal(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]), "x.pdf")).toBe("unsupported");
    expect(await refusal(new Uint8Array([0xff, 0xfe, 0x41, 0x00]), "x.csv")).toBe("unsupported");
    expect(await refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), "x.xls")).toBe("unsupported");
  });

  it(`takes ${MAX_IMPORT_ROWS} data rows and refuses ${MAX_IMPORT_ROWS + 1}`, async () => {
    const csv = (n: number) => {
      const lines = ["Kundennummer;Name;PLZ;Ort;MeLo/MaLo"];
      for (let i = 0; i < n; i++) lines.push(`K-${100000 + i};Kunde ${i};90402;Nürnberg;51238696781`);
      return utf8(lines.join("\r\n") + "\r\n");
    };
    const full = csv(MAX_IMPORT_ROWS);
    const started = performance.now();
    const parsed = await parseImportFile(full, "gross.csv");
    const ms = performance.now() - started;
    console.log(`parsing a ${MAX_IMPORT_ROWS}-row CSV (${(full.length / 1e6).toFixed(1)} MB) took ${ms.toFixed(0)} ms`);
    expect(parsed.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(parsed.rows.at(-1)).toEqual([`K-${100000 + MAX_IMPORT_ROWS - 1}`, `Kunde ${MAX_IMPORT_ROWS - 1}`, "90402", "Nürnberg", "51238696781"]);
    expect(await refusal(csv(MAX_IMPORT_ROWS + 1))).toBe("too_many_rows");
  });

  it("parseCsv is the synchronous CSV path", () => {
    expect(parseCsv(utf8("a|b\n1|2\n")).rows).toEqual([["1", "2"]]);
  });
});

describe("XLSX", () => {
  it("reads the committed fixture: first sheet, dates ISO, long numbers in full", async () => {
    const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL("./fixtures/sample.xlsx", import.meta.url))));
    const parsed = await parseImportFile(bytes, "Export März.xlsx");
    expect(parsed).toEqual({
      format: "xlsx",
      headers: ["Kundennummer", "Name", "MeLo/MaLo", "Vertragsbeginn", "Verbrauch", "PLZ", "Name (2)"],
      rows: [
        ["K-100001", "Anna Müller", "51238696781", "2027-01-01", "1234,5", "90402", "Zweitname"],
        ["K-100002", "Jürgen Weiß €", "50987654321", "2026-12-31", "0.3", "", ""],
      ],
    });
    expect(isValidMalo(parsed.rows[0][2])).toBe(true);
  });

  it("is recognised by its ZIP signature whatever the name, and keeps text cells as typed", async () => {
    const bytes = buildFixtureXlsx([
      ["PLZ", "Kennung", "Zahl"],
      ["01067", "0042", { number: "1.5E-3" }],
      [null, null, null],
      ["90402", "DE0005629040200000000000000012345", { number: "-12" }],
    ]);
    const parsed = await parseImportFile(bytes, "upload.bin");
    expect(parsed.format).toBe("xlsx");
    expect(parsed.rows).toEqual([
      ["01067", "0042", "0.0015"],
      ["90402", "DE0005629040200000000000000012345", "-12"],
    ]);
  });

  it("refuses a header-only sheet, text named .xlsx, a broken .xlsx and some other ZIP", async () => {
    expect(await refusal(buildFixtureXlsx([["A", "B"]]), "x.xlsx")).toBe("empty");
    expect(await refusal(utf8("A;B\n1;2\n"), "x.xlsx")).toBe("unreadable");
    const truncated = buildFixtureXlsx([["A"], ["1"]]).subarray(0, 200);
    expect(await refusal(truncated, "x.xlsx")).toBe("unreadable");
    expect(await refusal(truncated, "archiv.zip")).toBe("unsupported");
  });

  it("refuses more than the row limit", async () => {
    const rows = [["Nr"], ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [String(i)])];
    expect(await refusal(buildFixtureXlsx(rows), "x.xlsx")).toBe("too_many_rows");
  });

  it.each([
    ["51238696781", "51238696781"],
    ["5.1238696781E10", "51238696781"],
    ["5.1238696781e+10", "51238696781"],
    ["1E-7", "0.0000001"],
    ["0.30000000000000004", "0.3"],
    ["12.300000000000001", "12.3"],
    ["1234567890123456789", "1234567890123460000"],
    ["99999999999999999", "100000000000000000"],
    ["-0", "0"],
    ["100", "100"],
    ["2.50", "2.5"],
  ])("plainNumber(%j) is %j", (stored, shown) => {
    expect(plainNumber(stored)).toBe(shown);
  });
});

describe("template", () => {
  it("parses back with its own headers and two valid example rows", async () => {
    const text = importTemplateCsv();
    expect(text.startsWith("\uFEFF")).toBe(true);
    const parsed = await parseImportFile(utf8(text), "vorlage.csv");
    expect(parsed.delimiter).toBe(";");
    expect(parsed.encoding).toBe("utf-8");
    expect(parsed.headers).toEqual([...IMPORT_TEMPLATE_HEADERS]);
    expect(parsed.rows).toHaveLength(2);
    const column = (name: (typeof IMPORT_TEMPLATE_HEADERS)[number]) => parsed.rows.map((row) => row[parsed.headers.indexOf(name)]);
    expect(column("Kundennummer")).toEqual(["K-100001", "K-100002"]);
    expect(isValidMalo(column("MeLo/MaLo")[0])).toBe(true);
    expect(isValidMelo(column("MeLo/MaLo")[1])).toBe(true);
    expect(column("Vertragsbeginn")).toEqual(["2027-01-01", "2027-01-01"]);
    expect(column("Ort")).toEqual(["Nürnberg", "Nürnberg"]);
    expect(column("Einladung senden")[0]).toBe("ja");
  });
});
