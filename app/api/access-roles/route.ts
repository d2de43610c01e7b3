import { getPartnerClient } from "@/lib/partner-api";
import { route } from "@/lib/http/route";

/** The partner's access roles, for the invite and add-user forms. */
export const GET = route("invites.read", async () => getPartnerClient().getAccessRoles());
