import { listAuditLog } from "@/lib/audit/query";
import { AuditPageQuery } from "@/lib/audit/schemas";
import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";

/** The whole audit log, filtered, newest first, 50 at a time (managers only). */
export const GET = route("audit.read", async ({ request }) => {
  const { before, ...filter } = parseQuery(request, AuditPageQuery);
  return listAuditLog(await getDb(), filter, before);
});
