import { parseQuery, route } from "@/lib/http/route";
import { NotFoundError } from "@/lib/errors";
import { freshSpaceDeps } from "@/lib/spaces/http";
import { pathTo } from "@/lib/spaces/tree-query";
import { TreePathQuery } from "@/lib/spaces/validation";

/** The ancestors to expand to reveal a space. */
export const GET = route("spaces.read", async ({ request }) => {
  const { id } = parseQuery(request, TreePathQuery);
  const { db } = await freshSpaceDeps();
  const path = await pathTo(db, id);
  if (!path) throw new NotFoundError(`No space with id ${id}.`);
  return path;
});
