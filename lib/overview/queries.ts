import "server-only";
import { z } from "zod";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { getIndexStatus } from "@/lib/spaces";
import type { AttentionItem, Overview } from "./types";

/** What counts as "needs attention"; settings, so a partner can tune them. */
export function overviewSettings(env: Record<string, string | undefined> = process.env) {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const e = z
    .object({
      ATTENTION_CONNECTING_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
      ATTENTION_READING_DAYS: z.coerce.number().int().min(1).max(365).default(3),
      INVITE_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    })
    .parse(present);
  return { connectingHours: e.ATTENTION_CONNECTING_HOURS, readingDays: e.ATTENTION_READING_DAYS, inviteDays: e.INVITE_EXPIRY_DAYS };
}

const int = (value: unknown) => Number(value ?? 0);

/**
 * An upstream ISO time as a timestamp (any offset compares right), null when missing or not one:
 * a connecting device of unknown age is not counted as stuck, a main meter without a reading is stale.
 */
const asTime = (text: SQL) => sql`zf_try_timestamptz(${text})`;

/**
 * Every figure in one round of aggregate queries over the index and the ledgers (never the
 * partner API): a few milliseconds at 20,000 spaces, so the page can ask on every visit.
 */
export async function getOverview(db: Database, now = new Date()): Promise<Overview> {
  const settings = overviewSettings();
  const connectingBefore = new Date(now.getTime() - settings.connectingHours * 3_600_000);
  const readingBefore = new Date(now.getTime() - settings.readingDays * 86_400_000);
  const inviteBefore = new Date(now.getTime() - settings.inviteDays * 86_400_000);
  const [counts, devices, status] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select
        (select count(*) from customer_index)::int as customers,
        (select count(*) from space_index)::int as spaces,
        (select count(*) from space_index where devices_crawled_at is not null)::int as crawled,
        (select count(distinct user_id) from space_user_index)::int as users,
        (select count(*) from invites where status = 'pending')::int as open_invites,
        (select count(*) from invites where status = 'pending' and coalesce(last_sent_at, created_at) < ${inviteBefore})::int as old_invites,
        (select count(*) from space_index s
          where s.category in ('FLAT', 'HOUSE') and s.devices_crawled_at is not null
            and not exists (select 1 from space_device_index d where d.space_id = s.id and d.is_main))::int as without_main,
        (select count(*) from onboardings where status = 'failed')::int as failed_onboardings,
        (select count(distinct job_id) from import_rows where state = 'failed')::int as failed_imports`),
    db.execute<Record<string, unknown>>(sql`
      select
        count(*)::int as total,
        count(*) filter (where status = 'CONNECTED')::int as connected,
        count(*) filter (where status = 'CONNECTING')::int as connecting,
        count(*) filter (where status = 'FAILED')::int as failed,
        count(*) filter (where status = 'CONNECTING' and ${asTime(sql`raw->>'createdAt'`)} < ${connectingBefore.toISOString()}::timestamptz)::int as stuck,
        count(*) filter (where is_main and coalesce(${asTime(sql`raw->>'latestReadingTime'`)} < ${readingBefore.toISOString()}::timestamptz, true))::int as stale
      from space_device_index`),
    getIndexStatus(db),
  ]);
  const c = counts.rows[0];
  const d = devices.rows[0];
  const attention: AttentionItem[] = [
    { kind: "devicesFailed", count: int(d.failed), href: null },
    { kind: "devicesConnecting", count: int(d.stuck), href: null },
    { kind: "staleReadings", count: int(d.stale), href: null },
    { kind: "spacesWithoutMain", count: int(c.without_main), href: null },
    { kind: "invitesPending", count: int(c.old_invites), href: `/invites?status=pending&olderThanDays=${settings.inviteDays}` },
    { kind: "onboardingsFailed", count: int(c.failed_onboardings), href: "/onboarding" },
    { kind: "importsWithErrors", count: int(c.failed_imports), href: "/onboarding/import" },
    { kind: "indexProblem", count: status.state === "failed" || status.error ? 1 : 0, href: "/spaces" },
  ];
  return {
    figures: {
      customers: int(c.customers),
      spaces: int(c.spaces),
      devices: { total: int(d.total), connected: int(d.connected), connecting: int(d.connecting), failed: int(d.failed), other: int(d.total) - int(d.connected) - int(d.connecting) - int(d.failed) },
      users: int(c.users),
      openInvites: int(c.open_invites),
    },
    attention,
    coverage: { crawledSpaces: int(c.crawled), spaces: int(c.spaces) },
    settings,
  };
}
