/** TanStack Query keys of the import feature. */
export const importKeys = {
  all: ["imports"] as const,
  list: () => [...importKeys.all, "list"] as const,
  job: (id: string) => [...importKeys.all, "job", id] as const,
  rows: (id: string, filter: string) => [...importKeys.all, "rows", id, filter] as const,
  presets: () => [...importKeys.all, "presets"] as const,
};
