import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getOverview } from "@/lib/overview/queries";

/** The overview's figures and what needs attention (every role). */
export const GET = route("spaces.read", async () => getOverview(await getDb()));
