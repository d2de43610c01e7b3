import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { auditLog, idempotencyKeys } from "@/lib/db/schema";
import {
  IdempotencyConflictError,
  IdempotencyMismatchError,
  idempotentWrite,
  MaybeSentError,
  NotCreatedError,
  OutcomeUnknownError,
  withIdempotency,
} from "@/lib/idempotency";
import { PartnerApiError } from "@/lib/partner-api/errors";

let handle: DatabaseHandle;

// The same tests on the embedded database and on PostgreSQL (several instances share one).
describe.each(testDatabases())(`idempotency on $name`, ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });


  const base = { scope: "space.create", actorId: "user-1", request: { name: "Lindenstraße 4", parentId: null } };

  describe("withIdempotency", () => {
    it("runs once for two sequential calls with one key and returns the same result", async () => {
      const run = vi.fn(async () => ({ id: "sp-1", createdAt: new Date("2025-01-01T00:00:00Z") }));
      const first = await withIdempotency(handle.db, { ...base, key: "k-seq" }, run);
      const second = await withIdempotency(handle.db, { ...base, key: "k-seq" }, run);
      expect(run).toHaveBeenCalledTimes(1);
      expect(first).toEqual({ result: { id: "sp-1", createdAt: "2025-01-01T00:00:00.000Z" }, replayed: false });
      expect(second).toEqual({ ...first, replayed: true });
    });

    it("treats the same request with keys in another order as the same request", async () => {
      await withIdempotency(handle.db, { ...base, key: "k-order" }, async () => "ok");
      const replay = await withIdempotency(
        handle.db,
        { ...base, key: "k-order", request: { parentId: null, name: "Lindenstraße 4" } },
        async () => "again",
      );
      expect(replay).toEqual({ result: "ok", replayed: true });
    });

    it("runs exactly once for 10 concurrent calls; the others conflict or replay", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const run = vi.fn(async () => {
        await gate;
        return { id: "sp-conc" };
      });
      const all = Promise.allSettled(Array.from({ length: 10 }, () => withIdempotency(handle.db, { ...base, key: "k-conc" }, run)));
      // Let every call reach the database before the winner finishes.
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      const settled = await all;

      expect(run).toHaveBeenCalledTimes(1);
      const fulfilled = settled.filter((s) => s.status === "fulfilled");
      const rejected = settled.filter((s) => s.status === "rejected");
      expect(fulfilled.filter((s) => !s.value.replayed)).toHaveLength(1);
      for (const s of fulfilled) expect(s.value.result).toEqual({ id: "sp-conc" });
      for (const s of rejected) expect(s.reason).toBeInstanceOf(IdempotencyConflictError);
      expect(rejected.length).toBeGreaterThan(0);
    });

    it("releases the key when run fails, so a retry runs", async () => {
      const failing = vi.fn(async () => {
        throw new Error("upstream 503");
      });
      await expect(withIdempotency(handle.db, { ...base, key: "k-fail" }, failing)).rejects.toThrow("upstream 503");
      const retry = await withIdempotency(handle.db, { ...base, key: "k-fail" }, async () => ({ id: "sp-2" }));
      expect(retry).toEqual({ result: { id: "sp-2" }, replayed: false });
    });

    it("refuses a key reused for a different request or by another actor", async () => {
      await withIdempotency(handle.db, { ...base, key: "k-mismatch" }, async () => 1);
      const run = vi.fn(async () => 2);
      await expect(
        withIdempotency(handle.db, { ...base, key: "k-mismatch", request: { name: "Other" } }, run),
      ).rejects.toBeInstanceOf(IdempotencyMismatchError);
      await expect(withIdempotency(handle.db, { ...base, key: "k-mismatch", actorId: "user-2" }, run)).rejects.toBeInstanceOf(
        IdempotencyMismatchError,
      );
      expect(run).not.toHaveBeenCalled();
    });

    it("keeps keys separate per scope", async () => {
      await withIdempotency(handle.db, { ...base, key: "k-scope" }, async () => "space");
      const other = await withIdempotency(handle.db, { ...base, scope: "device.register", key: "k-scope" }, async () => "device");
      expect(other).toEqual({ result: "device", replayed: false });
    });

    it("lets a key be claimed again after 24 hours", async () => {
      await withIdempotency(handle.db, { ...base, key: "k-old" }, async () => "first");
      await handle.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'k-old'`);
      const again = await withIdempotency(handle.db, { ...base, key: "k-old", request: { name: "New" } }, async () => "second");
      expect(again).toEqual({ result: "second", replayed: false });
    });
  });

  const lostAnswer = () =>
    new PartnerApiError({ status: 0, operation: "createSpace", code: "timeout", retryable: false, maybeApplied: true, message: "t" });
  const refused = () =>
    new PartnerApiError({ status: 503, operation: "createSpace", code: "upstream_unavailable", retryable: true, message: "down" });

  async function keyRow(scope: string, key: string) {
    const [row] = await handle.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    return row;
  }

  /** The first call of a test: `run` loses its answer, so the key is left uncertain. */
  async function loseAnswer(key: string, snapshot: unknown = { deviceIds: ["d-1"] }) {
    const run = vi.fn(async (): Promise<{ id: string }> => {
      throw lostAnswer();
    });
    const error = await withIdempotency(handle.db, { ...base, key }, run, { snapshot: async () => snapshot, graceMs: 60_000 }).catch((e: unknown) => e);
    expect(run).toHaveBeenCalledTimes(1);
    return error;
  }

  describe("withIdempotency after a lost answer", () => {
    it("keeps the key uncertain and throws OutcomeUnknownError carrying the upstream error", async () => {
      const error = await loseAnswer("k-lost");
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect(error).toMatchObject({ code: "outcome_unknown", httpStatus: 409 });
      expect((error as OutcomeUnknownError).cause).toBeInstanceOf(PartnerApiError);
      expect((error as OutcomeUnknownError).extra).toMatchObject({ retryable: true });
      const row = await keyRow(base.scope, "k-lost");
      expect(row).toMatchObject({ state: "uncertain", snapshot: { deviceIds: ["d-1"] } });
      expect(row.completedAt).toBeInstanceOf(Date);
    });

    it("reconciles with the stored snapshot instead of running again, then replays", async () => {
      await loseAnswer("k-reconcile", { deviceIds: ["d-1", "d-2"] });
      const run = vi.fn(async () => ({ id: "sent-twice" }));
      const reconcile = vi.fn(async () => ({ id: "sp-found", at: new Date("2025-02-01T00:00:00Z") }));

      const second = await withIdempotency(handle.db, { ...base, key: "k-reconcile" }, run, { reconcile, graceMs: 60_000 });
      expect(run).not.toHaveBeenCalled();
      expect(reconcile).toHaveBeenCalledTimes(1);
      expect(reconcile).toHaveBeenCalledWith({ deviceIds: ["d-1", "d-2"] });
      // found by reconciling: new to the dashboard, so not a replay (and stored as JSON)
      expect(second).toEqual({ result: { id: "sp-found", at: "2025-02-01T00:00:00.000Z" }, replayed: false });
      expect(await keyRow(base.scope, "k-reconcile")).toMatchObject({ state: "done", response: { id: "sp-found" } });

      const third = await withIdempotency(handle.db, { ...base, key: "k-reconcile" }, run, { reconcile, graceMs: 60_000 });
      expect(third).toEqual({ result: second.result, replayed: true });
      expect(reconcile).toHaveBeenCalledTimes(1);
      expect(run).not.toHaveBeenCalled();
    });

    it("answers OutcomeUnknownError and keeps the key while reconcile finds nothing within the grace", async () => {
      await loseAnswer("k-grace");
      const run = vi.fn(async () => ({ id: "x" }));
      const reconcile = vi.fn(async () => null);
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(withIdempotency(handle.db, { ...base, key: "k-grace" }, run, { reconcile, graceMs: 60_000 })).rejects.toBeInstanceOf(
          OutcomeUnknownError,
        );
      }
      expect(reconcile).toHaveBeenCalledTimes(2);
      expect(run).not.toHaveBeenCalled();
      expect((await keyRow(base.scope, "k-grace")).state).toBe("uncertain");
    });

    it("releases the key with NotCreatedError when reconcile finds nothing after the grace, so the next call runs", async () => {
      await loseAnswer("k-not-created");
      const run = vi.fn(async () => ({ id: "sp-new" }));
      const reconcile = vi.fn(async () => null);
      const error = await withIdempotency(handle.db, { ...base, key: "k-not-created" }, run, { reconcile, graceMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotCreatedError);
      expect(error).toMatchObject({ code: "not_created", httpStatus: 409 });
      expect(run).not.toHaveBeenCalled();
      expect(await keyRow(base.scope, "k-not-created")).toBeUndefined();

      const next = await withIdempotency(handle.db, { ...base, key: "k-not-created" }, run, { reconcile, graceMs: 0 });
      expect(next).toEqual({ result: { id: "sp-new" }, replayed: false });
      expect(run).toHaveBeenCalledTimes(1);
      expect(reconcile).toHaveBeenCalledTimes(1);
    });

    it("keeps the key with OutcomeUnknownError when reconcile throws, even after the grace", async () => {
      await loseAnswer("k-reconcile-fails");
      const run = vi.fn(async () => ({ id: "x" }));
      const down = new Error("upstream down");
      const reconcile = vi.fn(async () => {
        throw down;
      });
      const error = await withIdempotency(handle.db, { ...base, key: "k-reconcile-fails" }, run, { reconcile, graceMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect((error as OutcomeUnknownError).cause).toBe(down);
      expect(run).not.toHaveBeenCalled();
      expect((await keyRow(base.scope, "k-reconcile-fails")).state).toBe("uncertain");

      // and upstream answering later still settles it
      const later = await withIdempotency(handle.db, { ...base, key: "k-reconcile-fails" }, run, { reconcile: async () => ({ id: "sp-late" }) });
      expect(later).toEqual({ result: { id: "sp-late" }, replayed: false });
    });

    it("without reconcile: OutcomeUnknownError within the grace, MaybeSentError after it, then the key is free", async () => {
      await loseAnswer("k-no-reconcile");
      const run = vi.fn(async () => ({ id: "sp-again" }));
      await expect(withIdempotency(handle.db, { ...base, key: "k-no-reconcile" }, run, { graceMs: 60_000 })).rejects.toBeInstanceOf(
        OutcomeUnknownError,
      );
      expect((await keyRow(base.scope, "k-no-reconcile")).state).toBe("uncertain");

      const error = await withIdempotency(handle.db, { ...base, key: "k-no-reconcile" }, run, { graceMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaybeSentError);
      expect(error).toMatchObject({ code: "may_have_been_sent" });
      expect(run).not.toHaveBeenCalled();

      // the person decided to send again
      expect(await withIdempotency(handle.db, { ...base, key: "k-no-reconcile" }, run, { graceMs: 0 })).toEqual({
        result: { id: "sp-again" },
        replayed: false,
      });
      expect(run).toHaveBeenCalledTimes(1);
    });

    it("releases the key at once for an error that did not reach upstream", async () => {
      const error = refused();
      const failing = vi.fn(async (): Promise<string> => {
        throw error;
      });
      const reconcile = vi.fn(async () => "found");
      await expect(withIdempotency(handle.db, { ...base, key: "k-503" }, failing, { reconcile, graceMs: 60_000 })).rejects.toBe(error);
      expect(await keyRow(base.scope, "k-503")).toBeUndefined();

      const retry = await withIdempotency(handle.db, { ...base, key: "k-503" }, async () => "created", { reconcile, graceMs: 60_000 });
      expect(retry).toEqual({ result: "created", replayed: false });
      expect(reconcile).not.toHaveBeenCalled();
    });

    it("calls onRunError exactly once with the run's error, and not for the reconciling calls", async () => {
      const error = lostAnswer();
      const onRunError = vi.fn(async () => undefined);
      const run = async (): Promise<string> => {
        throw error;
      };
      await expect(withIdempotency(handle.db, { ...base, key: "k-on-error" }, run, { onRunError, graceMs: 60_000 })).rejects.toBeInstanceOf(
        OutcomeUnknownError,
      );
      expect(onRunError).toHaveBeenCalledTimes(1);
      expect(onRunError).toHaveBeenCalledWith(error);

      await expect(
        withIdempotency(handle.db, { ...base, key: "k-on-error" }, run, { onRunError, reconcile: async () => null, graceMs: 60_000 }),
      ).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(onRunError).toHaveBeenCalledTimes(1);

      const other = refused();
      const onOther = vi.fn(async () => undefined);
      await expect(
        withIdempotency(handle.db, { ...base, key: "k-on-error-2" }, async () => Promise.reject(other), { onRunError: onOther }),
      ).rejects.toBe(other);
      expect(onOther).toHaveBeenCalledTimes(1);
      expect(onOther).toHaveBeenCalledWith(other);

      const onNone = vi.fn(async () => undefined);
      await withIdempotency(handle.db, { ...base, key: "k-on-error-3" }, async () => "ok", { onRunError: onNone });
      expect(onNone).not.toHaveBeenCalled();
    });

    it("reconciles a pending key older than the grace instead of answering in_progress", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = withIdempotency(
        handle.db,
        { ...base, key: "k-stale" },
        async () => {
          await gate;
          return { id: "sp-original" };
        },
        { snapshot: async () => ({ before: ["sp-0"] }) },
      );
      // wait until the first call has claimed the key and stored its snapshot
      await vi.waitFor(async () => expect((await keyRow(base.scope, "k-stale"))?.snapshot).toEqual({ before: ["sp-0"] }));

      const run = vi.fn(async () => ({ id: "sp-twice" }));
      const reconcile = vi.fn(async () => ({ id: "sp-found" }));
      // fresh pending: another request is still sending
      await expect(withIdempotency(handle.db, { ...base, key: "k-stale" }, run, { reconcile, graceMs: 60_000 })).rejects.toBeInstanceOf(
        IdempotencyConflictError,
      );
      expect(reconcile).not.toHaveBeenCalled();

      // the request died mid-send an hour ago (the key is not yet 24 hours old)
      await handle.db.execute(sql`update idempotency_keys set created_at = now() - interval '1 hour' where scope = ${base.scope} and key = 'k-stale'`);
      const settled = await withIdempotency(handle.db, { ...base, key: "k-stale" }, run, { reconcile, graceMs: 60_000 });
      expect(settled).toEqual({ result: { id: "sp-found" }, replayed: false });
      expect(reconcile).toHaveBeenCalledWith({ before: ["sp-0"] });
      expect(run).not.toHaveBeenCalled();
      expect((await keyRow(base.scope, "k-stale")).state).toBe("done");

      release();
      await first;
    });
  });

  const actor = { id: "6f1c2f0e-2222-4c6b-9a51-5e4c0f5d2a10", email: "staff@example.com", role: "staff" as const };

  async function auditRows(action: string) {
    return handle.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(auditLog.id);
  }

  function write(action: string, key: string, overrides: Partial<Parameters<typeof idempotentWrite<{ id: string }>>[1]> = {}) {
    return {
      idempotency: { scope: action, key, actorId: actor.id, request: { name: "Haus" } },
      audit: { actor, action, target: { type: "space", id: "pending" }, summary: "Created space Haus" },
      targetIdOf: (result: { id: string }) => result.id,
      send: async () => ({ id: "sp-w1" }),
      ...overrides,
    };
  }

  describe("idempotentWrite", () => {
    it("audits once with the created id after the key is done, then runs upkeep", async () => {
      const action = "write.ok";
      let stateAtUpkeep: string | undefined;
      let auditsAtUpkeep = -1;
      const upkeep = vi.fn(async () => {
        stateAtUpkeep = (await keyRow(action, "w-ok")).state;
        auditsAtUpkeep = (await auditRows(action)).length;
      });
      const result = await idempotentWrite(handle.db, write(action, "w-ok", { upkeep }));
      expect(result).toEqual({ id: "sp-w1" });

      const rows = await auditRows(action);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: "ok", targetType: "space", targetId: "sp-w1", actorId: actor.id, upstreamStatus: 200, summary: "Created space Haus" });
      expect(upkeep).toHaveBeenCalledTimes(1);
      expect(upkeep).toHaveBeenCalledWith({ id: "sp-w1" });
      expect(stateAtUpkeep).toBe("done");
      expect(auditsAtUpkeep).toBe(1);

      // the key was completed before the audit row was written
      const key = await keyRow(action, "w-ok");
      expect(key.completedAt).toBeInstanceOf(Date);
      const order = await handle.db.execute<{ after: boolean }>(
        sql`select (select at from audit_log where action = ${action}) >= (select completed_at from idempotency_keys where scope = ${action} and key = 'w-ok') as after`,
      );
      expect(order.rows[0].after).toBe(true);
    });

    it("does not throw when upkeep fails", async () => {
      const action = "write.upkeep-fails";
      const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        const upkeep = vi.fn(async () => {
          throw new Error("index down");
        });
        await expect(idempotentWrite(handle.db, write(action, "w-upkeep", { upkeep }))).resolves.toEqual({ id: "sp-w1" });
        expect(upkeep).toHaveBeenCalledTimes(1);
        expect(logged).toHaveBeenCalled();
        expect(await auditRows(action)).toHaveLength(1);
        expect((await keyRow(action, "w-upkeep")).state).toBe("done");
      } finally {
        logged.mockRestore();
      }
    });

    it("writes no second audit row and runs no upkeep on a replay", async () => {
      const action = "write.replay";
      const send = vi.fn(async () => ({ id: "sp-replay" }));
      const upkeep = vi.fn(async () => undefined);
      const first = await idempotentWrite(handle.db, write(action, "w-replay", { send, upkeep }));
      const second = await idempotentWrite(handle.db, write(action, "w-replay", { send, upkeep }));
      expect(second).toEqual(first);
      expect(send).toHaveBeenCalledTimes(1);
      expect(upkeep).toHaveBeenCalledTimes(1);
      expect(await auditRows(action)).toHaveLength(1);
    });

    it("writes one audit row with outcome error when the send fails", async () => {
      const action = "write.fails";
      const upkeep = vi.fn(async () => undefined);
      const error = refused();
      await expect(
        idempotentWrite(handle.db, write(action, "w-fail", { send: async () => Promise.reject(error), upkeep })),
      ).rejects.toBe(error);
      const rows = await auditRows(action);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: "error", upstreamStatus: 503, errorMessage: "down", targetId: "pending" });
      expect(upkeep).not.toHaveBeenCalled();
      expect(await keyRow(action, "w-fail")).toBeUndefined();
    });

    it("audits a write found by reconciling as ok, once, after the lost answer's error row", async () => {
      const action = "write.reconciled";
      const upkeep = vi.fn(async () => undefined);
      const lost = write(action, "w-lost", { send: async () => Promise.reject(lostAnswer()), upkeep, graceMs: 60_000 });
      await expect(idempotentWrite(handle.db, lost)).rejects.toBeInstanceOf(OutcomeUnknownError);
      const found = write(action, "w-lost", { upkeep, reconcile: async () => ({ id: "sp-reconciled" }), graceMs: 60_000 });
      await expect(idempotentWrite(handle.db, found)).resolves.toEqual({ id: "sp-reconciled" });
      await expect(idempotentWrite(handle.db, found)).resolves.toEqual({ id: "sp-reconciled" });

      const rows = await auditRows(action);
      expect(rows.map((r) => [r.outcome, r.targetId])).toEqual([
        ["error", "pending"],
        ["ok", "sp-reconciled"],
      ]);
      expect(upkeep).toHaveBeenCalledTimes(1);
    });
  });
});
