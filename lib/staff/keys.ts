/** TanStack Query keys of the staff feature. */
export const staffKeys = {
  all: ["staff"] as const,
  list: () => [...staffKeys.all, "list"] as const,
};
