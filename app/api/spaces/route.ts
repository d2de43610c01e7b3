import { getPartnerClient } from "@/lib/partner-api";
import { parseBody, parseQuery, route } from "@/lib/http/route";
import { SpacesPageQuery } from "@/lib/spaces/list-query";
import { spaceDeps } from "@/lib/spaces/http";
import { CreateSpaceInput } from "@/lib/spaces/validation";
import { createSpace } from "@/lib/spaces/writes";

/** One page of the partner's spaces, straight from the partner API. */
export const GET = route("spaces.read", async ({ request }) => {
  const { page, pageSize } = parseQuery(request, SpacesPageQuery);
  return getPartnerClient().getSpaces({ page, pageSize });
});

/** Creates a space once per Idempotency-Key (required): a double submit makes one space. */
export const POST = route({ permission: "spaces.write", idempotent: true }, async ({ request, user, idempotencyKey }) => {
  const input = await parseBody(request, CreateSpaceInput);
  const { db, client } = await spaceDeps();
  return createSpace(db, client, user, input, idempotencyKey);
});
