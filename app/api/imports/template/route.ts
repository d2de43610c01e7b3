import { route } from "@/lib/http/route";
import { importTemplateCsv } from "@/lib/imports/template";

/** The expected columns and two example rows, to fill in or to compare an ERP export with. */
export const GET = route("onboarding.write", async () => new Response(importTemplateCsv(), { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="import-vorlage.csv"' } }));
