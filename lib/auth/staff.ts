import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { staffAccounts, type StaffAccountRow } from "@/lib/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { isUuid } from "@/lib/input/id";

/** A staff account as the app passes it around: never with its password hash. */
export type StaffAccount = Omit<StaffAccountRow, "passwordHash">;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function withoutHash(row: StaffAccountRow): StaffAccount {
  const account: StaffAccount & { passwordHash?: string | null } = { ...row };
  delete account.passwordHash;
  return account;
}

async function findRow(db: Database, email: string): Promise<StaffAccountRow | null> {
  const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.email, normaliseEmail(email)));
  return row ?? null;
}

export async function findStaffByEmail(db: Database, email: string): Promise<StaffAccount | null> {
  const row = await findRow(db, email);
  return row ? withoutHash(row) : null;
}

export interface NewStaffAccount {
  email: string;
  name: string;
  role: Role;
  /** Omit for SSO accounts: they have no password. */
  password?: string;
  authProvider?: string;
  /** SSO accounts made at their first sign-in: the provider's "issuer|sub" they are bound to. */
  ssoSubject?: string;
}

/** The new account, or null when that e-mail already has one (a message for the form, not a crash). */
export async function createStaffAccount(db: Database, input: NewStaffAccount): Promise<StaffAccount | null> {
  const [row] = await db
    .insert(staffAccounts)
    .values({
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      passwordHash: input.password === undefined ? null : await hashPassword(input.password),
      authProvider: input.authProvider ?? "credentials",
      ssoSubject: input.ssoSubject ?? null,
    })
    .onConflictDoNothing({ target: staffAccounts.email })
    .returning();
  return row ? withoutHash(row) : null;
}

// Compared against when the e-mail is unknown, so that answer takes as long as a wrong password
// and response times do not reveal which e-mails have accounts.
let dummyHash: Promise<string> | undefined;

/** The account for a right e-mail and password; null for anything else (unknown, wrong, disabled, SSO-only). */
export async function verifyStaffCredentials(db: Database, email: string, password: string): Promise<StaffAccount | null> {
  const row = await findRow(db, email);
  if (!row?.passwordHash) {
    await verifyPassword(password, await (dummyHash ??= hashPassword("no account has this password")));
    return null;
  }
  const ok = await verifyPassword(password, row.passwordHash);
  return ok && !row.disabledAt ? withoutHash(row) : null;
}

export async function recordLogin(db: Database, id: string): Promise<void> {
  await db.update(staffAccounts).set({ lastLoginAt: sql`now()` }).where(eq(staffAccounts.id, id));
}

/** The account's current role and whether it may sign in; null for an unknown account. */
export async function accountState(db: Database, id: string): Promise<{ role: Role; disabled: boolean } | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ role: staffAccounts.role, disabledAt: staffAccounts.disabledAt }).from(staffAccounts).where(eq(staffAccounts.id, id));
  return row ? { role: row.role, disabled: !!row.disabledAt } : null;
}
