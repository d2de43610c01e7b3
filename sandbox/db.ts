/**
 * The sandbox's own embedded database (better-sqlite3, synchronous). Readings are keyed by the
 * device's integer `seq` so the largest table stays compact and fast to seed.
 */
import Database from "better-sqlite3";

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spaces (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  address_line_one TEXT NOT NULL,
  address_line_two TEXT,
  postcode TEXT NOT NULL,
  city TEXT NOT NULL,
  category TEXT NOT NULL,
  parent_id TEXT,
  ltt INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spaces_parent ON spaces(parent_id);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_login TEXT NOT NULL,
  login_count INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(lower(email));
CREATE TABLE IF NOT EXISTS access_roles (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  permission_ids TEXT NOT NULL,
  is_default INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS space_users (
  space_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  access_role_id TEXT NOT NULL,
  added_seq INTEGER NOT NULL,
  PRIMARY KEY (space_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS space_users_user ON space_users(user_id);
CREATE TABLE IF NOT EXISTS devices (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  device_type TEXT NOT NULL,
  medium TEXT NOT NULL,
  provider TEXT NOT NULL,
  external_id TEXT,
  melo TEXT,
  malo TEXT,
  serial_number TEXT,
  extra_meta TEXT NOT NULL DEFAULT '[]',
  error_message TEXT,
  directions TEXT NOT NULL DEFAULT 'IN',
  conversion_factor REAL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS devices_external_id ON devices(external_id);
CREATE INDEX IF NOT EXISTS devices_melo ON devices(melo);
CREATE INDEX IF NOT EXISTS devices_malo ON devices(malo);
CREATE INDEX IF NOT EXISTS devices_serial ON devices(serial_number);
CREATE TABLE IF NOT EXISTS space_devices (
  space_id TEXT NOT NULL,
  device_seq INTEGER NOT NULL,
  is_main INTEGER NOT NULL,
  excluded_from_cost INTEGER NOT NULL,
  PRIMARY KEY (space_id, device_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS space_devices_device ON space_devices(device_seq);
CREATE TABLE IF NOT EXISTS readings (
  device_seq INTEGER NOT NULL,
  obis TEXT NOT NULL,
  ts INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (device_seq, obis, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS invites (
  token TEXT PRIMARY KEY,
  space_id TEXT NOT NULL,
  email TEXT NOT NULL,
  access_role_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  accepted_user_id TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  invite_link TEXT NOT NULL,
  invite_token TEXT NOT NULL,
  space_id TEXT NOT NULL,
  access_role_id TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  external_id TEXT NOT NULL UNIQUE,
  email TEXT,
  name TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customer_invites (
  token TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  accepted_user_id TEXT
);
CREATE TABLE IF NOT EXISTS customer_users (
  customer_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (customer_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS customer_users_user ON customer_users(user_id);
CREATE TABLE IF NOT EXISTS contracts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  address_line_one TEXT NOT NULL,
  address_line_two TEXT,
  postcode TEXT NOT NULL,
  city TEXT NOT NULL,
  space_id TEXT NOT NULL,
  device_seq INTEGER,
  device_id TEXT,
  start_date TEXT,
  medium TEXT NOT NULL,
  custom_attributes TEXT NOT NULL DEFAULT '{}',
  time_window_start INTEGER,
  time_window_end INTEGER,
  created_at TEXT NOT NULL,
  UNIQUE (customer_id, external_id)
);
CREATE INDEX IF NOT EXISTS contracts_device ON contracts(device_seq);
`;

const DATA_TABLES = [
  "spaces",
  "users",
  "access_roles",
  "space_users",
  "devices",
  "space_devices",
  "readings",
  "invites",
  "outbox",
  "customers",
  "customer_invites",
  "customer_users",
  "contracts",
  "meta",
];

export function openDatabase(path: string): Db {
  const db = new Database(path);
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  // The sandbox is disposable test data: durability is worth less than seeding speed.
  db.pragma("synchronous = OFF");
  db.exec(SCHEMA);
  return db;
}

export function wipe(db: Db): void {
  db.transaction(() => {
    for (const table of DATA_TABLES) db.prepare(`DELETE FROM ${table}`).run();
    db.prepare("DELETE FROM sqlite_sequence").run();
  })();
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    key,
    value,
  );
}
