/**
 * The dashboard's own data, one Drizzle `pg-core` schema for both PGlite (embedded default) and
 * PostgreSQL (DATABASE_URL). Change it, then `npx drizzle-kit generate` and commit the migration.
 * No `server-only` here: drizzle-kit loads this file outside Next.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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
    // Who added the account on /staff or with npm run staff (null: seeded or provisioned by SSO).
    createdByEmail: text("created_by_email"),
    // The identity provider's "issuer|sub" this account is bound to: later SSO sign-ins match it,
    // not the e-mail, so a changed or reassigned address cannot take an account over.
    ssoSubject: text("sso_subject").unique(),
    // A manager allowed the first SSO sign-in with this e-mail to bind a password account.
    ssoTakeoverAllowed: boolean("sso_takeover_allowed").notNull().default(false),
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
    // The /audit filters by who and by action, newest first (keyset on id).
    index("audit_log_actor_idx").on(t.actorEmail, t.id),
    index("audit_log_action_idx").on(t.action, t.id),
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
    // pending: being sent; done: upstream answered (response); uncertain: sent, answer lost.
    state: text("state").$type<"pending" | "done" | "uncertain">().notNull(),
    response: jsonb("response"),
    // What upstream held before the write (lib/idempotency snapshot), to reconcile a lost answer.
    snapshot: jsonb("snapshot"),
    // Rows older than IDEMPOTENCY_TTL (lib/idempotency) may be reclaimed or purged.
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_created_at_idx").on(t.createdAt),
    check("idempotency_keys_state_check", sql`${t.state} in ('pending', 'done', 'uncertain')`),
  ],
);

/**
 * Failed sign-ins, counted per account (`account:<email>`) and per client address
 * (`address:<ip>`), in the database so that every instance sees the same counts (lib/auth/throttle.ts).
 */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamptz("window_started_at").notNull().defaultNow(),
  lockedUntil: timestamptz("locked_until"),
});

/**
 * One-time set-password links (lib/auth/password-links.ts): only the SHA-256 of the token is
 * stored, valid 48 h, used once.
 */
export const passwordSetTokens = pgTable(
  "password_set_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    staffId: uuid("staff_id").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("password_set_tokens_staff_idx").on(t.staffId)],
);

export type StaffAccountRow = typeof staffAccounts.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Space index (lib/spaces): a mirror of the partner's spaces, devices and users, because the
// partner API has neither search nor tree. Rebuilt from upstream at any time; never the source of truth.
// ---------------------------------------------------------------------------------------------

export const spaceIndex = pgTable(
  "space_index",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    addressLineOne: text("address_line_one").notNull(),
    addressLineTwo: text("address_line_two"),
    postcode: text("postcode").notNull(),
    city: text("city").notNull(),
    country: text("country"),
    category: text("category").notNull(),
    parentId: text("parent_id"),
    placement: text("placement").$type<"root" | "orphan" | "cycle" | "child">().notNull().default("root"),
    // Ancestor ids from the top of the subtree down to the parent (lib/spaces/tree.ts buildForest).
    path: text("path").array().notNull().default(sql`'{}'::text[]`),
    childCount: integer("child_count").notNull().default(0),
    // Null until the background crawl (or a space detail view) has seen the space's devices.
    deviceCount: integer("device_count"),
    // Folded (lowercase, umlauts spelt out) "name addressLineOne addressLineTwo postcode city".
    searchText: text("search_text").notNull(),
    raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
    devicesCrawledAt: timestamptz("devices_crawled_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("space_index_parent_idx").on(t.parentId),
    index("space_index_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const spaceDeviceIndex = pgTable(
  "space_device_index",
  {
    spaceId: text("space_id").notNull(),
    deviceId: text("device_id").notNull(),
    name: text("name").notNull(),
    deviceType: text("device_type").notNull(),
    medium: text("medium").notNull(),
    status: text("status").notNull(),
    isMain: boolean("is_main").notNull(),
    externalIds: text("external_ids").array().notNull().default(sql`'{}'::text[]`),
    serialNumber: text("serial_number"),
    // Folded name + external ids (MeLo, MaLo, …) + serial number.
    searchText: text("search_text").notNull(),
    raw: jsonb("raw").$type<Record<string, unknown>>().notNull(),
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.spaceId, t.deviceId] }),
    index("space_device_index_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const spaceUserIndex = pgTable(
  "space_user_index",
  {
    spaceId: text("space_id").notNull(),
    userId: text("user_id").notNull(),
    // Lowercased.
    email: text("email").notNull(),
    name: text("name"),
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.spaceId, t.userId] }),
    index("space_user_index_email_trgm_idx").using("gin", sql`${t.email} gin_trgm_ops`),
  ],
);

export const spaceIndexState = pgTable(
  "space_index_state",
  {
    // Exactly one row (id = 1): shared by every app instance.
    id: integer("id").primaryKey().default(1),
    state: text("state").$type<"empty" | "building" | "ready" | "refreshing" | "failed">().notNull().default("empty"),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    pagesDone: integer("pages_done").notNull().default(0),
    pagesTotal: integer("pages_total").notNull().default(0),
    lastDurationMs: integer("last_duration_ms"),
    error: text("error"),
    generation: bigint("generation", { mode: "number" }).notNull().default(0),
    // Upstream records this refresh (and the crawl after it) stored only after removing control
    // characters or cutting over-long text (lib/input/text.ts cleanRecord).
    cleanedRecords: integer("cleaned_records").notNull().default(0),
  },
  (t) => [check("space_index_state_single_row_check", sql`${t.id} = 1`)],
);

/**
 * Every distinct word (4+ characters, folded) of the spaces' search texts: a few thousand rows
 * that typo-tolerant search corrects query words against before it searches the index itself.
 */
export const searchWords = pgTable(
  "search_words",
  {
    word: text("word").primaryKey(),
  },
  (t) => [index("search_words_word_trgm_idx").using("gist", sql`${t.word} gist_trgm_ops`)],
);

export type SpaceIndexRow = typeof spaceIndex.$inferSelect;
export type SpaceDeviceIndexRow = typeof spaceDeviceIndex.$inferSelect;

/**
 * The invite ledger (partner-api README point 5: upstream only creates invites). One row per
 * invite sent through the dashboard; status moves pending → accepted (the e-mail appears among
 * the space's users) or revoked (a manager's decision; the upstream link may still work).
 */
export const invites = pgTable(
  "invites",
  {
    id: text("id").primaryKey(),
    spaceId: text("space_id").notNull(),
    // Lowercased and trimmed.
    email: text("email").notNull(),
    // Null: the partner's default role.
    accessRoleId: text("access_role_id"),
    accessRoleName: text("access_role_name"),
    // Null for an invite the platform sent through the customer's e-mail (addUpdateCustomer): no link comes back.
    link: text("link"),
    // `space`: inviteUserToSpace with a role; `customer`: the platform's own customer invite.
    channel: text("channel").$type<"space" | "customer">().notNull().default("space"),
    status: text("status").$type<"pending" | "accepted" | "revoked">().notNull().default("pending"),
    createdByEmail: text("created_by_email").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    // Null while only the link was created and no e-mail sent.
    lastSentAt: timestamptz("last_sent_at"),
    sendCount: integer("send_count").notNull().default(0),
    acceptedAt: timestamptz("accepted_at"),
    acceptedUserId: text("accepted_user_id"),
    revokedAt: timestamptz("revoked_at"),
    revokedByEmail: text("revoked_by_email"),
  },
  (t) => [
    index("invites_space_idx").on(t.spaceId),
    index("invites_status_created_idx").on(t.status, t.createdAt),
    index("invites_email_trgm_idx").using("gin", sql`${t.email} gin_trgm_ops`),
  ],
);

export type InviteRow = typeof invites.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Customers and contracts (lib/customers, lib/onboarding): the partner's ERP customers as
// upstream lists them, the contracts the dashboard created (the API cannot read them back), and
// the guided onboardings and tenant changes, kept on the server so they survive anything.
// ---------------------------------------------------------------------------------------------

export const customerIndex = pgTable(
  "customer_index",
  {
    // The platform's id; `external_id` is the partner's customer number.
    id: text("id").primaryKey(),
    externalId: text("external_id").notNull().unique(),
    name: text("name"),
    // Lowercased.
    email: text("email"),
    // Folded external id, name and e-mail (lib/spaces/rows.ts foldSearch).
    searchText: text("search_text").notNull(),
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  (t) => [index("customer_index_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`)],
);

export const contracts = pgTable(
  "contracts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: text("customer_id").notNull(),
    customerExternalId: text("customer_external_id").notNull(),
    // The partner's contract number, and the platform's id from the answer.
    externalId: text("external_id").notNull(),
    contractId: text("contract_id").notNull(),
    spaceId: text("space_id"),
    deviceId: text("device_id"),
    // The MeLo or MaLo the contract carries: the meter's external id.
    externalDeviceId: text("external_device_id"),
    medium: text("medium").notNull(),
    // YYYY-MM-DD: the customer sees data from this day on.
    startDate: text("start_date"),
    // End of the customer's view of the meter (tenant change), if set.
    windowEnd: timestamptz("window_end"),
    // Tenant change "users leave at the move-out date": when, and when it was done.
    usersRemoveAt: timestamptz("users_remove_at"),
    usersRemovedAt: timestamptz("users_removed_at"),
    createdByEmail: text("created_by_email").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("contracts_customer_contract_idx").on(t.customerExternalId, t.externalId),
    index("contracts_space_idx").on(t.spaceId),
    index("contracts_customer_idx").on(t.customerId),
  ],
);

export const onboardings = pgTable(
  "onboardings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<"customer" | "tenantChange">().notNull(),
    staffId: text("staff_id").notNull(),
    staffEmail: text("staff_email").notNull(),
    // draft → running → done; `failed` keeps everything for a retry.
    status: text("status").$type<"draft" | "running" | "done" | "failed">().notNull().default("draft"),
    // What the person entered (lib/onboarding/schemas.ts OnboardingValues), saved at every step.
    values: jsonb("values").$type<Record<string, unknown>>().notNull(),
    // The steps already carried out with their results, so a resume continues where it stopped.
    progress: jsonb("progress").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    errorCode: text("error_code"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("onboardings_staff_idx").on(t.staffId, t.status)],
);

export type CustomerIndexRow = typeof customerIndex.$inferSelect;
export type ContractRow = typeof contracts.$inferSelect;
export type OnboardingRow = typeof onboardings.$inferSelect;

/**
 * A bulk onboarding from an ERP export (lib/imports): the file's rows live in import_rows, so the
 * job survives a closed browser, a restart and a deploy. One instance works on a job at a time:
 * it holds the job's lease (lease_owner until lease_until) and renews it; a dead worker's lease
 * runs out and another instance takes the job over.
 */
export const importJobs = pgTable(
  "import_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffId: text("staff_id").notNull(),
    staffEmail: text("staff_email").notNull(),
    fileName: text("file_name").notNull(),
    // draft (uploaded, mapping and preview) → queued → running ⇄ paused → done; cancelled at any point.
    status: text("status").$type<"draft" | "queued" | "running" | "paused" | "cancelled" | "done">().notNull().default("draft"),
    headers: jsonb("headers").$type<string[]>().notNull(),
    // Field → column index in the file (lib/imports/columns.ts).
    mapping: jsonb("mapping").$type<Record<string, number>>().notNull(),
    // What to do with a customer/contract that exists already: send it again (update) or leave it.
    existing: text("existing").$type<"update" | "skip">().notNull().default("skip"),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamptz("lease_until"),
    // A 429 slows the whole job: nothing is sent before this.
    pausedUntil: timestamptz("paused_until"),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("import_jobs_status_idx").on(t.status),
    check("import_jobs_status_check", sql`${t.status} in ('draft', 'queued', 'running', 'paused', 'cancelled', 'done')`),
  ],
);

export const importRows = pgTable(
  "import_rows",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => importJobs.id, { onDelete: "cascade" }),
    rowNo: integer("row_no").notNull(),
    cells: jsonb("cells").$type<string[]>().notNull(),
    // The row as onboarding values once valid (lib/onboarding/schemas.ts), else null.
    values: jsonb("values").$type<Record<string, unknown>>(),
    // Field → error codes, shown at the cell; null when the row is valid.
    errors: jsonb("errors").$type<Record<string, string[]>>(),
    // What the preview decided: create, update (exists, send again), unchanged (exists, skipped), error.
    plan: text("plan").$type<"create" | "update" | "unchanged" | "error">().notNull(),
    // pending → running → done | failed; skipped for unchanged and error rows.
    state: text("state").$type<"pending" | "running" | "done" | "failed" | "skipped">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at"),
    // The onboarding that carries this row out (its progress makes every step safe to repeat).
    onboardingId: uuid("onboarding_id"),
    outcome: jsonb("outcome").$type<Record<string, string | null>>(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.rowNo] }),
    index("import_rows_state_idx").on(t.jobId, t.state, t.rowNo),
  ],
);

export type ImportJobRow = typeof importJobs.$inferSelect;
export type ImportRowRow = typeof importRows.$inferSelect;

/** A saved column mapping for an ERP's export format, by header name (files differ in column order). */
export const importPresets = pgTable("import_presets", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  // Field → the file's header name.
  columns: jsonb("columns").$type<Record<string, string>>().notNull(),
  createdByEmail: text("created_by_email").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});
