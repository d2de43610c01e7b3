/**
 * Reading an uploaded import file (issue 13, "Upload"): CSV in any of the usual delimiters and in
 * UTF-8 or Windows-1252, or the first worksheet of an XLSX, into a header row and string rows.
 * Nothing is interpreted here: decimal commas, dates typed as text, yes/no and identifiers stay
 * as written; validation decides. Only what the file format itself forces is normalised: cells
 * trimmed, empty rows dropped, headers made unique, rows squared to the header, XLSX dates as ISO
 * dates and XLSX numbers as plain digits.
 *
 * Runs in route handlers and scripts; uses only web-standard APIs (TextDecoder, ArrayBuffer).
 */
import Papa from "papaparse";
import { readSheet, InvalidInputError, type SheetData } from "read-excel-file/universal";

/** Data rows (after the header, empty rows not counted) one file may hold. */
export const MAX_IMPORT_ROWS = 50_000;

export type ParsedFile = {
  format: "csv" | "xlsx";
  /** CSV only: how the bytes were decoded. */
  encoding?: "utf-8" | "windows-1252";
  /** CSV only: the delimiter found. */
  delimiter?: string;
  headers: string[];
  /** Every row has exactly `headers.length` cells. */
  rows: string[][];
};

export type ImportFileErrorCode = "empty" | "no_header" | "too_many_rows" | "unreadable" | "unsupported";

/** A file that cannot be used; `code` is stable (for messages and tests), `message` is for logs. */
export class ImportFileError extends Error {
  readonly code: ImportFileErrorCode;
  constructor(code: ImportFileErrorCode, message: string) {
    super(message);
    this.name = "ImportFileError";
    this.code = code;
  }
}

const CSV_DELIMITERS = [";", ",", "\t", "|"];

/**
 * Reads an uploaded file. XLSX is recognised by its ZIP signature (or an .xlsx/.xlsm name),
 * everything else is read as delimited text. Async because the XLSX reader is.
 */
export async function parseImportFile(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const name = fileName.trim().toLowerCase();
  if (bytes.length === 0) throw new ImportFileError("empty", "the file is empty");
  if (isZip(bytes) || /\.xls[xm]$/.test(name)) return parseXlsx(bytes, name);
  if (isOleCompound(bytes) || name.endsWith(".xls")) {
    throw new ImportFileError("unsupported", "old Excel (.xls) files are not supported: save as .xlsx or CSV");
  }
  return parseCsv(bytes);
}

/** Delimited text (synchronous). */
export function parseCsv(bytes: Uint8Array): ParsedFile {
  const { text, encoding } = decodeText(bytes);
  const collector = new RowCollector();
  let missingQuote: number | undefined;
  const result = Papa.parse<string[]>(text, {
    delimitersToGuess: CSV_DELIMITERS,
    skipEmptyLines: "greedy",
    step: (step) => {
      for (const error of step.errors) {
        if (error.code === "MissingQuotes") missingQuote ??= collector.seen + 1;
      }
      collector.add(step.data);
    },
  });
  if (missingQuote !== undefined) {
    throw new ImportFileError("unreadable", `a quoted field opened near row ${missingQuote} is never closed`);
  }
  const parsed = collector.finish();
  return { format: "csv", encoding, delimiter: result.meta.delimiter, ...parsed };
}

function decodeText(bytes: Uint8Array): { text: string; encoding: "utf-8" | "windows-1252" } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportFileError("unsupported", "UTF-16 text is not supported: save as CSV UTF-8");
  }
  // Text files have no NUL bytes; a binary file (PDF, image, …) would otherwise decode as noise.
  const sniff = bytes.subarray(0, 8192);
  if (sniff.includes(0)) throw new ImportFileError("unsupported", "this is not a CSV or XLSX file");
  let text: string;
  let encoding: "utf-8" | "windows-1252";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    encoding = "utf-8";
  } catch {
    // Not valid UTF-8: German Excel's "CSV (Trennzeichen-getrennt)" writes Windows-1252.
    text = repairC1(new TextDecoder("windows-1252").decode(bytes));
    encoding = "windows-1252";
  }
  // TextDecoder drops one BOM; a file saved twice may carry another.
  return { text: text.replace(/^\uFEFF+/, ""), encoding };
}

/**
 * Windows-1252's characters at 0x80–0x9F (€, „, “, –, …; the WHATWG index), by byte − 0x80.
 * Node since 20.18.3 / 22.13.0 decodes "windows-1252" as Latin-1 and yields the C1 control
 * characters U+0080–U+009F there instead (nodejs/node#60888); a correct decoder never does,
 * except for the five unassigned bytes, which map to themselves here too.
 */
const WINDOWS_1252_C1 =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

function repairC1(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

async function parseXlsx(bytes: Uint8Array, name: string): Promise<ParsedFile> {
  if (!isZip(bytes)) throw new ImportFileError("unreadable", "the file is named .xlsx but is not an XLSX file");
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let data: SheetData<SheetNumber>;
  try {
    // Numbers kept as the text stored in the sheet, so no digit is lost to floating point.
    data = await readSheet<SheetNumber>(buffer, { parseNumber: (value) => new SheetNumber(value), trim: true });
  } catch (error) {
    if (error instanceof InvalidInputError) {
      if (error.code === "NO_DATA") throw new ImportFileError("empty", "the first worksheet is empty");
      if (error.code === "XLS_FILE_NOT_SUPPORTED") {
        throw new ImportFileError("unsupported", "old Excel (.xls) files are not supported: save as .xlsx or CSV");
      }
      if (!/\.xls[xm]$/.test(name)) {
        throw new ImportFileError("unsupported", "this ZIP archive is not an XLSX workbook");
      }
    }
    throw new ImportFileError("unreadable", `the XLSX file could not be read (${errorText(error)})`);
  }
  const collector = new RowCollector();
  for (const row of data) {
    collector.add(row.map(xlsxCellText));
  }
  return { format: "xlsx", ...collector.finish() };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A numeric cell's value exactly as the sheet stores it (text cells stay plain strings). */
class SheetNumber {
  constructor(readonly stored: string) {}
}

/** One XLSX cell as the string a person sees (dates ISO, numbers plain, booleans true/false). */
function xlsxCellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof SheetNumber) return plainNumber(cell.stored);
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === "boolean") return cell ? "true" : "false";
  if (typeof cell === "number") return plainNumber(String(cell));
  return String(cell);
}

/** Dates come as UTC instants of the cell's wall-clock value. */
function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const iso = date.toISOString();
  const time = iso.slice(11, 19);
  return time === "00:00:00" ? iso.slice(0, 10) : `${iso.slice(0, 10)}T${time}`;
}

/**
 * A number as stored in the sheet XML ("51238696781", "5.1238696781E10", "0.30000000000000004")
 * as plain decimal digits, without exponent, rounded to Excel's 15 significant digits (what Excel
 * itself shows and keeps), trailing zeros after the point dropped.
 */
export function plainNumber(value: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(value.trim());
  if (!match) return value.trim();
  const [, sign, intPart = "", fracPart = "", exponentText = "0"] = match;
  let digits = intPart + fracPart;
  let pointAt = intPart.length + Number(exponentText); // position of the decimal point in `digits`
  const lead = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(lead);
  pointAt -= lead;
  if (digits.length === 0) return "0";
  if (digits.length > 15) {
    // Round to 15 significant digits, decimal-exactly on the digit string.
    const rounded = roundDigits(digits, 15);
    pointAt += rounded.length - 15;
    digits = rounded;
  }
  let out: string;
  if (pointAt <= 0) out = `0.${"0".repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + "0".repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  if (out.includes(".")) out = out.replace(/0+$/, "").replace(/\.$/, "");
  return sign === "-" && /[1-9]/.test(out) ? `-${out}` : out;
}

/** The first `keep` digits of `digits`, rounded half up (may gain a digit: 999 → 1000). */
function roundDigits(digits: string, keep: number): string {
  const head = digits.slice(0, keep).split("").map(Number);
  if (Number(digits[keep]) >= 5) {
    let i = keep - 1;
    while (i >= 0 && head[i] === 9) head[i--] = 0;
    if (i < 0) head.unshift(1);
    else head[i] += 1;
  }
  return head.join("");
}

/**
 * Collects rows as they are read: trims, drops empty rows, counts against the limit. The first
 * non-empty row is the header.
 */
class RowCollector {
  private header: string[] | undefined;
  private readonly rows: string[][] = [];
  /** Non-empty rows taken so far, header included. */
  seen = 0;

  /** Throws too_many_rows as soon as the limit is passed, so the reader stops early. */
  add(raw: readonly unknown[]): void {
    const cells = raw.map((cell) => (cell === null || cell === undefined ? "" : String(cell).trim()));
    if (cells.every((cell) => cell === "")) return;
    this.seen += 1;
    if (!this.header) {
      cells[0] = cells[0].replace(/^\uFEFF+/, "").trim();
      this.header = cells;
      return;
    }
    if (this.rows.length >= MAX_IMPORT_ROWS) {
      throw new ImportFileError(
        "too_many_rows",
        `the file has more than ${MAX_IMPORT_ROWS.toLocaleString("en")} rows: split it into smaller files`,
      );
    }
    this.rows.push(cells);
  }

  finish(): { headers: string[]; rows: string[][] } {
    if (!this.header) throw new ImportFileError("empty", "the file holds no rows");
    if (this.rows.length === 0) throw new ImportFileError("empty", "the file holds a header row but no data rows");
    const raw = this.header;
    // Trailing unnamed columns are dropped (with whatever they hold: rows are cut to the header).
    let width = raw.length;
    while (width > 0 && raw[width - 1] === "") width--;
    // An unnamed column inside is dropped when it is empty throughout (a spacer), refused when not.
    const keep: number[] = [];
    for (let c = 0; c < width; c++) {
      if (raw[c] !== "") {
        keep.push(c);
        continue;
      }
      if (this.rows.some((row) => (row[c] ?? "") !== "")) {
        throw new ImportFileError("no_header", `column ${c + 1} holds values but has no header`);
      }
    }
    const headers = uniqueHeaders(keep.map((c) => raw[c]));
    const allSameShape = keep.length === width && keep.every((c, i) => c === i);
    const rows = this.rows.map((row) => {
      if (allSameShape && row.length === width) return row;
      return keep.map((c) => row[c] ?? "");
    });
    return { headers, rows };
  }
}

/** "Name", "Name" → "Name", "Name (2)"; compared case-insensitively, never clashing with a real one. */
function uniqueHeaders(headers: string[]): string[] {
  const taken = new Set(headers.map((h) => h.toLowerCase()));
  const seen = new Set<string>();
  return headers.map((header) => {
    const key = header.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return header;
    }
    let n = 2;
    while (taken.has(`${key} (${n})`) || seen.has(`${key} (${n})`)) n++;
    const unique = `${header} (${n})`;
    seen.add(unique.toLowerCase());
    taken.add(unique.toLowerCase());
    return unique;
  });
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The OLE compound file signature of old .xls (and .doc) files. */
function isOleCompound(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}
