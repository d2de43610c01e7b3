/**
 * The import job end to end on both databases, against the real sandbox partner API in-process:
 * a file becomes exactly its customers and contracts upstream; the same file again creates
 * nothing; two workers send every row once; upstream 5xx and 429 are survived, rows that still
 * fail are failed with a reason and can be retried; pause, cancel; the lease.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { and, asc, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditActor } from "@/lib/audit";
import { createStaffAccount } from "@/lib/auth/staff";
import type { Database, DatabaseHandle } from "@/lib/db";
import { auditLog, importJobs, importRows } from "@/lib/db/schema";
import { maloCheckDigit } from "@/lib/domain/identifiers";
import { createPartnerClient, type PartnerClient } from "@/lib/partner-api";
import { CONFIG_DEFAULTS } from "@/lib/partner-api/config";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "@/lib/partner-api/defaults";
import { refreshSpaceIndex } from "@/lib/spaces/index";
import { testDatabases } from "@/lib/testing/databases";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { controlImportJob, createImportJob, getImportJob } from "./jobs";
import { IMPORT_TEMPLATE_HEADERS, type ImportTemplateHeader } from "./template";
import { claimJob, workOnImports, type ImportSettings } from "./worker";

const SETTINGS: ImportSettings = { concurrency: 4, ratePerSecond: 1000, maxAttempts: 3, leaseMs: 5000, batchSize: 16 };

const malo = (n: number) => {
  const first = String(2_000_000_000 + n);
  return `${first}${maloCheckDigit(first)}`;
};

let dir: string;
let sandbox: RunningSandbox;
let client: PartnerClient;
let buildingId: string;

/** What the sandbox holds: contract and customer external ids starting with `prefix`. */
function upstream(prefix: string): { contracts: string[]; customers: string[] } {
  const store = new Sqlite(path.join(dir, "sandbox.db"), { readonly: true, fileMustExist: true });
  try {
    const contracts = (
      store.prepare("SELECT cu.external_id || '/' || c.external_id AS k FROM contracts c JOIN customers cu ON cu.id = c.customer_id WHERE c.external_id LIKE ? ORDER BY k").pluck().all(`${prefix}%`) as string[]
    );
    const customers = store.prepare("SELECT external_id FROM customers WHERE external_id LIKE ? ORDER BY external_id").pluck().all(`${prefix}%`) as string[];
    return { contracts, customers };
  } finally {
    store.close();
  }
}

const meterBases = new Map<string, number>();
/** A MaLo range of its own per prefix, so files of different tests never share a meter. */
const meterBase = (prefix: string) => {
  if (!meterBases.has(prefix)) meterBases.set(prefix, (meterBases.size + 1) * 1000);
  return meterBases.get(prefix)!;
};

/** An export in the template's columns: n customers with one contract each, every row valid. */
function exportFile(prefix: string, n: number) {
  const rows = Array.from({ length: n }, (_, i) => {
    const row: Record<ImportTemplateHeader, string> = {
      Kundennummer: `${prefix}K-${i + 1}`,
      Name: `Kundin ${prefix} ${i + 1}`,
      "E-Mail": `${prefix.toLowerCase()}kunde${i + 1}@example.de`,
      Vertragsnummer: `${prefix}V-${i + 1}`,
      "Straße und Hausnummer": `${prefix}-Weg ${i + 1}`,
      Adresszusatz: "",
      PLZ: "90402",
      Ort: "Nürnberg",
      "Übergeordnetes Objekt": i % 3 === 0 ? buildingId : "",
      Medium: ["Strom", "Gas", "Wasser", "Wärme"][i % 4],
      "MeLo/MaLo": i % 2 === 0 ? malo(meterBase(prefix) + i) : "",
      Zählerart: "",
      Vertragsbeginn: i % 2 ? "01.01.2027" : "2027-01-01",
      Zugriffsrolle: i % 5 === 0 ? "Bewohner" : "",
      "Einladung senden": i % 5 === 0 ? "ja" : "nein",
    };
    return IMPORT_TEMPLATE_HEADERS.map((h) => row[h]);
  });
  return { fileName: `${prefix}.csv`, headers: [...IMPORT_TEMPLATE_HEADERS], rows };
}

const expectedContracts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}K-${i + 1}/${prefix}V-${i + 1}`).sort();
const expectedCustomers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}K-${i + 1}`).sort();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "import-worker-"));
  sandbox = await startSandbox({ port: 0, spaces: 20, readingDays: 0, seed: 13, quiet: true, dbPath: path.join(dir, "sandbox.db") });
  client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5, maxRetries: 0 });
  buildingId = (await client.getAllSpaces()).find((s) => s.category === "APARTMENT_BUILDING")!.id;
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One sandbox for both databases: every test uses a prefix of its own for its numbers.
describe.each(testDatabases())("the import worker on $name", ({ name }) => {
  const P = name === "PGlite" ? "L" : "P";
  let handle: DatabaseHandle;
  let db: Database;
  let actor: AuditActor;

  beforeAll(async () => {
    const { open } = testDatabases().find((d) => d.name === name)!;
    handle = await open();
    db = handle.db;
    const staff = await createStaffAccount(db, { email: `import.${name.toLowerCase()}@example.test`, name: "Import Staff", role: "staff", password: "geheim-123" });
    actor = { id: staff!.id, email: staff!.email, role: "staff" };
    await refreshSpaceIndex(db, client);
  });
  afterAll(async () => {
    sandbox.setFaults({ errorRate: 0, rateLimitRate: 0, latencyMs: 0, failNext: null, retryAfterSeconds: 1 });
    await handle?.close();
  });

  const rowsOf = (jobId: string) => db.select().from(importRows).where(eq(importRows.jobId, jobId)).orderBy(asc(importRows.rowNo));
  const statesOf = async (jobId: string) => {
    const counts: Record<string, number> = {};
    for (const r of await rowsOf(jobId)) counts[r.state] = (counts[r.state] ?? 0) + 1;
    return counts;
  };
  const audits = (action: string, targetId?: string) =>
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), targetId ? eq(auditLog.targetId, targetId) : undefined));
  /** contract.create audit rows that succeeded, per "customer/contract" of this prefix. */
  const contractCreates = async (prefix: string) => {
    const rows = await db
      .select({ target: auditLog.targetId, n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.action, "contract.create"), eq(auditLog.outcome, "ok"), like(auditLog.targetId, `${prefix}%`)))
      .groupBy(auditLog.targetId);
    return Object.fromEntries(rows.map((r) => [r.target, r.n]));
  };
  const startedJob = async (file: ReturnType<typeof exportFile>) => {
    const job = await createImportJob(db, client, actor, file);
    await controlImportJob(db, actor, job.id, "start");
    return job;
  };

  it("runs a file to the end: every row done, exactly its customers and contracts upstream, outcome ids, one start and one finish audit", async () => {
    const prefix = `${P}A`;
    const file = exportFile(prefix, 30);
    const job = await createImportJob(db, client, actor, file);
    expect(job.status).toBe("draft");
    expect(job.counts.plan).toEqual({ create: 30, update: 0, unchanged: 0, error: 0 });
    await controlImportJob(db, actor, job.id, "start");
    const finished = await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` });
    expect(finished).toBe(30);

    const rows = await rowsOf(job.id);
    expect(rows.map((r) => [r.state, r.errorCode])).toEqual(rows.map(() => ["done", null]));
    for (const r of rows) {
      expect(r.outcome?.customerId, `row ${r.rowNo}`).toBeTruthy();
      expect(r.outcome?.contractId, `row ${r.rowNo}`).toBeTruthy();
      expect(r.outcome?.spaceId, `row ${r.rowNo}`).toBeTruthy();
      const i = r.rowNo - 1;
      if (i % 2 === 0) expect(r.outcome?.deviceId, `row ${r.rowNo}: its MaLo's meter`).toBeTruthy();
      if (i % 5 === 0) expect(r.outcome?.inviteId, `row ${r.rowNo}: its invite`).toBeTruthy();
      else expect(r.outcome?.inviteId ?? null).toBeNull();
    }
    expect(new Set(rows.map((r) => r.outcome!.spaceId)).size).toBe(30);
    expect(upstream(prefix)).toEqual({ contracts: expectedContracts(prefix, 30), customers: expectedCustomers(prefix, 30) });

    // Rows with a parent: their space was moved under it.
    const spaces = new Map((await client.getAllSpaces()).map((s) => [s.id, s]));
    for (const r of rows) expect(spaces.get(r.outcome!.spaceId!)?.parentSpaceId ?? null, `row ${r.rowNo}`).toBe((r.rowNo - 1) % 3 === 0 ? buildingId : null);

    const view = await getImportJob(db, actor, job.id);
    expect(view.status).toBe("done");
    expect(view.finishedAt).not.toBeNull();
    expect(view.counts.state).toMatchObject({ done: 30, pending: 0, running: 0, failed: 0 });
    expect(await audits("import.start", job.id)).toHaveLength(1);
    const [finish, ...more] = await audits("import.finish", job.id);
    expect(more).toHaveLength(0);
    expect(finish).toMatchObject({ outcome: "ok", details: expect.objectContaining({ done: 30 }) });
    expect(Object.values(await contractCreates(prefix))).toEqual(Array(30).fill(1));
  }, 120_000);

  it("the same file again as a second job creates nothing upstream: its rows are unchanged and skipped", async () => {
    const prefix = `${P}A`;
    const before = upstream(prefix);
    sandbox.resetStats();
    const job = await startedJob(exportFile(prefix, 30));
    expect(job.counts.plan).toEqual({ create: 0, update: 0, unchanged: 30, error: 0 });
    expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-again` })).toBe(0);
    expect(await statesOf(job.id)).toEqual({ skipped: 30 });
    expect((await getImportJob(db, actor, job.id)).status).toBe("done");
    expect(sandbox.stats().requests.addCustomerContract ?? 0).toBe(0);
    expect(sandbox.stats().requests.addUpdateCustomer ?? 0).toBe(0);
    expect(upstream(prefix)).toEqual(before);
    expect(Object.values(await contractCreates(prefix))).toEqual(Array(30).fill(1));
  }, 60_000);

  it("two workers on one job: every row is sent exactly once", async () => {
    const prefix = `${P}B`;
    sandbox.setFaults({ latencyMs: 5 });
    const job = await startedJob(exportFile(prefix, 30));
    const [a, b] = await Promise.all([
      workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-one` }),
      workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-two` }),
    ]);
    sandbox.setFaults({ latencyMs: 0 });
    expect(a + b).toBe(30);
    expect(await statesOf(job.id)).toEqual({ done: 30 });
    expect(upstream(prefix).contracts).toEqual(expectedContracts(prefix, 30));
    const creates = await contractCreates(prefix);
    expect(Object.keys(creates).sort()).toEqual(expectedContracts(prefix, 30));
    expect(Object.values(creates)).toEqual(Array(30).fill(1));
    expect(await audits("import.finish", job.id)).toHaveLength(1);
  }, 120_000);

  it("two workers, a batch that outlasts a short lease: still every row sent exactly once", async () => {
    // 2 s is the shortest lease IMPORT_LEASE_SECONDS allows; one batch of 16 rows, 4 at a time,
    // with a contract call of 1.2 s (a slow upstream) takes about 5 s.
    const prefix = `${P}C`;
    const settings = { ...SETTINGS, leaseMs: 2000 };
    sandbox.setFaults({ latencyMs: 1200, latencyOperations: ["addCustomerContract"] });
    try {
      const job = await startedJob(exportFile(prefix, 16));
      const first = workOnImports(db, client, { settings, owner: `${prefix}-one` });
      let open = true;
      void first.finally(() => (open = false));
      // The second instance polls, as every instance does (lib/imports/runner.ts).
      const second = (async () => {
        let n = 0;
        while (open) {
          n += await workOnImports(db, client, { settings, owner: `${prefix}-two` });
          await new Promise((r) => setTimeout(r, 100));
        }
        return n + (await workOnImports(db, client, { settings, owner: `${prefix}-two` }));
      })();
      await Promise.all([first, second]);
      expect(await statesOf(job.id)).toEqual({ done: 16 });
      expect(upstream(prefix).contracts).toEqual(expectedContracts(prefix, 16));
      const creates = await contractCreates(prefix);
      expect(Object.entries(creates).filter(([, n]) => n !== 1), "contracts created more than once").toEqual([]);
    } finally {
      sandbox.setFaults({ latencyMs: 0, latencyOperations: null });
    }
  }, 120_000);

  it("at 30 % upstream 5xx and some 429s the job completes; failed rows keep their reason and are done after retryFailed", async () => {
    const prefix = `${P}D`;
    const job = await startedJob(exportFile(prefix, 20));
    sandbox.setFaults({ errorRate: 0.3, rateLimitRate: 0.05, retryAfterSeconds: 1 });
    try {
      await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` });
    } finally {
      sandbox.setFaults({ errorRate: 0, rateLimitRate: 0 });
    }
    const view = await getImportJob(db, actor, job.id);
    expect(view.status).toBe("done");
    const rows = await rowsOf(job.id);
    for (const r of rows) {
      expect(["done", "failed"], `row ${r.rowNo}`).toContain(r.state);
      if (r.state === "failed") {
        expect(r.errorCode, `row ${r.rowNo}`).toBeTruthy();
        expect(r.errorMessage, `row ${r.rowNo}`).toBeTruthy();
        expect(r.attempts, `row ${r.rowNo}`).toBe(SETTINGS.maxAttempts);
      } else {
        expect(r.outcome?.contractId, `row ${r.rowNo}`).toBeTruthy();
      }
    }
    const failed = rows.filter((r) => r.state === "failed").length;
    console.log(`${name}: ${failed} of 20 rows failed after ${SETTINGS.maxAttempts} attempts at 30 % 5xx`);
    expect(view.counts.state.failed).toBe(failed);
    // The job page's most recent errors: at most ten, each a failed row with its reason.
    const failedRows = new Set(rows.filter((r) => r.state === "failed").map((r) => r.rowNo));
    expect(view.recentErrors).toHaveLength(Math.min(10, failed));
    for (const e of view.recentErrors) expect(failedRows.has(e.rowNo) && !!e.errorCode, `recent error row ${e.rowNo}`).toBe(true);

    await controlImportJob(db, actor, job.id, "retryFailed");
    await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` });
    expect(await statesOf(job.id)).toEqual({ done: 20 });
    expect((await getImportJob(db, actor, job.id)).status).toBe("done");
    expect(upstream(prefix)).toEqual({ contracts: expectedContracts(prefix, 20), customers: expectedCustomers(prefix, 20) });
    expect(Object.values(await contractCreates(prefix))).toEqual(Array(20).fill(1));
  }, 180_000);

  it("a row that fails every attempt is failed with its reason after maxAttempts; retryFailed with the fault gone makes it done", async () => {
    const prefix = `${P}E`;
    const job = await startedJob(exportFile(prefix, 3));
    sandbox.setFaults({ failNext: { status: 503, count: 1000, operations: ["addCustomerContract"] } });
    try {
      await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` });
    } finally {
      sandbox.setFaults({ failNext: null });
    }
    const rows = await rowsOf(job.id);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ["failed", 3]));
    for (const r of rows) expect(r.errorCode).toBe("upstream_unavailable");
    const view = await getImportJob(db, actor, job.id);
    expect(view.status).toBe("done");
    expect(view.recentErrors).toHaveLength(3);
    expect(upstream(prefix).contracts).toEqual([]);
    const [finish] = await audits("import.finish", job.id);
    expect(finish.outcome).toBe("error");

    const retried = await controlImportJob(db, actor, job.id, "retryFailed");
    expect(retried.status).toBe("queued");
    expect(retried.counts.state).toMatchObject({ pending: 3, failed: 0 });
    expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` })).toBe(3);
    const after = await rowsOf(job.id);
    expect(after.map((r) => [r.state, r.errorCode])).toEqual(after.map(() => ["done", null]));
    expect(upstream(prefix).contracts).toEqual(expectedContracts(prefix, 3));
  }, 120_000);

  it("pause stops the worker taking new rows; resume finishes the job", async () => {
    const prefix = `${P}F`;
    const job = await startedJob(exportFile(prefix, 30));
    sandbox.setFaults({ latencyMs: 20 });
    try {
      const working = workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` });
      for (let i = 0; i < 600 && ((await statesOf(job.id)).done ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 20));
      const paused = await controlImportJob(db, actor, job.id, "pause");
      expect(paused.status).toBe("paused");
      await working;
      const stopped = await statesOf(job.id);
      expect(stopped.running ?? 0).toBe(0);
      expect(stopped.pending ?? 0).toBeGreaterThan(0);
      // Nothing more happens while paused, whoever looks for work.
      expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-other` })).toBe(0);
      expect(await statesOf(job.id)).toEqual(stopped);
      expect(upstream(prefix).contracts).toHaveLength(stopped.done);
      expect((await getImportJob(db, actor, job.id)).status).toBe("paused");

      await controlImportJob(db, actor, job.id, "resume");
      expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` })).toBe(stopped.pending);
    } finally {
      sandbox.setFaults({ latencyMs: 0 });
    }
    expect(await statesOf(job.id)).toEqual({ done: 30 });
    expect(upstream(prefix).contracts).toEqual(expectedContracts(prefix, 30));
    expect((await getImportJob(db, actor, job.id)).status).toBe("done");
  }, 120_000);

  it("cancel marks the pending rows skipped and nothing is sent", async () => {
    const prefix = `${P}G`;
    const job = await startedJob(exportFile(prefix, 5));
    const cancelled = await controlImportJob(db, actor, job.id, "cancel");
    expect(cancelled.status).toBe("cancelled");
    const rows = await rowsOf(job.id);
    expect(rows.map((r) => [r.state, r.errorCode])).toEqual(rows.map(() => ["skipped", "cancelled"]));
    expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-worker` })).toBe(0);
    expect(upstream(prefix)).toEqual({ contracts: [], customers: [] });
    await expect(controlImportJob(db, actor, job.id, "resume")).rejects.toMatchObject({ code: "import_state" });
  });

  it("a lease held by another live owner is not taken; an expired one is taken over and its running rows are pending again", async () => {
    const prefix = `${P}H`;
    const job = await startedJob(exportFile(prefix, 5));
    await db.update(importJobs).set({ status: "running", leaseOwner: "someone-alive", leaseUntil: new Date(Date.now() + 60_000) }).where(eq(importJobs.id, job.id));
    await db.update(importRows).set({ state: "running" }).where(and(eq(importRows.jobId, job.id), sql`${importRows.rowNo} <= 2`));

    expect(await claimJob(db, `${prefix}-me`, SETTINGS.leaseMs)).toBeNull();
    expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-me` })).toBe(0);
    expect(await statesOf(job.id)).toEqual({ running: 2, pending: 3 });
    const [held] = await db.select().from(importJobs).where(eq(importJobs.id, job.id));
    expect(held.leaseOwner).toBe("someone-alive");

    await db.update(importJobs).set({ leaseUntil: new Date(Date.now() - 1_000) }).where(eq(importJobs.id, job.id));
    const claimed = await claimJob(db, `${prefix}-me`, SETTINGS.leaseMs);
    expect(claimed?.id).toBe(job.id);
    expect(claimed?.leaseOwner).toBe(`${prefix}-me`);
    expect(claimed!.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await statesOf(job.id)).toEqual({ pending: 5 });
    // Ours now: another owner cannot take it while we hold it.
    expect(await claimJob(db, `${prefix}-else`, SETTINGS.leaseMs)).toBeNull();

    expect(await workOnImports(db, client, { settings: SETTINGS, owner: `${prefix}-me` })).toBe(5);
    expect(await statesOf(job.id)).toEqual({ done: 5 });
    expect(upstream(prefix).contracts).toEqual(expectedContracts(prefix, 5));
    const [released] = await db.select().from(importJobs).where(eq(importJobs.id, job.id));
    expect(released).toMatchObject({ status: "done", leaseOwner: null, leaseUntil: null });
  }, 60_000);
});
