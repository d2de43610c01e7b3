import { describe, expect, it } from "vitest";
import { editDistance, wordsOf } from "./search-words";

describe("editDistance (optimal string alignment)", () => {
  it("counts a swapped pair of neighbours as one edit", () => {
    expect(editDistance("lueebck", "luebeck")).toBe(1);
    expect(editDistance("nuernbreg", "nuernberg")).toBe(1);
  });
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("bremen", "bremen")).toBe(0);
    expect(editDistance("brmen", "bremen")).toBe(1);
    expect(editDistance("kiel", "kiez")).toBe(1);
    expect(editDistance("hamburg", "harburg")).toBe(1);
    expect(editDistance("koeln", "bonn")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("wordsOf", () => {
  it("keeps distinct words of four or more characters with a letter", () => {
    expect(wordsOf("wohnung 3 og lindenstrasse 12 10115 berlin berlin")).toEqual(["wohnung", "lindenstrasse", "berlin"]);
  });
});
