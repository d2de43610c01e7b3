import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { Pool } from "pg";
import { AppError } from "@/lib/errors";
import { hookShutdownSignals, isClosing, onClose } from "@/lib/server/shutdown";
import * as schema from "./schema";

export { schema };

/**
 * Raw `db.execute(sql…)` results: both drivers return `{ rows }`. Column values can still differ
 * (`count(*)` is a string from pg, int8 a BigInt from PGlite): prefer the query builder or `::int`.
 */
export interface QueryRows<Row> {
  rows: Row[];
}
export interface QueryRowsHKT extends PgQueryResultHKT {
  type: QueryRows<this["row"]>;
}

/** What both drivers have in common; every helper takes this, so tests can pass a `memory://` one. */
export type Database = PgDatabase<QueryRowsHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}

// process.cwd() is the repo root both under vitest and for `next start`; a path relative to this
// file would point into the build output, where the SQL files are not copied.
const MIGRATIONS_FOLDER = path.join(process.cwd(), "lib/db/migrations");

/**
 * Typo tolerance of trigram search (lib/spaces/search.ts): `q <% text` holds when
 * word_similarity(q, text) ≥ this. The default 0.6 misses one swapped letter pair ("Nürnbreg"
 * ≈ 0.56); much lower floods short queries. Set per session, so searches need no transaction.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.45;
const SESSION_SETTINGS = `-c pg_trgm.word_similarity_threshold=${WORD_SIMILARITY_THRESHOLD}`;

// Any constant shared by all instances: serialises first-start migrations across app instances.
const MIGRATION_LOCK_ID = 7_246_001;

/**
 * Opens the database and brings its schema up to date (re-running is a no-op).
 * With `url`: PostgreSQL through a `pg` Pool. Otherwise PGlite in `dataDir` (default `memory://`).
 */
export async function createDatabase(options: { url?: string; dataDir?: string } = {}): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir ?? "memory://");
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const pool = new Pool({ connectionString: url, options: SESSION_SETTINGS });
  // An idle connection the server ends (restart, failover, admin command) must not crash the
  // process with an unhandled 'error': the pool drops it and opens another on the next query.
  pool.on("error", (error) => console.error("PostgreSQL: an idle connection failed; the pool replaces it", error.message));
  try {
    const client = await pool.connect();
    try {
      // drizzle's migrator takes no lock; without one, two instances starting together could both
      // apply the same migration.
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
      try {
        await migrateNodePg(drizzleNodePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db: Database = drizzleNodePg({ client: pool, schema });
  // A session-level advisory lock belongs to one connection: the pool would hand each query to any.
  lockRunners.set(db, async (key, fn) => {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
      if (!rows[0]?.locked) return { acquired: false };
      try {
        return { acquired: true, result: await fn() };
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [key]);
      }
    } finally {
      client.release();
    }
  });
  return { db, close: () => pool.end() };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  // pg_trgm must be loaded here; the migration only runs CREATE EXTENSION.
  const client = new PGlite(dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite({ client, schema });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    // PGlite has one session: a plain SET holds for every query.
    await client.exec(`set pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
  } catch (error) {
    await client.close();
    throw error;
  }
  return { db, close: () => client.close() };
}

export type LockResult<T> = { acquired: true; result: T } | { acquired: false };
type LockRunner = <T>(key: number, fn: () => Promise<T>) => Promise<LockResult<T>>;
const lockRunners = new WeakMap<Database, LockRunner>();

/**
 * Runs `fn` only if no other session (another app instance) holds advisory lock `key`; the lock
 * is held on one connection for the whole run. PGlite has a single session, where the lock is
 * re-entrant: callers still need their own in-process single flight.
 */
export async function withAdvisoryLock<T>(db: Database, key: number, fn: () => Promise<T>): Promise<LockResult<T>> {
  const runner = lockRunners.get(db);
  if (runner) return runner(key, fn);
  const { rows } = await db.execute<{ locked: boolean }>(sql`SELECT pg_try_advisory_lock(${key}) AS locked`);
  if (!rows[0]?.locked) return { acquired: false };
  try {
    return { acquired: true, result: await fn() };
  } finally {
    await db.execute(sql`SELECT pg_advisory_unlock(${key})`);
  }
}

interface DbGlobal {
  handle?: Promise<DatabaseHandle>;
}

// On globalThis so `next dev` hot reloads reuse one connection: a second PGlite on the same
// directory would corrupt it.
const state: DbGlobal = ((globalThis as { __zfDb?: DbGlobal }).__zfDb ??= {});

/** The process-wide database from DATABASE_URL, or PGlite in `${DATA_DIR:-./data}/pglite`. Migrated on first use. */
export function getDb(): Promise<Database> {
  // Requests still draining after SIGTERM keep the database (lib/server/shutdown.ts); once it is
  // closing, reopening would leave a PGlite open when the process exits.
  if (isClosing()) return Promise.reject(new AppError(503, "shutting_down", "The server is shutting down. Please try again."));
  if (!state.handle) {
    const url = process.env.DATABASE_URL || undefined;
    const dataDir = url ? undefined : path.resolve(process.env.DATA_DIR || "./data", "pglite");
    const handle = createDatabase({ url, dataDir });
    state.handle = handle;
    // A failed start (e.g. database unreachable) is retried on the next call instead of cached.
    handle.catch(() => {
      if (state.handle === handle) state.handle = undefined;
    });
    // Closed on SIGTERM/SIGINT after the requests that use it are done; a plain script exits then.
    onClose("database", closeDb);
    hookShutdownSignals();
  }
  return state.handle.then((handle) => handle.db);
}

/** Closes the process-wide database; the next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const handle = state.handle;
  state.handle = undefined;
  // A handle that failed to open has nothing to close; getDb's caller already saw that error.
  if (handle) await handle.then((h) => h.close(), () => undefined);
}
