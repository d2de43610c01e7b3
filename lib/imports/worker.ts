import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { auditSafely, type AuditActor } from "@/lib/audit";
import { accountState } from "@/lib/auth/staff";
import type { Database } from "@/lib/db";
import { importJobs, importRows, onboardings, type ImportJobRow, type ImportRowRow } from "@/lib/db/schema";
import { AppError, codeOf } from "@/lib/errors";
import { runOnboarding } from "@/lib/onboarding/run";
import type { OnboardingView } from "@/lib/onboarding/types";
import { PartnerApiError, type PartnerClient } from "@/lib/partner-api";

/**
 * The import worker. Any instance may run it; the database decides who works on what:
 * - a job is claimed with a lease (`FOR UPDATE SKIP LOCKED`, then lease_owner/lease_until), renewed
 *   while the worker lives; a lease that ran out (the instance died) is taken over by the next;
 * - rows are claimed in batches under the same lock, so no row is sent by two workers;
 * - each row is an onboarding run (lib/onboarding/run.ts) whose steps are saved as they are done
 *   and are idempotent upstream by the customer's and contract's external ids: a row cut off by a
 *   crash continues where it stopped, never twice.
 * Pace: IMPORT_CONCURRENCY rows at once, at most IMPORT_RATE_PER_SECOND rows started per second.
 * A 429 pauses the whole job for its Retry-After; a 5xx, a timeout or a lost answer is retried
 * with backoff, then the row is failed with its reason (and can be retried from the job page).
 */
export interface ImportSettings {
  concurrency: number;
  ratePerSecond: number;
  maxAttempts: number;
  leaseMs: number;
  batchSize: number;
}

export function importSettings(env: Record<string, string | undefined> = process.env): ImportSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const e = z
    .object({
      IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
      IMPORT_RATE_PER_SECOND: z.coerce.number().positive().max(1_000).default(10),
      IMPORT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
      IMPORT_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
    })
    .parse(present);
  return { concurrency: e.IMPORT_CONCURRENCY, ratePerSecond: e.IMPORT_RATE_PER_SECOND, maxAttempts: e.IMPORT_MAX_ATTEMPTS, leaseMs: e.IMPORT_LEASE_SECONDS * 1_000, batchSize: Math.max(8, e.IMPORT_CONCURRENCY * 4) };
}

/** This process's name in lease_owner (one per process; a restarted process is someone new). */
export const WORKER_ID = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Claims one job that is queued/running and not leased by a live worker. */
export async function claimJob(db: Database, owner: string, leaseMs: number, now = new Date()): Promise<ImportJobRow | null> {
  const until = new Date(now.getTime() + leaseMs);
  const { rows } = await db.execute<{ id: string; previous_owner: string | null }>(sql`
    with candidate as (
      select id, lease_owner from import_jobs
      where status in ('queued', 'running') and (lease_until is null or lease_until < ${now} or lease_owner = ${owner})
      order by created_at
      limit 1
      for update skip locked
    )
    update import_jobs j set lease_owner = ${owner}, lease_until = ${until}, status = 'running', updated_at = ${now}
    from candidate where j.id = candidate.id
    returning j.id, candidate.lease_owner as previous_owner`);
  const claimed = rows[0];
  if (!claimed) return null;
  if (claimed.previous_owner && claimed.previous_owner !== owner) {
    // Taken over from a dead worker: its rows in flight are carried on (their onboarding knows how far they got).
    await db.update(importRows).set({ state: "pending" }).where(and(eq(importRows.jobId, claimed.id), eq(importRows.state, "running")));
  }
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, claimed.id));
  return job ?? null;
}

/** Renews the lease; false when the job is no longer ours to work on (paused, cancelled, taken over). */
async function renewLease(db: Database, jobId: string, owner: string, leaseMs: number): Promise<ImportJobRow | null> {
  const [job] = await db
    .update(importJobs)
    .set({ leaseUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(importJobs.id, jobId), eq(importJobs.leaseOwner, owner), eq(importJobs.status, "running")))
    .returning();
  return job ?? null;
}

async function releaseLease(db: Database, jobId: string, owner: string): Promise<void> {
  await db.update(importJobs).set({ leaseOwner: null, leaseUntil: null }).where(and(eq(importJobs.id, jobId), eq(importJobs.leaseOwner, owner)));
}

/** Up to `limit` due rows of the job, marked running in the same statement. */
async function claimRows(db: Database, jobId: string, limit: number): Promise<ImportRowRow[]> {
  const { rows } = await db.execute<{ row_no: number }>(sql`
    with due as (
      select job_id, row_no from import_rows
      where job_id = ${jobId} and state = 'pending' and (next_attempt_at is null or next_attempt_at <= now())
      order by row_no
      limit ${limit}
      for update skip locked
    )
    update import_rows r set state = 'running'
    from due where r.job_id = due.job_id and r.row_no = due.row_no
    returning r.row_no`);
  if (rows.length === 0) return [];
  const numbers = rows.map((r) => Number(r.row_no));
  return db
    .select()
    .from(importRows)
    .where(and(eq(importRows.jobId, jobId), inArray(importRows.rowNo, numbers)))
    .orderBy(importRows.rowNo);
}

export interface WorkOptions {
  settings?: ImportSettings;
  owner?: string;
  /** Stops between rows (shutdown). */
  signal?: AbortSignal;
}

/**
 * Works on claimable jobs until none is left (or the signal stops it). Returns the number of
 * rows finished here. Safe to call from every instance at once.
 */
export async function workOnImports(db: Database, client: PartnerClient, options: WorkOptions = {}): Promise<number> {
  const settings = options.settings ?? importSettings();
  const owner = options.owner ?? WORKER_ID;
  let finished = 0;
  for (;;) {
    if (options.signal?.aborted) return finished;
    const job = await claimJob(db, owner, settings.leaseMs);
    if (!job) return finished;
    try {
      finished += await workOnJob(db, client, job, owner, settings, options.signal);
    } finally {
      await releaseLease(db, job.id, owner);
    }
  }
}

async function workOnJob(db: Database, client: PartnerClient, claimed: ImportJobRow, owner: string, settings: ImportSettings, signal?: AbortSignal): Promise<number> {
  const state = await accountState(db, claimed.staffId);
  if (!state || state.disabled) {
    await db.update(importJobs).set({ status: "paused", updatedAt: new Date() }).where(eq(importJobs.id, claimed.id));
    return 0;
  }
  const actor: AuditActor = { id: claimed.staffId, email: claimed.staffEmail, role: state.role };
  let finished = 0;
  let nextStart = Date.now();
  const spacing = 1_000 / settings.ratePerSecond;
  // The lease is renewed while a batch runs too (a slow upstream can make one outlast it); once a
  // renewal fails (paused, cancelled, taken over) no further row is started here.
  let lost = false;
  const keeper = setInterval(() => {
    void renewLease(db, claimed.id, owner, settings.leaseMs).then(
      (job) => (lost ||= !job),
      () => undefined, // the next renewal or the loop's own tries again
    );
  }, settings.leaseMs / 3);
  try {
    return await workOnBatches();
  } finally {
    clearInterval(keeper);
  }

  async function workOnBatches(): Promise<number> {
  for (;;) {
    if (signal?.aborted || lost) return finished;
    const job = await renewLease(db, claimed.id, owner, settings.leaseMs);
    if (!job) return finished; // paused, cancelled or no longer ours
    const wait = (job.pausedUntil?.getTime() ?? 0) - Date.now();
    if (wait > 0) {
      await sleep(Math.min(wait, settings.leaseMs / 3));
      continue;
    }
    const rows = await claimRows(db, job.id, settings.batchSize);
    if (rows.length === 0) {
      if (await finishIfDone(db, job, actor)) return finished;
      await sleep(Math.min(1_000, settings.leaseMs / 3)); // rows waiting for their retry time
      continue;
    }
    // Rows of one address go one after another: the contract's new space is found by its address.
    const groups = new Map<string, ImportRowRow[]>();
    for (const row of rows) {
      const v = row.values ?? {};
      const key = `${String(v.addressLineOne ?? "").toLowerCase()}|${String(v.postcode ?? "")}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const queue = [...groups.values()];
    const lanes = await Promise.allSettled(
      Array.from({ length: Math.min(settings.concurrency, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const row of group) {
            const start = Math.max(Date.now(), nextStart);
            nextStart = start + spacing;
            await sleep(start - Date.now());
            // Paused, cancelled, rate-limited or no longer ours since the batch was claimed: this row waits (or is skipped).
            const current = signal?.aborted || lost ? null : await jobState(db, job.id, owner);
            if (!current || current.status !== "running" || (current.pausedUntil?.getTime() ?? 0) > Date.now()) {
              await giveBack(db, row, current?.status === "cancelled" || (await jobState(db, job.id, null))?.status === "cancelled");
              continue;
            }
            if (await processRow(db, client, job, actor, row, settings)) finished++;
          }
        }
      }),
    );
    // A lane that failed (the database, not a row) leaves its rows running: they go back to pending.
    const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === "rejected");
    if (failure) {
      await db.update(importRows).set({ state: "pending" }).where(and(eq(importRows.jobId, job.id), eq(importRows.state, "running"), inArray(importRows.rowNo, rows.map((r) => r.rowNo))));
      throw failure.reason;
    }
  }
  }
}

/** The job's status as this worker should see it; null when another worker holds it (owner given). */
async function jobState(db: Database, jobId: string, owner: string | null): Promise<{ status: ImportJobRow["status"]; pausedUntil: Date | null } | null> {
  const [row] = await db.select({ status: importJobs.status, pausedUntil: importJobs.pausedUntil, leaseOwner: importJobs.leaseOwner }).from(importJobs).where(eq(importJobs.id, jobId));
  if (!row || (owner !== null && row.leaseOwner !== owner)) return null;
  return { status: row.status, pausedUntil: row.pausedUntil };
}

/** A claimed row not started: back to pending, or skipped when the job was cancelled meanwhile. */
async function giveBack(db: Database, row: ImportRowRow, cancelled: boolean): Promise<void> {
  await db
    .update(importRows)
    .set(cancelled ? { state: "skipped", errorCode: "cancelled" } : { state: "pending" })
    .where(and(eq(importRows.jobId, row.jobId), eq(importRows.rowNo, row.rowNo), eq(importRows.state, "running")));
}

/** One row, start to end; true when it reached done or failed (not when it waits for a retry). */
async function processRow(db: Database, client: PartnerClient, job: ImportJobRow, actor: AuditActor, row: ImportRowRow, settings: ImportSettings): Promise<boolean> {
  const where = and(eq(importRows.jobId, row.jobId), eq(importRows.rowNo, row.rowNo));
  try {
    let onboardingId = row.onboardingId;
    if (!onboardingId) {
      const [created] = await db.insert(onboardings).values({ kind: "customer", staffId: actor.id, staffEmail: actor.email, values: row.values ?? {} }).returning({ id: onboardings.id });
      onboardingId = created.id;
      await db.update(importRows).set({ onboardingId }).where(where);
    }
    const view = await runOnboarding(db, client, actor, onboardingId, { importJob: { id: job.id, rowNo: row.rowNo } }).catch((error: unknown) => {
      // Finished before, and the process died before the row said so: it is done, with that outcome.
      if (error instanceof AppError && error.code === "onboarding_done" && error.extra.onboarding) return error.extra.onboarding as OnboardingView;
      throw error;
    });
    const p = view.progress;
    const outcome = {
      customerId: p.customer?.customerId ?? null,
      contractId: p.contract?.contractId ?? null,
      spaceId: p.space?.spaceId ?? null,
      deviceId: p.device && "deviceId" in p.device ? p.device.deviceId : null,
      inviteId: p.invite && "inviteId" in p.invite ? p.invite.inviteId : null,
    };
    await db.update(importRows).set({ state: "done", outcome, errorCode: null, errorMessage: null, finishedAt: new Date() }).where(where);
    return true;
  } catch (error) {
    const attempts = row.attempts + 1;
    if (error instanceof PartnerApiError && error.code === "rate_limited") {
      // The partner API asks everyone to slow down: the whole job waits, the row keeps its attempts.
      const retryAfterMs = error.retryAfterMs ?? 5_000;
      await db.update(importJobs).set({ pausedUntil: new Date(Date.now() + retryAfterMs) }).where(eq(importJobs.id, job.id));
      await db.update(importRows).set({ state: "pending", nextAttemptAt: new Date(Date.now() + retryAfterMs) }).where(where);
      return false;
    }
    const retryable = isRetryable(error);
    if (retryable && attempts < settings.maxAttempts) {
      const backoffMs = Math.min(30_000, 500 * 2 ** (attempts - 1)) * (0.75 + Math.random() / 2);
      await db.update(importRows).set({ state: "pending", attempts, nextAttemptAt: new Date(Date.now() + backoffMs), errorCode: codeOf(error), errorMessage: messageOf(error) }).where(where);
      return false;
    }
    await db.update(importRows).set({ state: "failed", attempts, errorCode: codeOf(error), errorMessage: messageOf(error), finishedAt: new Date() }).where(where);
    return true;
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof PartnerApiError) return error.retryable || error.maybeApplied || error.status >= 500 || error.status === 0;
  if (error instanceof AppError) return error.code === "in_progress" || error.code === "contract_space_missing";
  return true; // a database hiccup or a bug: try again, then fail the row with the message
}

const messageOf = (error: unknown) => (error instanceof AppError ? error.publicMessage : error instanceof Error ? error.message : String(error)).slice(0, 500);

/** Done when no row is pending or running; audited once (the guarded update decides who). */
async function finishIfDone(db: Database, job: ImportJobRow, actor: AuditActor): Promise<boolean> {
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(importRows)
    .where(and(eq(importRows.jobId, job.id), sql`${importRows.state} in ('pending', 'running')`));
  if (open.n > 0) return false;
  const [done] = await db
    .update(importJobs)
    .set({ status: "done", finishedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(importJobs.id, job.id), eq(importJobs.status, "running")))
    .returning();
  if (done) {
    const counts = await db
      .select({ state: importRows.state, n: sql<number>`count(*)::int` })
      .from(importRows)
      .where(eq(importRows.jobId, job.id))
      .groupBy(importRows.state);
    await auditSafely(db, {
      actor,
      action: "import.finish",
      target: { type: "import", id: job.id },
      summary: `Import of ${job.fileName} finished`,
      details: { fileName: job.fileName, ...Object.fromEntries(counts.map((c) => [c.state, c.n])) },
      outcome: counts.some((c) => c.state === "failed" && c.n > 0) ? "error" : "ok",
    });
  }
  return true;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
