import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { expectedMigrations, readiness } from "./readiness";

let handle: DatabaseHandle;

describe.each(testDatabases())("readiness on $name", ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("is ready with every migration applied, and not ready with one missing", async () => {
    expect(expectedMigrations()).toBeGreaterThan(5);
    expect(await readiness(handle.db)).toEqual({ ok: true, database: "ok", migrations: "ok" });
    await handle.db.execute(sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`);
    expect(await readiness(handle.db)).toEqual({ ok: false, database: "ok", migrations: "pending" });
  });

  it("says unreachable, without the error, when the database does not answer", async () => {
    const closed = await open();
    await closed.close();
    const result = await readiness(closed.db);
    expect(result).toEqual({ ok: false, database: "unreachable", migrations: "pending" });
  });
});
