import { getTranslations } from "next-intl/server";
import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";
import { getImportJob, importCsvStream } from "@/lib/imports/jobs";
import { describeRowProblem } from "@/lib/imports/describe";
import { ImportCsvQuery } from "@/lib/imports/schemas";

/** `errors`: the rows to fix, as uploaded plus the reason; `result`: every row with its outcome and ids. */
export const GET = route<{ id: string }>("onboarding.write", async ({ params, request, user }) => {
  const { kind } = parseQuery(request, ImportCsvQuery);
  const db = await getDb();
  const job = await getImportJob(db, user, params.id);
  const t = await getTranslations("imports");
  const stream = importCsvStream(db, job, kind, (row) => describeRowProblem((key, values) => t(key as never, values as never), job.headers, job.mapping, row));
  const base = job.fileName.replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "_").slice(0, 80) || "import";
  return new Response(stream, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${base}-${kind === "errors" ? "fehler" : "ergebnis"}.csv"` } });
});
