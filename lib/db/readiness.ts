import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb, type Database } from "@/lib/db";

const JOURNAL = path.join(process.cwd(), "lib/db/migrations/meta/_journal.json");

/** Migrations this build ships (the journal drizzle-kit keeps). */
export function expectedMigrations(): number {
  return (JSON.parse(readFileSync(JOURNAL, "utf8")) as { entries: unknown[] }).entries.length;
}

/** Whether this instance can serve: the database answers and has every migration of this build. */
export async function readiness(database?: Database): Promise<{ ok: boolean; database: "ok" | "unreachable"; migrations: "ok" | "pending" }> {
  try {
    const db = database ?? (await getDb());
    const { rows } = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const applied = Number(rows[0]?.n ?? 0);
    const migrations = applied >= expectedMigrations() ? "ok" : "pending";
    return { ok: migrations === "ok", database: "ok", migrations };
  } catch (error) {
    console.error("Readiness check: the database did not answer", error);
    return { ok: false, database: "unreachable", migrations: "pending" };
  }
}
