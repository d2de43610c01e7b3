import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/lib/db";
import { passwordSetTokens } from "@/lib/db/schema";
import { testDatabases } from "@/lib/testing/databases";
import { issueSetPasswordLink, setPasswordWithLink } from "./password-links";
import { createStaffAccount, verifyStaffCredentials } from "./staff";

let handle: DatabaseHandle;

describe.each(testDatabases())("set-password links on $name", ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("work once, store only a hash, and make the password the account's", async () => {
    const account = (await createStaffAccount(handle.db, { email: "neu@example.com", name: "Neu", role: "staff" }))!;
    const { url } = await issueSetPasswordLink(handle.db, account.id, "http://dash.test");
    const token = new URL(url).searchParams.get("token")!;
    expect(url.startsWith("http://dash.test/set-password?token=")).toBe(true);
    expect(JSON.stringify(await handle.db.select().from(passwordSetTokens))).not.toContain(token);
    expect(await verifyStaffCredentials(handle.db, "neu@example.com", "ein-gutes-passwort")).toBeNull();
    await setPasswordWithLink(handle.db, token, "ein-gutes-passwort");
    expect((await verifyStaffCredentials(handle.db, "neu@example.com", "ein-gutes-passwort"))?.role).toBe("staff");
    await expect(setPasswordWithLink(handle.db, token, "ein-anderes-passwort")).rejects.toMatchObject({ code: "link_invalid", httpStatus: 410 });
  });

  it("a new link retires the old one, and an expired link is refused", async () => {
    const account = (await createStaffAccount(handle.db, { email: "zwei@example.com", name: "Zwei", role: "support" }))!;
    const first = new URL((await issueSetPasswordLink(handle.db, account.id, "http://dash.test")).url).searchParams.get("token")!;
    const second = new URL((await issueSetPasswordLink(handle.db, account.id, "http://dash.test")).url).searchParams.get("token")!;
    await expect(setPasswordWithLink(handle.db, first, "erstes-passwort-1")).rejects.toMatchObject({ code: "link_invalid" });
    await handle.db.update(passwordSetTokens).set({ expiresAt: new Date(Date.now() - 1000) });
    await expect(setPasswordWithLink(handle.db, second, "zweites-passwort-2")).rejects.toMatchObject({ code: "link_invalid" });
  });
});

describe("npm run staff", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "zf-staff-cli-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates the first manager on an empty database and prints a link through which they can sign in", async () => {
    // An empty embedded database in a folder of its own (the CLI is its only process).
    const env: NodeJS.ProcessEnv = { ...process.env, NEXTAUTH_URL: "https://dash.example", DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const run = (...args: string[]) => execFileSync("npm", ["run", "-s", "staff", "--", ...args], { env, encoding: "utf8" });
    const out = run("create", "--email", "Erste@Example.com", "--name", "Erste Managerin", "--role", "manager");
    const link = out.match(/https:\/\/dash\.example\/set-password\?token=[\w-]+/)?.[0];
    expect(link, out).toBeTruthy();
    expect(run("list")).toMatch(/erste@example\.com\tmanager\tcredentials\tno password\tenabled/);
    const db = await createDatabase({ dataDir: path.join(dataDir, "pglite") });
    try {
      await setPasswordWithLink(db.db, new URL(link!).searchParams.get("token")!, "sehr-geheim-123");
      expect((await verifyStaffCredentials(db.db, "erste@example.com", "sehr-geheim-123"))?.role).toBe("manager");
    } finally {
      await db.close();
    }
  });
});
