import { getPartnerClient } from "@/lib/partner-api";
import { parseBody, parseQuery, route, ValidationError } from "@/lib/http/route";
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
export const POST = route("spaces.write", async ({ request, user }) => {
  const key = request.headers.get("idempotency-key")?.trim();
  if (!key || key.length > 200) throw new ValidationError({ idempotencyKey: ["required"] }, "The Idempotency-Key header is required.");
  const input = await parseBody(request, CreateSpaceInput);
  const { db, client } = await spaceDeps();
  return createSpace(db, client, user, input, key);
});
