/**
 * Text hygiene, for what the browser sends and for what the partner API returns.
 *
 * PostgreSQL refuses a NUL in text and jsonb, and a lone UTF-16 surrogate cannot be encoded as
 * UTF-8 at all; other control characters are invisible and break CSV, logs and search. So:
 * - input from a person is refused at the field (`findTextProblems`, used by route());
 * - records from upstream are cleaned before they are stored (`cleanRecord`), never refused:
 *   one odd record must not stop a refresh for everybody.
 * No `server-only`: the forms use the same rule in the browser.
 */

/** C0 controls except tab, LF and CR; DEL; C1 controls; the non-characters U+FFFE and U+FFFF. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
const LINE_BREAKS_AND_TABS_ALL = /[\t\n\r]+/g;

export type TextProblem = "control" | "lineBreak" | "tooLong";

/** Why a single-line (or, with `multiline`, a multi-line) string is refused; null when it is fine. */
export function textProblem(value: string, { multiline = false, maxLength = Infinity } = {}): TextProblem | null {
  if (CONTROL.test(value) || !value.isWellFormed()) return "control";
  if (!multiline && LINE_BREAK_OR_TAB.test(value)) return "lineBreak";
  if (value.length > maxLength) return "tooLong";
  return null;
}

export interface InputRules {
  /** Field names (the last path segment) where tabs and line breaks make sense. */
  multiline?: ReadonlySet<string>;
  /** Longest string anywhere in the input, unless `longFields` names the field. */
  maxStringLength?: number;
  /** Field names allowed up to `maxLongLength` (e.g. a base64 PDF). */
  longFields?: ReadonlySet<string>;
  maxLongLength?: number;
  /** Deepest nesting of arrays and objects. */
  maxDepth?: number;
}

/** Generous for every form the dashboard has; a 1 MB string or a 10,000-deep array is refused. */
export const DEFAULT_INPUT_RULES = { maxStringLength: 10_000, maxLongLength: 4_000_000, maxDepth: 16 } as const;

/**
 * Every string in a parsed JSON value (object keys too) checked against the rules, as field
 * errors keyed like zod's paths (`readings.0.value`). Iterative, so a hostile nesting depth
 * cannot overflow the stack; an input deeper than `maxDepth` is one error at its root.
 */
export function findTextProblems(input: unknown, rules: InputRules = {}): Record<string, TextProblem[]> {
  const { multiline = new Set<string>(), longFields = new Set<string>() } = rules;
  const maxStringLength = rules.maxStringLength ?? DEFAULT_INPUT_RULES.maxStringLength;
  const maxLongLength = rules.maxLongLength ?? DEFAULT_INPUT_RULES.maxLongLength;
  const maxDepth = rules.maxDepth ?? DEFAULT_INPUT_RULES.maxDepth;
  // A Map: keys such as "constructor" or "__proto__" are data here, not Object.prototype.
  const problems = new Map<string, TextProblem[]>();
  const add = (path: readonly (string | number)[], problem: TextProblem) => {
    const key = path.length > 0 ? path.join(".") : "body";
    const list = problems.get(key) ?? [];
    if (!list.includes(problem)) problems.set(key, [...list, problem]);
  };
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      const field = String(path.findLast((segment) => typeof segment === "string") ?? "");
      const problem = textProblem(value, {
        multiline: multiline.has(field),
        maxLength: longFields.has(field) ? maxLongLength : maxStringLength,
      });
      if (problem) add(path, problem);
    } else if (value !== null && typeof value === "object") {
      if (path.length >= maxDepth) {
        add(path.slice(0, 1), "tooLong");
        continue;
      }
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      for (const [key, inner] of entries) {
        if (typeof key === "string" && textProblem(key, { maxLength: 200 })) add([...path, "key"], "control");
        stack.push({ value: inner, path: [...path, key] });
      }
    }
  }
  return Object.fromEntries(problems);
}

/** Longest string kept from an upstream record (names, addresses and ids are far shorter). */
export const UPSTREAM_MAX_STRING = 2_000;

/**
 * A single line of text safe to store and show: control characters removed, tabs and line
 * breaks folded to one space, lone surrogates replaced by U+FFFD, at most `maxLength` long.
 */
export function cleanText(value: string, maxLength = UPSTREAM_MAX_STRING): string {
  let out = value;
  if (CONTROL.test(out)) out = out.replace(CONTROL_ALL, "");
  if (LINE_BREAK_OR_TAB.test(out)) out = out.replace(LINE_BREAKS_AND_TABS_ALL, " ");
  if (out.length > maxLength) out = out.slice(0, maxLength);
  // Last, so a cut through a surrogate pair cannot leave half of it behind.
  return out.isWellFormed() ? out : out.toWellFormed();
}

/**
 * A copy of an upstream record with every string (and key) cleaned, and whether anything had to
 * change, so a refresh can count the records it cleaned. Unchanged records are returned as they are.
 */
export function cleanRecord<T>(record: T, maxLength = UPSTREAM_MAX_STRING): { value: T; cleaned: boolean } {
  let cleaned = false;
  const visit = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") {
      const out = cleanText(value, maxLength);
      if (out !== value) cleaned = true;
      return out;
    }
    if (value === null || typeof value !== "object") return value;
    // Nothing the dashboard stores nests this deep: drop it rather than store it unchecked.
    if (depth > 32) {
      cleaned = true;
      return null;
    }
    if (Array.isArray(value)) return value.map((v) => visit(v, depth + 1));
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        const cleanKey = cleanText(key, 200);
        if (cleanKey !== key) cleaned = true;
        return [cleanKey, visit(inner, depth + 1)];
      }),
    );
  };
  const value = visit(record, 0) as T;
  return cleaned ? { value, cleaned } : { value: record, cleaned };
}
