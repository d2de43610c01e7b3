import { getLocale, getTranslations } from "next-intl/server";
import { auditCsvStream, COLUMNS } from "@/lib/audit/export";
import type { MessageTranslator } from "@/lib/audit/describe";
import { AuditFilter } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";
import { isLocale, DEFAULT_LOCALE } from "@/lib/i18n/config";

/** The filtered audit log as a CSV download, streamed (managers only). */
export const GET = route("audit.read", async ({ request }) => {
  const filter = parseQuery(request, AuditFilter);
  const current = await getLocale();
  const locale = isLocale(current) ? current : DEFAULT_LOCALE;
  const [t, audit] = await Promise.all([getTranslations({ locale }), getTranslations({ locale, namespace: "audit.csv" })]);
  const headings = Object.fromEntries(COLUMNS.map((c) => [c, audit(c)])) as Record<(typeof COLUMNS)[number], string>;
  const stream = auditCsvStream(await getDb(), filter, { locale, t: t as unknown as MessageTranslator, headings });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${day}.csv"`,
    },
  });
});
