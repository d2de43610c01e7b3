import { describe, expect, it } from "vitest";
import { parseNumber, parsePasted } from "./paste";

describe("parsePasted", () => {
  it("reads German and ISO times with tab or semicolon and marks each bad line with its reason", () => {
    const rows = parsePasted(["28.11.2026 14:00\t1.234,5", "2026-11-28 15:00;1234.6", "", "29.03.2026 02:30\t1", "gestern\t5", "28.11.2026 16:00\tviel", "nur eine Zelle"].join("\n"));
    expect(rows.map((r) => (r.ok ? [r.line, r.value] : [r.line, r.error]))).toEqual([
      [1, 1234.5],
      [2, 1234.6],
      [4, "gap"],
      [5, "time"],
      [6, "value"],
      [7, "format"],
    ]);
    expect(rows[0]).toMatchObject({ timestamp: Date.parse("2026-11-28T13:00:00Z") / 1000 });
  });
  it("asks about a time in the repeated autumn hour instead of guessing", () => {
    expect(parsePasted("25.10.2026 02:30\t10")[0]).toMatchObject({ ok: false, error: "ambiguous" });
  });
});

describe("parseNumber", () => {
  it("understands decimal commas and thousands points", () => {
    expect(parseNumber("1,5")).toBe(1.5);
    expect(parseNumber("12.345,67")).toBe(12345.67);
    expect(parseNumber("1234.5")).toBe(1234.5);
    expect(parseNumber("1.2.3")).toBeNull();
  });
});
