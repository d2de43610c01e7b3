import { describe, expect, it } from "vitest";
import { highlightSegments } from "./highlight";
import { fieldErrorDisplay, matchLabel, parentPath } from "./labels";

const marked = (text: string, q: string) =>
  highlightSegments(text, q)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join("");

describe("highlightSegments", () => {
  it("marks the query case-insensitively, every occurrence", () => {
    expect(marked("Lindenstraße 12, Linden", "linden")).toBe("[Linden]straße 12, [Linden]");
  });

  it("marks each word of a MeLo typed with spaces", () => {
    expect(marked("DE00056266802AO6G56M11SN51G21M24S", "de 000562 66802")).toBe("[DE00056266802]AO6G56M11SN51G21M24S");
  });

  it("merges overlapping matches and keeps the text intact", () => {
    const segments = highlightSegments("aaab", "aa a");
    expect(segments.map((s) => s.text).join("")).toBe("aaab");
    expect(marked("aaab", "aa a")).toBe("[aaa]b");
  });

  it("marks nothing for an empty query or no match", () => {
    expect(marked("Hauptstraße", "   ")).toBe("Hauptstraße");
    expect(marked("Hauptstraße", "xyz")).toBe("Hauptstraße");
    expect(highlightSegments("", "a")).toEqual([]);
  });
});

describe("labels", () => {
  it("tells a MeLo from a MaLo", () => {
    expect(matchLabel("externalId", "DE00056266802AO6G56M11SN51G21M24S")).toBe("melo");
    expect(matchLabel("externalId", "41373559241")).toBe("malo");
    expect(matchLabel("externalId", "X-1")).toBe("externalId");
    expect(matchLabel("email", "a@b.de")).toBe("email");
  });

  it("joins the parent path", () => {
    expect(parentPath([{ name: "Region Nord" }, { name: "Lindenstraße 12" }])).toBe("Region Nord › Lindenstraße 12");
  });

  it("translates known codes, shows server sentences, and falls back to invalid", () => {
    expect(fieldErrorDisplay("tooLong")).toEqual({ code: "tooLong" });
    expect(fieldErrorDisplay("Would create a cycle.")).toEqual({ text: "Would create a cycle." });
    expect(fieldErrorDisplay("weird_code")).toEqual({ code: "invalid" });
    expect(fieldErrorDisplay(undefined)).toBeNull();
  });
});
