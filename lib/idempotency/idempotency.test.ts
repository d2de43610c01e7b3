import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/lib/db";
import { IdempotencyConflictError, IdempotencyMismatchError, withIdempotency } from "@/lib/idempotency";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createDatabase({ dataDir: "memory://" });
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
