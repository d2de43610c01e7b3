/**
 * Small pure label decisions of the spaces UI, so components stay free of string logic.
 */
import type { SearchField } from "./types";

/** Message key under `search.fields` for what a hit matched; an external id says whether it is a MeLo or a MaLo. */
export type MatchLabel = Exclude<SearchField, "externalId"> | "melo" | "malo" | "externalId";

export function matchLabel(field: SearchField, value: string): MatchLabel {
  if (field !== "externalId") return field;
  const compact = value.replace(/[\s.]/g, "").toUpperCase();
  if (/^DE[0-9A-Z]{31}$/.test(compact)) return "melo";
  if (/^[1-9]\d{10}$/.test(compact)) return "malo";
  return "externalId";
}

/** "Region Nord › Lindenstraße 12" */
export function parentPath(ancestors: readonly { name: string }[]): string {
  return ancestors.map((a) => a.name).join(" › ");
}

/** Error codes the validation schemas and the server use as messages; anything else is "invalid". */
export const FIELD_ERROR_CODES = ["required", "tooLong", "invalid", "empty", "email", "control", "lineBreak", "invalidId"] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/**
 * How to show a field's error: a known code is translated; a sentence from the server (e.g. why a
 * move would make a cycle) is shown as is; any other code falls back to the generic "invalid".
 */
export function fieldErrorDisplay(message: string | undefined): { code: FieldErrorCode } | { text: string } | null {
  if (!message) return null;
  if ((FIELD_ERROR_CODES as readonly string[]).includes(message)) return { code: message as FieldErrorCode };
  return /\s/.test(message.trim()) ? { text: message } : { code: "invalid" };
}
