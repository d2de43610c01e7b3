/** Kinds of object an audit row is about; the filter offers these. */
export const AUDIT_TARGET_TYPES = ["space", "device", "invite", "user", "staff", "customer", "contract", "import"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One row of the audit log as the browser sees it (details already stripped of secrets and links). */
export interface AuditLogEntry {
  id: number;
  at: string;
  /** E-mail of the staff member; null for the system or a failed sign-in of an unknown person. */
  actor: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown> | null;
  outcome: "ok" | "error";
  upstreamStatus: number | null;
  errorMessage: string | null;
}

/** GET /api/audit */
export interface AuditLogPage {
  entries: AuditLogEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: number | null;
}
