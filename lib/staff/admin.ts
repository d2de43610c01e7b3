import "server-only";
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import { auditSafely, type AuditActor } from "@/lib/audit";
import { issueSetPasswordLink } from "@/lib/auth/password-links";
import { forgetAccountState } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/permissions";
import { createStaffAccount } from "@/lib/auth/staff";
import type { Database } from "@/lib/db";
import { staffAccounts } from "@/lib/db/schema";
import { AppError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/input/id";
import { sendMail, setPasswordMail } from "@/lib/mail";
import type { StaffView } from "./types";

/**
 * Staff administration (/staff, managers): add a colleague with a one-time set-password link,
 * change a role, disable or enable, issue a new link. The last enabled manager can be neither
 * demoted nor disabled: decided in one transaction under an advisory lock, so two managers
 * demoting each other at once on two instances cannot leave none.
 */
const STAFF_LOCK_ID = 7_246_004;

export async function listStaff(db: Database): Promise<StaffView[]> {
  const rows = await db.select().from(staffAccounts).orderBy(asc(staffAccounts.email));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    signIn: r.authProvider === "oidc" ? "sso" : "password",
    passwordSet: !!r.passwordHash,
    ssoAllowed: r.ssoTakeoverAllowed,
    lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
    createdBy: r.createdByEmail,
    createdAt: r.createdAt.toISOString(),
    disabled: !!r.disabledAt,
  }));
}

export async function addStaff(db: Database, actor: AuditActor, input: { email: string; name: string; role: Role; signIn?: "password" | "sso" }, baseUrl: string) {
  const sso = input.signIn === "sso";
  const account = await createStaffAccount(db, { email: input.email, name: input.name, role: input.role, authProvider: sso ? "oidc" : "credentials" });
  if (!account) throw new AppError(409, "staff_exists", "A staff account with this e-mail exists already.");
  await db.update(staffAccounts).set({ createdByEmail: actor.email }).where(eq(staffAccounts.id, account.id));
  // An SSO account has no password: it is bound at its first SSO sign-in with a verified e-mail.
  const link = sso ? null : await issueSetPasswordLink(db, account.id, baseUrl);
  await auditSafely(db, { actor, action: "staff.create", target: { type: "staff", id: account.id }, summary: `Added ${account.email} as ${account.role}`, details: { email: account.email, role: account.role, signIn: sso ? "sso" : "password" }, outcome: "ok" });
  const mailed = link ? await sendMail(setPasswordMail(account.email, account.name, link.url, link.expiresAt)) : false;
  return { id: account.id, link: link?.url ?? null, expiresAt: link?.expiresAt.toISOString() ?? null, mailed };
}

/** Role and enabled state in one guarded transaction: never zero enabled managers. */
export async function updateStaff(db: Database, actor: AuditActor, id: string, change: { role?: Role; disabled?: boolean; allowSso?: true }) {
  if (change.allowSso) return allowSsoTakeover(db, actor, id);
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${STAFF_LOCK_ID})`);
    const [current] = isUuid(id) ? await tx.select().from(staffAccounts).where(eq(staffAccounts.id, id)) : [];
    if (!current) throw new NotFoundError(`No staff account ${id}.`);
    const losesManager = current.role === "manager" && !current.disabledAt && ((change.role !== undefined && change.role !== "manager") || change.disabled === true);
    if (losesManager) {
      const [{ others }] = await tx
        .select({ others: count() })
        .from(staffAccounts)
        .where(and(eq(staffAccounts.role, "manager"), isNull(staffAccounts.disabledAt), ne(staffAccounts.id, id)));
      if (others === 0) throw new AppError(409, "last_manager", "This is the last enabled manager: make someone else a manager first.");
    }
    const [updated] = await tx
      .update(staffAccounts)
      .set({
        ...(change.role ? { role: change.role } : {}),
        ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? new Date() : null }),
      })
      .where(eq(staffAccounts.id, id))
      .returning();
    return { before: current, after: updated };
  });
  forgetAccountState(id);
  const action = change.disabled === true ? "staff.disable" : change.disabled === false ? "staff.enable" : "staff.role";
  await auditSafely(db, {
    actor,
    action,
    target: { type: "staff", id },
    summary: change.role ? `Role of ${result.after.email}: ${result.before.role} → ${result.after.role}` : `${change.disabled ? "Disabled" : "Enabled"} ${result.after.email}`,
    details: { email: result.after.email, role: result.after.role, disabled: !!result.after.disabledAt },
    outcome: "ok",
  });
  return (await listStaff(db)).find((s) => s.id === id)!;
}

/** A new one-time link (the old ones stop working); SSO-only accounts have no password. */
export async function resetStaffPassword(db: Database, actor: AuditActor, id: string, baseUrl: string) {
  const [account] = isUuid(id) ? await db.select().from(staffAccounts).where(eq(staffAccounts.id, id)) : [];
  if (!account) throw new NotFoundError(`No staff account ${id}.`);
  if (account.authProvider === "oidc") throw new AppError(409, "sso_account", "This account signs in with SSO and has no password.");
  const link = await issueSetPasswordLink(db, id, baseUrl);
  await auditSafely(db, { actor, action: "staff.resetPassword", target: { type: "staff", id }, summary: `New set-password link for ${account.email}`, outcome: "ok" });
  const mailed = await sendMail(setPasswordMail(account.email, account.name, link.url, link.expiresAt));
  return { link: link.url, expiresAt: link.expiresAt.toISOString(), mailed };
}

/** The next SSO sign-in with this account's verified e-mail may take the password account over. */
async function allowSsoTakeover(db: Database, actor: AuditActor, id: string) {
  const [account] = isUuid(id) ? await db.select().from(staffAccounts).where(eq(staffAccounts.id, id)) : [];
  if (!account) throw new NotFoundError(`No staff account ${id}.`);
  if (account.authProvider === "oidc") throw new AppError(409, "sso_account", "This account signs in with SSO already.");
  await db.update(staffAccounts).set({ ssoTakeoverAllowed: true }).where(eq(staffAccounts.id, id));
  await auditSafely(db, { actor, action: "staff.allowSso", target: { type: "staff", id }, summary: `Allowed SSO to take over ${account.email}`, details: { email: account.email }, outcome: "ok" });
  return (await listStaff(db)).find((s) => s.id === id)!;
}
