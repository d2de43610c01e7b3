import { z } from "zod";
import { listSpaceActivity } from "@/lib/activity/space-activity";
import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";

const Query = z.object({ before: z.coerce.number().int().positive().optional() });

/** The space's slice of the audit log, newest first, 50 at a time (managers: DESIGN.md "Roles"). */
export const GET = route<{ id: string }>("audit.read", async ({ params, request }) => {
  const { before } = parseQuery(request, Query);
  return listSpaceActivity(await getDb(), params.id, before);
});
