import { describe, expect, it } from "vitest";
import { cleanRecord, cleanText, DEFAULT_INPUT_RULES, findTextProblems, textProblem, UPSTREAM_MAX_STRING } from "@/lib/input/text";

const EMOJI = "\u{1F600}"; // a valid surrogate pair: "\ud83d\ude00"

describe("textProblem", () => {
  it("accepts ordinary text, umlauts and a valid surrogate pair", () => {
    expect(textProblem("Lindenstraße 4, Köln")).toBeNull();
    expect(textProblem(`Wohnung ${EMOJI}`)).toBeNull();
    expect(EMOJI.length).toBe(2);
  });

  it.each([
    ["NUL", "a\u0000b"],
    ["SOH", "a\u0001b"],
    ["backspace", "a\u0008b"],
    ["vertical tab", "a\u000Bb"],
    ["form feed", "a\u000Cb"],
    ["unit separator", "a\u001Fb"],
    ["DEL", "a\u007Fb"],
    ["C1 NEL", "a\u0085b"],
    ["C1 APC", "a\u009Fb"],
    ["U+FFFE", "a\uFFFEb"],
    ["U+FFFF", "a\uFFFFb"],
    ["lone high surrogate", "a\ud800b"],
    ["lone low surrogate", "a\udc00b"],
    ["high surrogate at the end", "abc\ud83d"],
    ["low surrogate before a high one", "\ude00\ud83d"],
  ])("refuses %s as a control character", (_name, value) => {
    expect(textProblem(value)).toBe("control");
    // a control character is refused even where line breaks are allowed
    expect(textProblem(value, { multiline: true })).toBe("control");
  });

  it("does not refuse characters just outside the control ranges", () => {
    expect(textProblem("a\u00A0b")).toBeNull(); // no-break space, first after C1
    expect(textProblem("a\u0020b")).toBeNull();
    expect(textProblem("a\uFFFDb")).toBeNull();
  });

  it.each([
    ["tab", "a\tb"],
    ["line feed", "a\nb"],
    ["carriage return", "a\rb"],
  ])("refuses a %s in a single-line field but accepts it with multiline", (_name, value) => {
    expect(textProblem(value)).toBe("lineBreak");
    expect(textProblem(value, { multiline: true })).toBeNull();
  });

  it("refuses a string longer than maxLength, not one exactly that long", () => {
    expect(textProblem("abcde", { maxLength: 5 })).toBeNull();
    expect(textProblem("abcdef", { maxLength: 5 })).toBe("tooLong");
    expect(textProblem("x".repeat(1_000_000))).toBeNull(); // no limit by default
  });

  it("reports a control character before a line break before the length", () => {
    expect(textProblem("a\n\u0000bcdef", { maxLength: 2 })).toBe("control");
    expect(textProblem("a\nbcdef", { maxLength: 2 })).toBe("lineBreak");
  });
});

describe("findTextProblems", () => {
  it("returns no problems for a clean body", () => {
    expect(findTextProblems({ name: "Lindenstraße 4", note: `Hallo ${EMOJI}`, count: 3, ok: true, none: null })).toEqual({});
  });

  it("keys problems by the path of the field", () => {
    expect(findTextProblems({ name: "a\u0000b", city: "Köln" })).toEqual({ name: ["control"] });
    expect(findTextProblems({ readings: [{ value: "1" }, { value: "2\ud800" }] })).toEqual({ "readings.1.value": ["control"] });
    expect(findTextProblems({ address: { lineOne: "a\tb" } })).toEqual({ "address.lineOne": ["lineBreak"] });
  });

  it("keys a problem with a bare string body as `body`", () => {
    expect(findTextProblems("a\u0000")).toEqual({ body: ["control"] });
    expect(findTextProblems("fine")).toEqual({});
  });

  it("finds every problem in a body, not just the first", () => {
    expect(findTextProblems({ a: "\u0000", b: "x\ny", c: ["ok", "\udc00"] })).toEqual({
      a: ["control"],
      b: ["lineBreak"],
      "c.1": ["control"],
    });
  });

  it("allows tabs and line breaks only in the fields named in `multiline`", () => {
    const body = { note: "line one\nline two\tend", name: "a\nb", readings: [{ comment: "x\r\ny" }] };
    const rules = { multiline: new Set(["note", "comment"]) };
    expect(findTextProblems(body, rules)).toEqual({ name: ["lineBreak"] });
    expect(findTextProblems(body)).toEqual({ note: ["lineBreak"], name: ["lineBreak"], "readings.0.comment": ["lineBreak"] });
  });

  it("applies multiline by the last field name to the strings of an array", () => {
    expect(findTextProblems({ notes: ["a\nb", "c"] }, { multiline: new Set(["notes"]) })).toEqual({});
    expect(findTextProblems({ notes: ["a\nb", "c"] })).toEqual({ "notes.0": ["lineBreak"] });
  });

  it("still refuses control characters in multiline fields", () => {
    expect(findTextProblems({ note: "a\n\u0000" }, { multiline: new Set(["note"]) })).toEqual({ note: ["control"] });
  });

  it("limits strings to 10,000 characters by default", () => {
    expect(DEFAULT_INPUT_RULES.maxStringLength).toBe(10_000);
    expect(findTextProblems({ name: "x".repeat(10_000) })).toEqual({});
    expect(findTextProblems({ name: "x".repeat(10_001) })).toEqual({ name: ["tooLong"] });
    expect(findTextProblems({ list: ["x".repeat(10_001)] })).toEqual({ "list.0": ["tooLong"] });
  });

  it("honours a custom maxStringLength", () => {
    expect(findTextProblems({ name: "abcd" }, { maxStringLength: 3 })).toEqual({ name: ["tooLong"] });
    expect(findTextProblems({ name: "abc" }, { maxStringLength: 3 })).toEqual({});
  });

  it("allows longFields up to maxLongLength, and only those", () => {
    const pdf = "A".repeat(50_000);
    expect(findTextProblems({ pdf, name: "x" }, { longFields: new Set(["pdf"]) })).toEqual({});
    expect(findTextProblems({ pdf }, { longFields: new Set(["other"]) })).toEqual({ pdf: ["tooLong"] });
    expect(findTextProblems({ pdf: "A".repeat(101) }, { longFields: new Set(["pdf"]), maxLongLength: 100 })).toEqual({ pdf: ["tooLong"] });
    expect(findTextProblems({ pdf: "A".repeat(100) }, { longFields: new Set(["pdf"]), maxLongLength: 100 })).toEqual({});
  });

  it("allows a long field up to the default maxLongLength of 4,000,000", () => {
    const rules = { longFields: new Set(["declarationOfConsent"]) };
    expect(findTextProblems({ declarationOfConsent: "A".repeat(4_000_000) }, rules)).toEqual({});
    expect(findTextProblems({ declarationOfConsent: "A".repeat(4_000_001) }, rules)).toEqual({ declarationOfConsent: ["tooLong"] });
  });

  it("refuses object keys with control characters or line breaks", () => {
    const problems = findTextProblems({ ["na\u0000me"]: "ok" });
    expect(problems).toEqual({ key: ["control"] });
    expect(findTextProblems({ address: { ["line\none"]: "ok" } })).toEqual({ "address.key": ["control"] });
    expect(findTextProblems({ ["\ud800"]: "ok" })).toEqual({ key: ["control"] });
  });

  it("refuses a 10,000-deep nested array without throwing, as one error at its root", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    let problems: Record<string, string[]> = {};
    expect(() => (problems = findTextProblems({ items: deep }))).not.toThrow();
    expect(problems).toEqual({ items: ["tooLong"] });
    // and as the whole body
    expect(findTextProblems(deep)).toEqual({ "0": ["tooLong"] });
  });

  it("accepts nesting up to maxDepth and refuses one level more", () => {
    const nest = (levels: number) => {
      let value: unknown = "leaf";
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    // the root object is at depth 0, so maxDepth objects fit
    expect(findTextProblems(nest(3), { maxDepth: 3 })).toEqual({});
    expect(findTextProblems(nest(4), { maxDepth: 3 })).toEqual({ a: ["tooLong"] });
  });
});

describe("cleanText", () => {
  it("leaves clean text as it is", () => {
    expect(cleanText(`Lindenstraße 4 ${EMOJI}`)).toBe(`Lindenstraße 4 ${EMOJI}`);
  });

  it("removes NUL, other C0 controls, DEL, C1 controls and non-characters", () => {
    expect(cleanText("a\u0000b\u0001c\u007Fd\u0085e\u009Ff\uFFFEg\uFFFFh")).toBe("abcdefgh");
  });

  it("replaces lone surrogates with U+FFFD and keeps valid pairs", () => {
    expect(cleanText("a\ud800b")).toBe("a\uFFFDb");
    expect(cleanText("a\udc00b")).toBe("a\uFFFDb");
    expect(cleanText(`${EMOJI}\ud800`)).toBe(`${EMOJI}\uFFFD`);
  });

  it("folds tabs and line breaks to one space", () => {
    expect(cleanText("a\tb")).toBe("a b");
    expect(cleanText("a\r\n\r\nb")).toBe("a b");
    expect(cleanText("line one\nline two")).toBe("line one line two");
  });

  it("cuts a string longer than UPSTREAM_MAX_STRING, or than the given maximum", () => {
    expect(UPSTREAM_MAX_STRING).toBe(2_000);
    expect(cleanText("x".repeat(UPSTREAM_MAX_STRING))).toHaveLength(UPSTREAM_MAX_STRING);
    expect(cleanText("x".repeat(5_000))).toBe("x".repeat(UPSTREAM_MAX_STRING));
    expect(cleanText("abcdef", 3)).toBe("abc");
  });

  it("never cuts a surrogate pair in half when it shortens a string", () => {
    // 1,999 characters and an emoji (2 code units) are 2,001 code units long: a cut at 2,000
    // must not leave the emoji's high surrogate alone at the end (PostgreSQL cannot store it).
    const out = cleanText("x".repeat(UPSTREAM_MAX_STRING - 1) + EMOJI);
    expect(out.isWellFormed()).toBe(true);
    expect(out.length).toBeLessThanOrEqual(UPSTREAM_MAX_STRING);
    expect(cleanText(`ab${EMOJI}`, 3).isWellFormed()).toBe(true);
  });

  it("produces text that textProblem accepts", () => {
    const dirty = "a\u0000\tb\ud800\r\nc\u0085";
    expect(textProblem(cleanText(dirty))).toBeNull();
  });
});

describe("cleanRecord", () => {
  it("returns the same object when nothing needed cleaning", () => {
    const record = { id: "sp-1", name: `Haus ${EMOJI}`, tags: ["a", "b"], nested: { n: 1, ok: true, none: null } };
    const out = cleanRecord(record);
    expect(out.cleaned).toBe(false);
    expect(out.value).toBe(record);
  });

  it("returns a cleaned copy and leaves the original untouched", () => {
    const long = "y".repeat(UPSTREAM_MAX_STRING + 10);
    const record = {
      id: "sp-1",
      name: "Linden\u0000straße",
      city: "K\ud800ln",
      address: { lineOne: "Haupt\nstraße\t1" },
      notes: [long, "fine"],
      count: 3,
    };
    const snapshot = structuredClone(record);
    const out = cleanRecord(record);
    expect(out.cleaned).toBe(true);
    expect(out.value).not.toBe(record);
    expect(out.value).toEqual({
      id: "sp-1",
      name: "Lindenstraße",
      city: "K\uFFFDln",
      address: { lineOne: "Haupt straße 1" },
      notes: ["y".repeat(UPSTREAM_MAX_STRING), "fine"],
      count: 3,
    });
    expect(record).toEqual(snapshot);
  });

  it("cleans object keys too", () => {
    const out = cleanRecord({ ["na\u0000me"]: "x" } as Record<string, string>);
    expect(out).toEqual({ value: { name: "x" }, cleaned: true });
  });

  it("flags a record whose only change is a cut", () => {
    const out = cleanRecord({ text: "z".repeat(20) }, 10);
    expect(out).toEqual({ value: { text: "z".repeat(10) }, cleaned: true });
  });

  it("cleans a bare string and returns primitives as they are", () => {
    expect(cleanRecord("a\u0000")).toEqual({ value: "a", cleaned: true });
    expect(cleanRecord(42)).toEqual({ value: 42, cleaned: false });
    expect(cleanRecord(null)).toEqual({ value: null, cleaned: false });
  });

  it("does not throw on a 10,000-deep array", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => cleanRecord(deep)).not.toThrow();
  });

  it("never returns a NUL as clean, however deep it is", () => {
    // PostgreSQL refuses a NUL in jsonb: a record it cannot clean must not be reported as clean.
    let deep: unknown = "a\u0000";
    for (let i = 0; i < 40; i++) deep = { child: deep };
    const out = cleanRecord(deep);
    expect(JSON.stringify(out.value)).not.toContain("\\u0000");
    expect(out.cleaned).toBe(true);
  });
});
