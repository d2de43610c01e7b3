import { describe, expect, it } from "vitest";
import { fromBerlinLocal, toBerlinLocal } from "./time";

const utc = (iso: string) => Date.parse(iso) / 1000;

describe("Europe/Berlin local time ↔ epoch seconds", () => {
  it("winter time is UTC+1, summer time UTC+2", () => {
    expect(fromBerlinLocal("2026-01-15T12:00")).toEqual({ kind: "ok", seconds: utc("2026-01-15T11:00:00Z") });
    expect(fromBerlinLocal("2026-07-15T12:00")).toEqual({ kind: "ok", seconds: utc("2026-07-15T10:00:00Z") });
  });
  it("spring forward (last Sunday of March, 2026-03-29): 02:30 does not exist, 01:59 and 03:00 do", () => {
    expect(fromBerlinLocal("2026-03-29T02:30")).toEqual({ kind: "gap" });
    expect(fromBerlinLocal("2026-03-29T01:59")).toEqual({ kind: "ok", seconds: utc("2026-03-29T00:59:00Z") });
    expect(fromBerlinLocal("2026-03-29T03:00")).toEqual({ kind: "ok", seconds: utc("2026-03-29T01:00:00Z") });
  });
  it("fall back (last Sunday of October, 2026-10-25): 02:30 happens twice, an hour apart", () => {
    expect(fromBerlinLocal("2026-10-25T02:30")).toEqual({ kind: "ambiguous", earlier: utc("2026-10-25T00:30:00Z"), later: utc("2026-10-25T01:30:00Z") });
    expect(fromBerlinLocal("2026-10-25T03:30")).toEqual({ kind: "ok", seconds: utc("2026-10-25T02:30:00Z") });
  });
  it("reads instants back as Berlin wall-clock time on both sides of each change", () => {
    expect(toBerlinLocal(utc("2026-03-29T00:59:00Z"))).toBe("2026-03-29T01:59");
    expect(toBerlinLocal(utc("2026-03-29T01:00:00Z"))).toBe("2026-03-29T03:00");
    expect(toBerlinLocal(utc("2026-10-25T00:30:00Z"))).toBe("2026-10-25T02:30");
    expect(toBerlinLocal(utc("2026-10-25T01:30:00Z"))).toBe("2026-10-25T02:30");
  });
  it("refuses what is not a date and time", () => {
    expect(fromBerlinLocal("2026-02-30T10:00")).toEqual({ kind: "invalid" });
    expect(fromBerlinLocal("gestern")).toEqual({ kind: "invalid" });
  });
});
