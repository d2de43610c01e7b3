import { parseQuery, route } from "@/lib/http/route";
import { freshSpaceDeps } from "@/lib/spaces/http";
import { treeChildren } from "@/lib/spaces/tree-query";
import type { TreeChildrenResponse } from "@/lib/spaces/types";
import { TreeQuery } from "@/lib/spaces/validation";

/** One level of the space tree from the index. */
export const GET = route("spaces.read", async ({ request }): Promise<TreeChildrenResponse> => {
  const { parent, category } = parseQuery(request, TreeQuery);
  const { db } = await freshSpaceDeps();
  return treeChildren(db, parent, category);
});
