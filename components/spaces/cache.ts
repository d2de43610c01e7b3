import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { spaceKeys } from "@/lib/spaces/keys";

/**
 * After any space write, everything that shows spaces may be stale: tree levels, lists, lookups,
 * and the detail pages of the spaces involved (their children or breadcrumbs changed). A move
 * changes the breadcrumbs of every descendant too, so it refreshes all details.
 */
export function invalidateAfterSpaceWrite(queryClient: QueryClient, { ids = [], allDetails = false }: { ids?: (string | null | undefined)[]; allDetails?: boolean } = {}) {
  const keys: QueryKey[] = [spaceKeys.trees(), spaceKeys.lists(), spaceKeys.searches(), spaceKeys.index()];
  if (allDetails) keys.push(spaceKeys.details());
  else for (const id of ids) if (id) keys.push(spaceKeys.detail(id));
  return Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
