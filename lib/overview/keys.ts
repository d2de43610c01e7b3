/** TanStack Query keys of the overview. */
export const overviewKeys = {
  all: ["overview"] as const,
  figures: () => [...overviewKeys.all, "figures"] as const,
};
