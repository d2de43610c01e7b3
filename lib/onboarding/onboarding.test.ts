/**
 * The guided onboarding and the tenant change against the real sandbox over HTTP and a memory://
 * database: what ends up upstream, idempotency of a repeat, resuming after a failure, and the
 * readings each tenant's user sees across the move-out date.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { contracts, invites, onboardings } from "@/lib/db/schema";
import { createPartnerClient, type PartnerClient } from "@/lib/partner-api";
import { CONFIG_DEFAULTS } from "@/lib/partner-api/config";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "@/lib/partner-api/defaults";
import { refreshSpaceIndex } from "@/lib/spaces/index";
import { searchCustomers } from "@/lib/customers/queries";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { sandboxClient } from "@/sandbox/test-client";
import { createOnboarding, saveDraft } from "./drafts";
import { findDuplicates } from "./duplicates";
import { berlinMidnight, runOnboarding } from "./run";
import { removeDueUsers } from "./sweep";

let sandbox: RunningSandbox;
let handle: DatabaseHandle;
let db: Database;
let client: PartnerClient;
const actor = { id: "3d0c5a4e-0000-4000-8000-00000000000a", email: "staff@example.test", role: "staff" as const };
const MELO = "DE0005626680210115ONBOARDTEST000001".slice(0, 33);


async function draft(values: Record<string, unknown>, kind: "customer" | "tenantChange" = "customer", previousContractId?: string) {
  const created = await createOnboarding(db, actor, kind, previousContractId);
  await saveDraft(db, actor, created.id, { values: values as Record<string, string | boolean | null>, step: 4 });
  return created.id;
}

const upstream = async () => ({
  customers: await client.getAllCustomers(),
  spaces: await client.getAllSpaces(),
});

// Each database with a sandbox of its own; the run's claim and the sweep's lock are decided in it.
describe.each(testDatabases())("onboarding on $name", ({ open }) => {
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, spaces: 30, readingDays: 1, seed: 21, quiet: true });
    handle = await open();
    db = handle.db;
    client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, retryBaseDelayMs: 5, maxRetries: 0 });
    await refreshSpaceIndex(db, client);
  });
  afterAll(async () => {
    await handle?.close();
    await sandbox?.close();
  });

  describe("guided onboarding", () => {
    let parentId: string;
    let values: Record<string, unknown>;

    it("one pass makes one customer, one contract, one space under the parent, one external device with the MeLo and one invite", async () => {
      parentId = (await client.getAllSpaces()).find((s) => s.category === "APARTMENT_BUILDING")!.id;
      values = {
        customerNumber: "KD-1001",
        customerName: "Erika Mustermann",
        email: "erika@example.de",
        contractNumber: "V-1001",
        addressLineOne: "Lindenstraße 4",
        addressLineTwo: "",
        postcode: "10115",
        city: "Berlin",
        parentSpaceId: parentId,
        medium: "ELECTRICITY",
        startDate: "2026-11-01",
        meterId: MELO,
        meterPath: "contract",
        inviteChannel: "space",
        sendEmail: true,
      };
      const before = await upstream();
      const id = await draft(values);
      const result = await runOnboarding(db, client, actor, id);
      expect(result.status).toBe("done");
      const after = await upstream();
      expect(after.customers.length - before.customers.length).toBe(1);
      const created = after.spaces.filter((s) => !before.spaces.some((b) => b.id === s.id));
      expect(created).toHaveLength(1);
      expect(created[0].parentSpaceId).toBe(parentId);
      const devices = await client.getAllDevicesInSpace(created[0].id);
      expect(devices.map((d) => d.externalDeviceId)).toEqual([MELO]);
      const [ledger] = await db.select().from(contracts).where(eq(contracts.externalId, "V-1001"));
      expect(ledger).toMatchObject({ spaceId: created[0].id, deviceId: devices[0].id, externalDeviceId: MELO, customerExternalId: "KD-1001" });
      const mails = (await sandboxClient(sandbox).control<{ emails: unknown[] }>("GET", "/outbox?to=erika%40example.de")).body.emails;
      expect(mails).toHaveLength(1); // one e-mail: the space invite, not also the platform's
      expect(await db.select().from(invites).where(eq(invites.email, "erika@example.de"))).toHaveLength(1);
      expect((await searchCustomers(db, "KD-1001"))[0]).toMatchObject({ externalId: "KD-1001", name: "Erika Mustermann" });
    });

    it("the same customer and contract numbers again create nothing upstream, and the checks say they exist", async () => {
      const report = await findDuplicates(db, { ...values, parentSpaceId: parentId } as never);
      expect(report.existingCustomer?.externalId).toBe("KD-1001");
      expect(report.existingContract).not.toBeNull();
      // Its own space and meter are not reported as duplicates of itself.
      expect(report.meterInSpaces).toHaveLength(0);
      expect(report.sameAddressSpaces).toHaveLength(0);
      const before = await upstream();
      const id = await draft(values);
      expect((await runOnboarding(db, client, actor, id)).status).toBe("done");
      const after = await upstream();
      expect(after.customers).toHaveLength(before.customers.length);
      expect(after.spaces).toHaveLength(before.spaces.length);
      expect(await db.select().from(contracts).where(eq(contracts.externalId, "V-1001"))).toHaveLength(1);
    });

    it("without the confirmation, a known MeLo stops the run before anything is sent", async () => {
      const id = await draft({ ...values, customerNumber: "KD-1002", contractNumber: "V-1002" });
      sandbox.resetStats();
      await expect(runOnboarding(db, client, actor, id)).rejects.toMatchObject({ code: "duplicates_found" });
      expect(sandbox.stats().requests.addUpdateCustomer ?? 0).toBe(0);
    });

    it("a failure at the contract step keeps the draft and the customer; the retry continues and makes exactly one of each", async () => {
      const v = { ...values, customerNumber: "KD-2001", contractNumber: "V-2001", meterId: "", meterPath: "none", addressLineOne: "Birkenweg 9", inviteChannel: "none", email: "" };
      const id = await draft(v);
      sandbox.setFaults({ failNext: { status: 503, count: 1, operations: ["addCustomerContract"] } });
      await expect(runOnboarding(db, client, actor, id)).rejects.toMatchObject({ code: "upstream_unavailable" });
      const [stopped] = await db.select().from(onboardings).where(eq(onboardings.id, id));
      expect(stopped.status).toBe("failed");
      expect(stopped.values).toMatchObject({ customerNumber: "KD-2001", addressLineOne: "Birkenweg 9" });
      expect(stopped.progress).toHaveProperty("customer");
      expect(stopped.progress).not.toHaveProperty("contract");
      sandbox.resetStats();
      expect((await runOnboarding(db, client, actor, id)).status).toBe("done");
      expect(sandbox.stats().requests.addCustomerContract).toBe(1);
      expect((await client.getAllCustomers()).filter((c) => c.external_id === "KD-2001")).toHaveLength(1);
      expect((await client.getAllSpaces()).filter((s) => s.addressLineOne === "Birkenweg 9")).toHaveLength(1);
    });
  });

  describe("tenant change", () => {
    it("the old tenant's view ends at the move-out date and the new one's starts there; users leave at the date", async () => {
      const melo = "DE0005626680210115TENANTCHANGE00001".slice(0, 33);
      const parentId = (await client.getAllSpaces()).filter((s) => s.category === "APARTMENT_BUILDING")[1].id;
      const oldValues = {
        customerNumber: "KD-3001", customerName: "Alt Mieter", email: "alt@example.de", contractNumber: "V-3001",
        addressLineOne: "Tauschweg 1", postcode: "20095", city: "Hamburg", parentSpaceId: parentId, medium: "ELECTRICITY",
        startDate: "2026-10-01", meterId: melo, meterPath: "contract", inviteChannel: "customer", sendEmail: true,
      };
      expect((await runOnboarding(db, client, actor, await draft(oldValues))).status).toBe("done");
      const [oldContract] = await db.select().from(contracts).where(eq(contracts.externalId, "V-3001"));
      const control = sandboxClient(sandbox);
      const acceptInvite = async (email: string) => {
        const [mail] = (await control.control<{ emails: { inviteToken: string }[] }>("GET", `/outbox?to=${encodeURIComponent(email)}`)).body.emails;
        return (await control.control<{ userId: string }>("POST", `/customer-invites/${mail.inviteToken}/accept`)).body.userId;
      };
      const oldUser = await acceptInvite("alt@example.de");

      const changeId = await draft(
        { customerNumber: "KD-3002", customerName: "Neu Mieterin", email: "neu@example.de", contractNumber: "V-3002", startDate: "2026-11-15", moveOutDate: "2026-11-15", removeUsers: "atDate", inviteChannel: "customer" },
        "tenantChange",
        oldContract.id,
      );
      expect((await runOnboarding(db, client, actor, changeId)).status).toBe("done");
      const [newContract] = await db.select().from(contracts).where(eq(contracts.externalId, "V-3002"));
      expect(newContract.deviceId).toBe(oldContract.deviceId); // the same meter
      const [ended] = await db.select().from(contracts).where(eq(contracts.id, oldContract.id));
      expect(ended.windowEnd?.getTime()).toBe(berlinMidnight("2026-11-15") * 1000);
      const newUser = await acceptInvite("neu@example.de");

      // Daily readings across the change, then each tenant's view.
      const day = (d: number) => berlinMidnight(`2026-11-${String(d).padStart(2, "0")}`) + 12 * 3600;
      await client.storeReadings([{ externalDeviceId: melo, readings: Array.from({ length: 30 }, (_, i) => ({ obisCode: "1.8.0", timestamp: day(i + 1), value: 1000 + i * 5 })) }]);
      const seenBy = async (userId: string) =>
        (
          await control.control<{ timeStamp: string }[]>(
            "GET",
            `/users/${userId}/devices/${oldContract.deviceId}/readings?measurement=METER_READING&resolution=1_DAY&startTime=2026-11-01T00:00:00Z&endTime=2026-12-01T00:00:00Z`,
          )
        ).body.map((p) => Date.parse(p.timeStamp) / 1000);
      const boundary = berlinMidnight("2026-11-15");
      const oldSees = await seenBy(oldUser);
      const newSees = await seenBy(newUser);
      expect(oldSees.length).toBeGreaterThan(0);
      expect(newSees.length).toBeGreaterThan(0);
      expect(oldSees.every((t) => t < boundary)).toBe(true);
      expect(newSees.every((t) => t >= boundary)).toBe(true);

      // The old tenant's users leave at the date: not before, exactly once after.
      expect(await removeDueUsers(db, client, new Date(boundary * 1000 - 1000))).toBe(0);
      expect((await client.getAllUsersInSpace(oldContract.spaceId!)).map((u) => u.id)).toContain(oldUser);
      expect(await removeDueUsers(db, client, new Date(boundary * 1000 + 1000))).toBe(1);
      expect(await removeDueUsers(db, client, new Date(boundary * 1000 + 2000))).toBe(0);
      expect(await client.getAllUsersInSpace(oldContract.spaceId!)).toHaveLength(0);
      expect(await db.select().from(contracts).where(and(eq(contracts.id, oldContract.id)))).toHaveLength(1);
    });
  });
});
