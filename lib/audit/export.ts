import "server-only";
import Papa from "papaparse";
import type { Database } from "@/lib/db";
import { TIME_ZONE, type Locale } from "@/lib/i18n/config";
import { describeAudit, type MessageTranslator } from "./describe";
import { auditBatches } from "./query";
import type { AuditFilter } from "./schemas";
import type { AuditLogEntry } from "./types";

/** Cells a spreadsheet would run as a formula (papaparse's own pattern misses cells with a line break). */
const FORMULA_START = /^[=+\-@\t\r]/;

export interface AuditCsvOptions {
  locale: Locale;
  /** Translator of all messages: the summary column is in the reader's language. */
  t: MessageTranslator;
  /** The column headings, in the reader's language. */
  headings: Record<(typeof COLUMNS)[number], string>;
}

export const COLUMNS = ["at", "actor", "actorRole", "action", "summary", "targetType", "targetId", "outcome", "upstreamStatus", "errorMessage", "details"] as const;

/**
 * The filtered audit log as CSV, streamed: rows are read a batch at a time (keyset, newest first)
 * while earlier batches are already on the wire, so 100,000 rows never sit in memory together.
 * German spreadsheets expect ";" between fields, English ","; both get a BOM so Excel reads UTF-8.
 * Cells starting with = + - @ are escaped (papaparse's escapeFormulae), so a name typed into the
 * dashboard cannot become a formula in a manager's spreadsheet.
 */
export function auditCsvStream(db: Database, filter: AuditFilter, options: AuditCsvOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const delimiter = options.locale === "de" ? ";" : ",";
  const time = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, dateStyle: "short", timeStyle: "medium" });
  const unparse = (data: unknown[][]) => Papa.unparse(data, { delimiter, newline: "\r\n", escapeFormulae: FORMULA_START }) + "\r\n";
  const toCells = (e: AuditLogEntry) => [
    time.format(new Date(e.at)),
    e.actor ?? "",
    e.actorRole ?? "",
    e.action,
    describeAudit(options.t, e),
    e.targetType,
    e.targetId,
    e.outcome,
    e.upstreamStatus ?? "",
    e.errorMessage ?? "",
    e.details ? JSON.stringify(e.details) : "",
  ];
  const batches = auditBatches(db, filter);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + unparse([COLUMNS.map((c) => options.headings[c])])));
    },
    // Pull: the next batch is read only when the client has taken the previous one.
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(unparse(next.value.map(toCells))));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
