/** TanStack Query keys of the system feature (connection status). */
export const systemKeys = {
  all: ["system"] as const,
  status: () => [...systemKeys.all, "status"] as const,
};
