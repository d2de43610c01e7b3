/** One line of a space's activity (an audit row, without its details). */
export interface ActivityEntry {
  id: number;
  at: string;
  /** E-mail of the staff member; null for the system. */
  actor: string | null;
  action: string;
  targetType: string;
  targetId: string;
  /** Stripped of secrets and links; the summary is written from these in the reader's language. */
  details: Record<string, unknown> | null;
  outcome: "ok" | "error";
  errorMessage: string | null;
}

/** GET /api/spaces/:id/activity */
export interface ActivityPage {
  entries: ActivityEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: number | null;
}
