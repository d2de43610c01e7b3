import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, ensureDemoAccounts } from "@/lib/auth/demo";
import { createStaffAccount, findStaffByEmail, recordLogin, verifyStaffCredentials } from "@/lib/auth/staff";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createDatabase({ dataDir: "memory://" });
});
afterAll(async () => {
  await handle.close();
});

describe("staff accounts", () => {
  it("store the e-mail trimmed and lowercased and never hand out the password hash", async () => {
    const account = await createStaffAccount(handle.db, { email: "  Erika.Muster@Example.COM ", name: "Erika Muster", role: "staff", password: "geheim-123" });
    expect(account).toMatchObject({ email: "erika.muster@example.com", role: "staff", authProvider: "credentials", disabledAt: null });
    expect(account).not.toHaveProperty("passwordHash");
    const [row] = await handle.db.select().from(schema.staffAccounts).where(eq(schema.staffAccounts.email, "erika.muster@example.com"));
    expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(await findStaffByEmail(handle.db, "ERIKA.MUSTER@example.com")).toEqual(account);
  });

  it("refuse a second account for the same e-mail in any case", async () => {
    expect(await createStaffAccount(handle.db, { email: "ERIKA.muster@example.com", name: "Dup", role: "manager", password: "x" })).toBeNull();
  });

  it("verify the right password, with the e-mail in any case", async () => {
    const account = await verifyStaffCredentials(handle.db, "Erika.Muster@example.com ", "geheim-123");
    expect(account).toMatchObject({ email: "erika.muster@example.com", name: "Erika Muster", role: "staff" });
    expect(account).not.toHaveProperty("passwordHash");
  });

  it("refuse a wrong password, an unknown e-mail and an SSO account alike", async () => {
    await createStaffAccount(handle.db, { email: "sso@example.com", name: "SSO only", role: "staff", authProvider: "oidc" });
    expect(await verifyStaffCredentials(handle.db, "erika.muster@example.com", "geheim-124")).toBeNull();
    expect(await verifyStaffCredentials(handle.db, "nobody@example.com", "geheim-123")).toBeNull();
    expect(await verifyStaffCredentials(handle.db, "sso@example.com", "")).toBeNull();
  });

  it("refuse a disabled account even with the right password", async () => {
    const account = await createStaffAccount(handle.db, { email: "gone@example.com", name: "Gone", role: "manager", password: "pw" });
    await handle.db.update(schema.staffAccounts).set({ disabledAt: new Date() }).where(eq(schema.staffAccounts.id, account!.id));
    expect(await verifyStaffCredentials(handle.db, "gone@example.com", "pw")).toBeNull();
  });

  it("record the last login", async () => {
    const account = await findStaffByEmail(handle.db, "erika.muster@example.com");
    expect(account?.lastLoginAt).toBeNull();
    await recordLogin(handle.db, account!.id);
    expect((await findStaffByEmail(handle.db, "erika.muster@example.com"))?.lastLoginAt).toBeInstanceOf(Date);
  });
});

describe("demo accounts", () => {
  it("are seeded once, one per role, with the demo password", async () => {
    await ensureDemoAccounts(handle.db);
    await ensureDemoAccounts(handle.db);
    const demoEmails = DEMO_ACCOUNTS.map((a) => a.email);
    const rows = await handle.db.select({ email: schema.staffAccounts.email, role: schema.staffAccounts.role }).from(schema.staffAccounts);
    const demoRows = rows.filter((r) => (demoEmails as string[]).includes(r.email));
    expect(demoRows).toHaveLength(3);
    expect(demoRows.map((r) => r.role).sort()).toEqual(["manager", "staff", "support"]);
    for (const { email, role } of DEMO_ACCOUNTS) {
      expect(await verifyStaffCredentials(handle.db, email, DEMO_PASSWORD)).toMatchObject({ email, role });
    }
  });
});
