import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";
import { listImportRows } from "@/lib/imports/jobs";
import { ImportRowsQuery } from "@/lib/imports/schemas";

/** The job's rows in file order, filtered by plan (preview) or state (result), keyset by row number. */
export const GET = route<{ id: string }>("onboarding.write", async ({ params, request, user }) => {
  const query = parseQuery(request, ImportRowsQuery);
  return listImportRows(await getDb(), user, params.id, query);
});
