import type { AuditFilter } from "./schemas";

/** TanStack Query keys of the audit log page. */
export const auditKeys = {
  all: ["audit"] as const,
  list: (filter: AuditFilter) => [...auditKeys.all, "list", filter] as const,
};
