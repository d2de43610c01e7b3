/** TanStack Query keys of the devices feature (the one factory). */
export const deviceKeys = {
  all: ["devices"] as const,
  details: () => [...deviceKeys.all, "detail"] as const,
  detail: (id: string) => [...deviceKeys.details(), id] as const,
};
