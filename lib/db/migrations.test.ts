import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, schema, type DatabaseHandle } from "@/lib/db";

const open: DatabaseHandle[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(open.map((h) => h.close()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function openDb(dataDir: string): Promise<DatabaseHandle> {
  const handle = await createDatabase({ dataDir });
  open.push(handle);
  return handle;
}

async function closeDb(handle: DatabaseHandle): Promise<void> {
  open.splice(open.indexOf(handle), 1);
  await handle.close();
}

const journal = JSON.parse(readFileSync(path.join(process.cwd(), "lib/db/migrations/meta/_journal.json"), "utf8")) as {
  entries: { idx: number; tag: string }[];
};

describe("migrations", () => {
  it("create the tables and pg_trgm on a fresh memory database", async () => {
    const { db } = await openDb("memory://");
    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["audit_log", "idempotency_keys", "staff_accounts"]));

    const similarity = await db.execute<{ s: number }>(sql`select similarity('Lindenstraße', 'Lindenstrase') as s`);
    expect(similarity.rows[0].s).toBeGreaterThan(0.3);
    expect(similarity.rows[0].s).toBeLessThan(1);
  });

  it("create pg_trgm before anything else, so later migrations can index with it", () => {
    const first = journal.entries.find((e) => e.idx === 0);
    expect(first?.tag).toMatch(/pg_trgm/);
    expect(readFileSync(path.join(process.cwd(), `lib/db/migrations/${first?.tag}.sql`), "utf8")).toContain(
      "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    );
  });

  it("are a no-op when a database is opened again, and keep its data", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zf-db-test-"));
    tempDirs.push(dir);
    const first = await openDb(dir);
    await first.db.insert(schema.staffAccounts).values({ email: "a@example.com", name: "A", role: "staff" });
    await closeDb(first);

    const second = await openDb(dir);
    const applied = await second.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const [accounts] = await second.db.select({ n: count() }).from(schema.staffAccounts);
    expect(applied.rows[0].n).toBe(journal.entries.length);
    expect(accounts.n).toBe(1);
  });
});
