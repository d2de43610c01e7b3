import type { ImportField } from "./columns";

export type ImportJobStatus = "draft" | "queued" | "running" | "paused" | "cancelled" | "done";
export type RowPlan = "create" | "update" | "unchanged" | "error";
export type RowState = "pending" | "running" | "done" | "failed" | "skipped";

export interface JobCounts {
  total: number;
  plan: Record<RowPlan, number>;
  state: Record<RowState, number>;
}

/** One row as the preview and the job page show it. */
export interface ImportRowView {
  rowNo: number;
  cells: string[];
  errors: Partial<Record<ImportField, string[]>> | null;
  plan: RowPlan;
  state: RowState;
  attempts: number;
  outcome: Record<string, string | null> | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface ImportRowsPage {
  rows: ImportRowView[];
  nextAfter: number | null;
}

/** GET /api/imports/:id */
export interface ImportJobView {
  id: string;
  fileName: string;
  owner: string;
  status: ImportJobStatus;
  headers: string[];
  mapping: Partial<Record<ImportField, number>>;
  existing: "update" | "skip";
  counts: JobCounts;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  /** A 429 from the partner API: the job waits until then (null once that has passed). */
  pausedUntil: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  recentErrors: ImportRowView[];
}
