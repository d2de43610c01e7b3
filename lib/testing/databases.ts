/**
 * The databases a database-backed test runs on: PGlite always, and PostgreSQL when the suite's
 * throwaway cluster is up (lib/testing/postgres-global-setup.ts). Each `open()` is a fresh,
 * migrated database of its own, so test files never see each other's rows.
 *
 *   describe.each(testDatabases())("the ledger on $name", ({ open }) => { … });
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/lib/db";
import "./postgres-global-setup";

export interface TestDatabase {
  name: "PGlite" | "PostgreSQL";
  open: () => Promise<DatabaseHandle>;
}

export function testDatabases(): TestDatabase[] {
  const adminUrl = inject("postgresAdminUrl");
  const list: TestDatabase[] = [{ name: "PGlite", open: () => createDatabase({ dataDir: "memory://" }) }];
  if (adminUrl) list.push({ name: "PostgreSQL", open: () => freshPostgres(adminUrl) });
  return list;
}

/** The PostgreSQL admin URL, or "" when the suite runs without PostgreSQL. */
export function postgresAdminUrl(): string {
  return inject("postgresAdminUrl");
}

export async function freshPostgres(adminUrl: string): Promise<DatabaseHandle> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  await admin(adminUrl, `create database ${name}`);
  const handle = await createDatabase({ url: adminUrl.replace(/\/postgres$/, `/${name}`) });
  return {
    db: handle.db,
    // The database stays until the throwaway cluster is deleted after the run: dropping it while
    // the pool's last connections are still closing would end them mid-goodbye.
    close: () => handle.close(),
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
