/** TanStack Query keys of the customers feature. */
export const customerKeys = {
  all: ["customers"] as const,
  lists: () => [...customerKeys.all, "list"] as const,
  list: (q: string, page: number) => [...customerKeys.lists(), { q, page }] as const,
  detail: (id: string) => [...customerKeys.all, "detail", id] as const,
  ofSpace: (spaceId: string) => [...customerKeys.all, "space", spaceId] as const,
};
