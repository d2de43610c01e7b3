import type { ImportField } from "./columns";
import type { ImportRowView } from "./types";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * Why a row was not (or could not be) imported, in the reader's language: each field's problem
 * with the file's own column name ("PLZ: Bitte ausfüllen."), or the upstream reason of a failed row.
 * `t` translates the "imports" messages.
 */
export function describeRowProblem(t: Translate, headers: readonly string[], mapping: Partial<Record<ImportField, number>>, row: Pick<ImportRowView, "errors" | "errorCode" | "errorMessage" | "state">): string {
  if (row.errors) {
    return Object.entries(row.errors)
      .map(([field, codes]) => {
        const index = mapping[field as ImportField];
        const column = index === undefined ? t(`fields.${field}`) : (headers[index] ?? t(`fields.${field}`));
        return `${column}: ${(codes ?? []).map((code) => problemText(t, code)).join(" ")}`;
      })
      .join(" · ");
  }
  if (row.state === "failed" || row.errorCode) return [row.errorCode ? problemText(t, row.errorCode) : null, row.errorMessage].filter(Boolean).join(" — ");
  return "";
}

function problemText(t: Translate, code: string): string {
  const key = `problems.${code.replace(/\./g, "_")}`;
  try {
    const text = t(key);
    return text === key || text.startsWith("imports.") ? code : text;
  } catch {
    return code;
  }
}
