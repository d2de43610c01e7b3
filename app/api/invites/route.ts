import { getDb } from "@/lib/db";
import { parseQuery, route } from "@/lib/http/route";
import { inviters, listInvites } from "@/lib/invites/ledger";
import { ListInvitesQuery } from "@/lib/invites/validation";

/** Every invite across spaces, filtered, searched, sorted and paginated here; plus who has invited (for the filter). */
export const GET = route("invites.read", async ({ request }) => {
  const query = parseQuery(request, ListInvitesQuery);
  const db = await getDb();
  const [page, inviterList] = await Promise.all([listInvites(db, query), inviters(db)]);
  return { ...page, inviters: inviterList };
});
