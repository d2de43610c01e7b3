import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { revokeInvite } from "@/lib/invites/ledger";
import { RevokeInviteInput } from "@/lib/invites/validation";
import { getPartnerClient } from "@/lib/partner-api";

/** Stops listing the invite as open (managers); removeUser also takes a joined customer out of the space. */
export const POST = route<{ id: string }>("invites.manage", async ({ params, request, user }) => {
  const input = await parseBody(request, RevokeInviteInput);
  const db = await getDb();
  return { invite: await revokeInvite(db, getPartnerClient(), user, params.id, input) };
});
