import { fromBerlinLocal } from "./time";

/**
 * Rows copied from a spreadsheet: a time and a value per line, separated by a tab, semicolon or
 * several spaces. Times as "28.11.2026 14:00" or "2026-11-28 14:00" (Berlin); values with a
 * decimal comma or point ("1.234,5" and "1234.5" both work). Each line is judged on its own.
 */
export type PastedRow =
  | { line: number; text: string; ok: true; timestamp: number; value: number }
  | { line: number; text: string; ok: false; error: "format" | "time" | "gap" | "ambiguous" | "value" };

const GERMAN = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/;

export function parsePasted(text: string): PastedRow[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: index + 1, text: line.trim() }))
    .filter((l) => l.text.length > 0)
    .map(({ line, text }): PastedRow => {
      const cells = text.split(/\t|;|\s{2,}/).map((c) => c.trim()).filter(Boolean);
      if (cells.length < 2) return { line, text, ok: false, error: "format" };
      const local = toLocal(cells[0]);
      if (!local) return { line, text, ok: false, error: "time" };
      const time = fromBerlinLocal(local);
      if (time.kind === "invalid") return { line, text, ok: false, error: "time" };
      if (time.kind === "gap") return { line, text, ok: false, error: "gap" };
      if (time.kind === "ambiguous") return { line, text, ok: false, error: "ambiguous" };
      const value = parseNumber(cells[1]);
      if (value === null) return { line, text, ok: false, error: "value" };
      return { line, text, ok: true, timestamp: time.seconds, value };
    });
}

function toLocal(cell: string): string | null {
  const pad = (v: string) => v.padStart(2, "0");
  let m = GERMAN.exec(cell);
  if (m) return `${m[3]}-${pad(m[2])}-${pad(m[1])}T${pad(m[4])}:${m[5]}`;
  m = ISO.exec(cell);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${pad(m[4])}:${m[5]}`;
  return null;
}

/** "1.234,5" → 1234.5; "1234.5" → 1234.5; "1,5" → 1.5; anything else → null. */
export function parseNumber(cell: string): number | null {
  const text = cell.replace(/\s/g, "");
  let normalized: string;
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) normalized = text.replace(/\./g, "").replace(",", ".");
  else if (/^-?\d+(,\d+)?$/.test(text)) normalized = text.replace(",", ".");
  else if (/^-?\d+(\.\d+)?$/.test(text)) normalized = text;
  else return null;
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}
