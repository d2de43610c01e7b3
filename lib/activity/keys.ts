/** TanStack Query keys of the activity feature. */
export const activityKeys = {
  all: ["activity"] as const,
  space: (spaceId: string) => [...activityKeys.all, "space", spaceId] as const,
};
