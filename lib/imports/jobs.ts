import "server-only";
import { and, asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import Papa from "papaparse";
import { auditSafely, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { importJobs, importRows, type ImportJobRow } from "@/lib/db/schema";
import { AppError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/input/id";
import type { PartnerClient } from "@/lib/partner-api";
import { guessMapping, IMPORT_FIELDS, type ImportField } from "./columns";
import { planRows, type PlannedRow } from "./preview";
import type { ImportJobView, ImportRowView, ImportRowsPage, JobCounts } from "./types";

/** Cells a spreadsheet would run as a formula (papaparse's own pattern misses cells with a line break). */
const FORMULA_START = /^[=+\-@\t\r]/;

const INSERT_BATCH = 1_000;

/** A new draft job from an uploaded file: columns guessed, every row checked. Nothing is sent yet. */
export async function createImportJob(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  file: { fileName: string; headers: string[]; rows: string[][] },
): Promise<ImportJobView> {
  const mapping = guessMapping(file.headers);
  const planned = await planRows(db, client, file.rows, mapping, "skip");
  const [job] = await db
    .insert(importJobs)
    .values({ staffId: actor.id, staffEmail: actor.email, fileName: file.fileName.slice(0, 200), headers: file.headers, mapping: mapping as Record<string, number> })
    .returning();
  await insertRows(db, job.id, planned);
  return jobView(db, job);
}

async function insertRows(db: Database, jobId: string, planned: readonly PlannedRow[]): Promise<void> {
  for (let i = 0; i < planned.length; i += INSERT_BATCH) {
    await db.insert(importRows).values(
      planned.slice(i, i + INSERT_BATCH).map((r) => ({
        jobId,
        rowNo: r.rowNo,
        cells: r.cells,
        values: r.values,
        errors: r.errors,
        plan: r.plan,
        state: r.plan === "create" || r.plan === "update" ? ("pending" as const) : ("skipped" as const),
      })),
    );
  }
}

/** A corrected mapping or another choice for what exists: every row is checked again. Drafts only. */
export async function replanImportJob(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  id: string,
  change: { mapping: Partial<Record<ImportField, number>>; existing: "update" | "skip" },
): Promise<ImportJobView> {
  const job = await ownJob(db, actor, id);
  if (job.status !== "draft") throw new AppError(409, "import_started", "This import has started; its mapping can no longer change.");
  for (const index of Object.values(change.mapping)) {
    if (index !== undefined && (index < 0 || index >= job.headers.length)) throw new AppError(400, "invalid_input", "The mapping names a column the file does not have.", { fieldErrors: { mapping: ["invalid"] } });
  }
  const rows = await db.select({ cells: importRows.cells }).from(importRows).where(eq(importRows.jobId, id)).orderBy(asc(importRows.rowNo));
  const planned = await planRows(db, client, rows.map((r) => r.cells), change.mapping, change.existing);
  await db.transaction(async (tx) => {
    // Still a draft now (a Start in another tab may have come in while the rows were checked).
    const [still] = await tx
      .update(importJobs)
      .set({ mapping: change.mapping as Record<string, number>, existing: change.existing, updatedAt: new Date() })
      .where(and(eq(importJobs.id, id), eq(importJobs.status, "draft")))
      .returning({ id: importJobs.id });
    if (!still) throw new AppError(409, "import_started", "This import has started; its mapping can no longer change.");
    await tx.delete(importRows).where(eq(importRows.jobId, id));
    await insertRows(tx as unknown as Database, id, planned);
  });
  return getImportJob(db, actor, id);
}

/** Start, pause, resume, cancel: each a guarded update, so two clicks (or two instances) change it once. */
export async function controlImportJob(db: Database, actor: AuditActor, id: string, action: "start" | "pause" | "resume" | "cancel" | "retryFailed"): Promise<ImportJobView> {
  const job = await ownJob(db, actor, id);
  const transitions: Record<typeof action, { from: ImportJobRow["status"][]; to: ImportJobRow["status"] }> = {
    start: { from: ["draft"], to: "queued" },
    pause: { from: ["queued", "running"], to: "paused" },
    resume: { from: ["paused"], to: "queued" },
    cancel: { from: ["draft", "queued", "running", "paused"], to: "cancelled" },
    retryFailed: { from: ["done", "paused", "running", "queued"], to: "queued" },
  };
  const { from, to } = transitions[action];
  if (action === "retryFailed") {
    // Rows first: a worker must never see the job queued again before its rows are pending.
    return db.transaction(async (tx) => {
      await tx.update(importRows).set({ state: "pending", attempts: 0, nextAttemptAt: null, errorCode: null, errorMessage: null }).where(and(eq(importRows.jobId, id), eq(importRows.state, "failed")));
      const [changed] = await tx.update(importJobs).set({ status: to, finishedAt: null, updatedAt: new Date() }).where(and(eq(importJobs.id, id), inArray(importJobs.status, from))).returning();
      if (!changed) throw new AppError(409, "import_state", `This import is ${job.status}; it cannot ${action} now.`, { status: job.status });
    }).then(() => getImportJob(db, actor, id));
  }
  const [changed] = await db
    .update(importJobs)
    .set({ status: to, updatedAt: new Date(), ...(action === "start" ? { startedAt: new Date() } : {}) })
    .where(and(eq(importJobs.id, id), inArray(importJobs.status, from)))
    .returning();
  if (!changed) throw new AppError(409, "import_state", `This import is ${job.status}; it cannot ${action} now.`, { status: job.status });
  if (action === "cancel") {
    // Rows not sent yet will not be: the job's result says so. A row a worker holds but has not
    // started (no onboarding yet) is skipped too; the worker checks the job before each row.
    await db
      .update(importRows)
      .set({ state: "skipped", errorCode: "cancelled" })
      .where(and(eq(importRows.jobId, id), sql`(${importRows.state} = 'pending' or (${importRows.state} = 'running' and ${importRows.onboardingId} is null))`));
  }
  if (action === "start") {
    const counts = await countsOf(db, id);
    await auditSafely(db, { actor, action: "import.start", target: { type: "import", id }, summary: `Started the import of ${job.fileName}`, details: { fileName: job.fileName, ...counts.plan }, outcome: "ok" });
  }
  return getImportJob(db, actor, id);
}

/** The job as the job page shows it: who, state, counts, speed and the most recent errors. */
export async function getImportJob(db: Database, actor: AuditActor, id: string): Promise<ImportJobView> {
  return jobView(db, await ownJob(db, actor, id));
}

/**
 * A job of the caller's; managers see every job (they clean up after colleagues). 404 for
 * anyone else's, so ids of other people's imports are not confirmed.
 */
async function ownJob(db: Database, actor: AuditActor, id: string): Promise<ImportJobRow> {
  const [job] = isUuid(id) ? await db.select().from(importJobs).where(eq(importJobs.id, id)) : [];
  if (!job || (job.staffId !== actor.id && actor.role !== "manager")) throw new NotFoundError(`No import ${id}.`);
  return job;
}

export async function listImportJobs(db: Database, actor: AuditActor): Promise<ImportJobView[]> {
  const jobs = await db
    .select()
    .from(importJobs)
    .where(actor.role === "manager" ? undefined : eq(importJobs.staffId, actor.id))
    .orderBy(desc(importJobs.createdAt))
    .limit(50);
  return Promise.all(jobs.map((job) => jobView(db, job, { recentErrors: false })));
}

async function countsOf(db: Database, jobId: string): Promise<JobCounts> {
  const rows = await db
    .select({ plan: importRows.plan, state: importRows.state, n: count() })
    .from(importRows)
    .where(eq(importRows.jobId, jobId))
    .groupBy(importRows.plan, importRows.state);
  const counts: JobCounts = { total: 0, plan: { create: 0, update: 0, unchanged: 0, error: 0 }, state: { pending: 0, running: 0, done: 0, failed: 0, skipped: 0 } };
  for (const r of rows) {
    counts.total += r.n;
    counts.plan[r.plan] += r.n;
    counts.state[r.state] += r.n;
  }
  return counts;
}

async function jobView(db: Database, job: ImportJobRow, { recentErrors = true } = {}): Promise<ImportJobView> {
  const counts = await countsOf(db, job.id);
  const [speed] = await db
    .select({ n: count(), first: sql<string | null>`min(${importRows.finishedAt})::text`, last: sql<string | null>`max(${importRows.finishedAt})::text` })
    .from(importRows)
    .where(and(eq(importRows.jobId, job.id), inArray(importRows.state, ["done", "failed"])));
  const elapsedSeconds = speed.first && speed.last ? (Date.parse(speed.last) - Date.parse(speed.first)) / 1000 : 0;
  const rowsPerSecond = elapsedSeconds > 1 ? speed.n / elapsedSeconds : null;
  const remaining = counts.state.pending + counts.state.running;
  const errors = recentErrors
    ? await db
        .select()
        .from(importRows)
        .where(and(eq(importRows.jobId, job.id), eq(importRows.state, "failed")))
        .orderBy(desc(importRows.finishedAt))
        .limit(10)
    : [];
  return {
    id: job.id,
    fileName: job.fileName,
    owner: job.staffEmail,
    status: job.status,
    headers: job.headers,
    mapping: job.mapping as Partial<Record<ImportField, number>>,
    existing: job.existing,
    counts,
    rowsPerSecond,
    etaSeconds: rowsPerSecond && remaining > 0 ? Math.round(remaining / rowsPerSecond) : null,
    // Only while it lasts: the page says so, and nothing once it is over.
    pausedUntil: job.pausedUntil && job.pausedUntil.getTime() > Date.now() ? job.pausedUntil.toISOString() : null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    recentErrors: errors.map(rowView),
  };
}

function rowView(r: typeof importRows.$inferSelect): ImportRowView {
  return { rowNo: r.rowNo, cells: r.cells, errors: r.errors, plan: r.plan, state: r.state, attempts: r.attempts, outcome: r.outcome, errorCode: r.errorCode, errorMessage: r.errorMessage };
}

/** The preview table and the result list: rows in file order, filtered by plan or state, keyset by row number. */
export async function listImportRows(
  db: Database,
  actor: AuditActor,
  id: string,
  options: { plan?: PlannedRow["plan"]; state?: ImportRowView["state"]; after?: number; limit: number },
): Promise<ImportRowsPage> {
  await ownJob(db, actor, id);
  const rows = await db
    .select()
    .from(importRows)
    .where(
      and(
        eq(importRows.jobId, id),
        options.plan ? eq(importRows.plan, options.plan) : undefined,
        options.state ? eq(importRows.state, options.state) : undefined,
        options.after ? gt(importRows.rowNo, options.after) : undefined,
      ),
    )
    .orderBy(asc(importRows.rowNo))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit).map(rowView);
  return { rows: page, nextAfter: rows.length > options.limit ? page.at(-1)!.rowNo : null };
}

/**
 * A CSV of the job's rows, streamed: `errors` — the rows with errors, as uploaded plus a reason
 * column, to fix and upload again; `result` — every row with its outcome and the created ids.
 */
export function importCsvStream(db: Database, job: Pick<ImportJobView, "id" | "headers">, kind: "errors" | "result", describe: (row: ImportRowView) => string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const unparse = (data: unknown[][]) => Papa.unparse(data, { delimiter: ";", newline: "\r\n", escapeFormulae: FORMULA_START }) + "\r\n";
  const extra = kind === "errors" ? ["Fehler / Error"] : ["Zeile / Row", "Ergebnis / Outcome", "Grund / Reason", "customerId", "contractId", "spaceId", "deviceId", "inviteId"];
  let after = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("\uFEFF" + unparse([[...job.headers, ...extra]])));
    },
    async pull(controller) {
      const rows = await db
        .select()
        .from(importRows)
        .where(and(eq(importRows.jobId, job.id), gt(importRows.rowNo, after), kind === "errors" ? sql`(${importRows.plan} = 'error' or ${importRows.state} = 'failed')` : undefined))
        .orderBy(asc(importRows.rowNo))
        .limit(INSERT_BATCH);
      if (rows.length === 0) return controller.close();
      after = rows.at(-1)!.rowNo;
      const lines = rows.map((r) => {
        const view = rowView(r);
        if (kind === "errors") return [...r.cells, describe(view)];
        const o = r.outcome ?? {};
        return [...r.cells, r.rowNo, r.state === "done" ? r.plan : r.state, r.state === "done" ? "" : describe(view), o.customerId ?? "", o.contractId ?? "", o.spaceId ?? "", o.deviceId ?? "", o.inviteId ?? ""];
      });
      controller.enqueue(encoder.encode(unparse(lines)));
    },
  });
}

export { IMPORT_FIELDS };
