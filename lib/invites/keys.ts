/** TanStack Query keys of the invites feature. */
export const inviteKeys = {
  all: ["invites"] as const,
  lists: () => [...inviteKeys.all, "list"] as const,
  list: (filters: Record<string, string | number | undefined>) => [...inviteKeys.lists(), filters] as const,
  space: (spaceId: string) => [...inviteKeys.all, "space", spaceId] as const,
  accessRoles: () => [...inviteKeys.all, "access-roles"] as const,
};
