import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount } from "@/lib/auth/staff";
import type { DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { addStaff, listStaff, resetStaffPassword, updateStaff } from "./admin";

let handle: DatabaseHandle;
const actor = { id: "00000000-0000-4000-8000-0000000000aa", email: "chef@example.com", role: "manager" as const };

describe.each(testDatabases())("staff administration on $name", ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("adds a colleague without a password, with a link, and refuses the same e-mail twice", async () => {
    const added = await addStaff(handle.db, actor, { email: "Neu@Example.com", name: "Neu", role: "staff" }, "http://dash.test");
    expect(added.link).toMatch(/^http:\/\/dash\.test\/set-password\?token=/);
    expect((await listStaff(handle.db)).find((s) => s.id === added.id)).toMatchObject({ email: "neu@example.com", role: "staff", passwordSet: false, createdBy: "chef@example.com", disabled: false });
    await expect(addStaff(handle.db, actor, { email: "neu@example.com", name: "Neu", role: "staff" }, "http://dash.test")).rejects.toMatchObject({ code: "staff_exists" });
  });

  it("never leaves no enabled manager, even when two managers demote each other at the same moment", async () => {
    const a = (await createStaffAccount(handle.db, { email: "a@example.com", name: "A", role: "manager" }))!;
    const b = (await createStaffAccount(handle.db, { email: "b@example.com", name: "B", role: "manager" }))!;
    const results = await Promise.allSettled([updateStaff(handle.db, actor, a.id, { role: "staff" }), updateStaff(handle.db, actor, b.id, { role: "staff" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "last_manager" } });
    const managers = (await listStaff(handle.db)).filter((s) => s.role === "manager" && !s.disabled);
    expect(managers).toHaveLength(1);
    await expect(updateStaff(handle.db, actor, managers[0].id, { disabled: true })).rejects.toMatchObject({ code: "last_manager" });
    // A disabled manager does not count; enabling and demoting others is fine.
    expect((await updateStaff(handle.db, actor, managers[0].id, { role: "manager" })).role).toBe("manager");
  });

  it("has no password link for an SSO-only account", async () => {
    const sso = (await createStaffAccount(handle.db, { email: "sso@example.com", name: "S", role: "support", authProvider: "oidc" }))!;
    await expect(resetStaffPassword(handle.db, actor, sso.id, "http://dash.test")).rejects.toMatchObject({ code: "sso_account" });
  });
});
