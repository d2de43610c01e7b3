import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { createInvite, spaceInvites } from "@/lib/invites/ledger";
import { CreateInviteInput } from "@/lib/invites/validation";
import { getPartnerClient } from "@/lib/partner-api";

type Params = { id: string };

/** The space's invites from the ledger, newest first. */
export const GET = route<Params>("invites.read", async ({ params }) => ({ invites: await spaceInvites(await getDb(), params.id) }));

/** Invites a customer once per Idempotency-Key: a double submit sends one e-mail. */
export const POST = route<Params>({ permission: "invites.create", idempotent: true }, async ({ params, request, user, idempotencyKey: key }) => {
  const input = await parseBody(request, CreateInviteInput);
  const db = await getDb();
  return { invite: await createInvite(db, getPartnerClient(), user, params.id, input, key) };
});
