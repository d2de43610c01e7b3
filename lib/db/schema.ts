/**
 * The dashboard's own data, one Drizzle `pg-core` schema for both PGlite (embedded default) and
 * PostgreSQL (DATABASE_URL). Change it, then `npx drizzle-kit generate` and commit the migration.
 * No `server-only` here: drizzle-kit loads this file outside Next.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import type { Role } from "@/lib/auth/permissions";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const staffAccounts = pgTable(
  "staff_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Always stored trimmed and lowercased (lib/auth/staff.ts), so the unique index is case-insensitive in effect.
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: text("role").$type<Role>().notNull(),
    // Null for SSO accounts: they never sign in with a password.
    passwordHash: text("password_hash"),
    authProvider: text("auth_provider").notNull().default("credentials"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at")
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    disabledAt: timestamptz("disabled_at"),
    lastLoginAt: timestamptz("last_login_at"),
  },
  (t) => [
    // The database refuses what the code should never write, whichever instance wrote it.
    check("staff_accounts_role_check", sql`${t.role} in ('support', 'staff', 'manager')`),
    check("staff_accounts_email_lowercase_check", sql`${t.email} = lower(${t.email})`),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    // bigserial in number mode: ids stay far below 2^53 and never reach JSON as a BigInt.
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    // No foreign key to staff_accounts: the log must outlive a deleted account. Null actor = the system
    // (e.g. a scheduled invite expiry).
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    summary: text("summary"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    outcome: text("outcome").$type<"ok" | "error">().notNull(),
    upstreamStatus: integer("upstream_status"),
    errorMessage: text("error_message"),
  },
  (t) => [
    index("audit_log_target_idx").on(t.targetType, t.targetId),
    index("audit_log_at_idx").on(t.at),
    check("audit_log_outcome_check", sql`${t.outcome} in ('ok', 'error')`),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    actorId: text("actor_id").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state").$type<"pending" | "done">().notNull(),
    response: jsonb("response"),
    // Rows older than IDEMPOTENCY_TTL (lib/idempotency) may be reclaimed or purged.
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_created_at_idx").on(t.createdAt),
    check("idempotency_keys_state_check", sql`${t.state} in ('pending', 'done')`),
  ],
);

export type StaffAccountRow = typeof staffAccounts.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;
