import "server-only";
import { inArray } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { staffAccounts } from "@/lib/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { createStaffAccount } from "@/lib/auth/staff";

/** One account per role, so a demo can show what each role sees. The login page lists them. */
export const DEMO_ACCOUNTS = [
  { email: "support@example.com", name: "Sam Support", role: "support" },
  { email: "staff@example.com", name: "Stefanie Staff", role: "staff" },
  { email: "manager@example.com", name: "Max Manager", role: "manager" },
] as const satisfies readonly { email: string; name: string; role: Role }[];

export const DEMO_PASSWORD = "demo";

export function isDemoMode(): boolean {
  const value = process.env.DEMO_MODE?.trim().toLowerCase();
  return value === "1" || value === "true";
}

/** Creates the demo accounts that are missing; existing ones (maybe edited or disabled) stay as they are. */
export async function ensureDemoAccounts(db: Database): Promise<void> {
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  const existing = await db.select({ email: staffAccounts.email }).from(staffAccounts).where(inArray(staffAccounts.email, emails));
  const have = new Set(existing.map((row) => row.email));
  for (const account of DEMO_ACCOUNTS.filter((a) => !have.has(a.email))) {
    // Another instance may create it at the same moment; createStaffAccount then leaves it be.
    await createStaffAccount(db, { ...account, password: DEMO_PASSWORD });
  }
}
