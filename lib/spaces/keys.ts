/**
 * TanStack Query keys of the spaces feature: the one factory, so invalidation can target a
 * whole family (every tree level, every search) without string literals.
 */
export const spaceKeys = {
  all: ["spaces"] as const,
  lists: () => [...spaceKeys.all, "list"] as const,
  list: (page: number, pageSize: number) => [...spaceKeys.lists(), { page, pageSize }] as const,
  /** Everything the tree shows: children of any parent, and paths to reveal a space. */
  trees: () => [...spaceKeys.all, "tree"] as const,
  /** Children of `root`, `orphans` or a space id; `category` only narrows the root level. */
  children: (parent: string, category: string | null = null) =>
    [...spaceKeys.trees(), "children", parent, { category }] as const,
  path: (id: string) => [...spaceKeys.trees(), "path", id] as const,
  searches: () => [...spaceKeys.all, "search"] as const,
  search: (q: string, withCustomers = false) => [...spaceKeys.searches(), q, { withCustomers }] as const,
  index: () => [...spaceKeys.all, "index"] as const,
  details: () => [...spaceKeys.all, "detail"] as const,
  detail: (id: string) => [...spaceKeys.details(), id] as const,
};
