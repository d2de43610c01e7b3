import { getPartnerClient } from "@/lib/partner-api";
import { parseQuery, route } from "@/lib/http/route";
import { SpacesPageQuery } from "@/lib/spaces/list-query";

/** One page of the partner's spaces, straight from the partner API. */
export const GET = route("spaces.read", async ({ request }) => {
  const { page, pageSize } = parseQuery(request, SpacesPageQuery);
  return getPartnerClient().getSpaces({ page, pageSize });
});
