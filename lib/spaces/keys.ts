/** TanStack Query keys of the spaces feature. */
export const spaceKeys = {
  all: ["spaces"] as const,
  lists: () => [...spaceKeys.all, "list"] as const,
  list: (page: number, pageSize: number) => [...spaceKeys.lists(), { page, pageSize }] as const,
};
