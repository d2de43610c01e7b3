import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { resendInvite } from "@/lib/invites/ledger";
import { ResendInviteInput } from "@/lib/invites/validation";
import { getPartnerClient } from "@/lib/partner-api";

/** Sends the invite e-mail again (managers); within 10 minutes of the last one only with confirmRecent. */
export const POST = route<{ id: string }>("invites.manage", async ({ params, request, user }) => {
  const input = await parseBody(request, ResendInviteInput);
  const db = await getDb();
  return { invite: await resendInvite(db, getPartnerClient(), user, params.id, input) };
});
