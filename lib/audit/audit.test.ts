import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { testDatabases } from "@/lib/testing/databases";
import { audit, listAudit } from "@/lib/audit";

let handle: DatabaseHandle;

// The same tests on the embedded database and on PostgreSQL (several instances share one).
describe.each(testDatabases())(`the audit log on $name`, ({ open }) => {
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });


  const actor = { id: "6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10", email: "staff@example.com", role: "staff" as const };

  describe("audit", () => {
    it("writes one row with actor, action, target and outcome", async () => {
      const id = await audit(handle.db, {
        actor,
        action: "space.create",
        target: { type: "space", id: "sp-1" },
        summary: "Created space Lindenstraße 4",
        details: { name: "Lindenstraße 4" },
        outcome: "ok",
        upstreamStatus: 201,
      });
      const [row] = await listAudit(handle.db, { targetType: "space", targetId: "sp-1", limit: 10 });
      expect(row).toMatchObject({
        id,
        actorId: actor.id,
        actorEmail: "staff@example.com",
        actorRole: "staff",
        action: "space.create",
        targetType: "space",
        targetId: "sp-1",
        summary: "Created space Lindenstraße 4",
        details: { name: "Lindenstraße 4" },
        outcome: "ok",
        upstreamStatus: 201,
        errorMessage: null,
      });
      expect(row.at).toBeInstanceOf(Date);
    });

    it("records failures with the upstream status and message", async () => {
      await audit(handle.db, {
        actor,
        action: "device.register",
        target: { type: "space", id: "sp-err" },
        outcome: "error",
        upstreamStatus: 409,
        errorMessage: "MeLo already registered",
      });
      const [row] = await listAudit(handle.db, { targetType: "space", targetId: "sp-err", limit: 1 });
      expect(row).toMatchObject({ outcome: "error", upstreamStatus: 409, errorMessage: "MeLo already registered", details: null });
    });

    it("never stores secrets, however deep they are in details", async () => {
      await audit(handle.db, {
        actor,
        action: "invite.create",
        target: { type: "invite", id: "inv-1" },
        details: {
          email: "kunde@example.de",
          inviteLink: "https://app.example/join/abc",
          upstream: { accessToken: "eyJ…", nested: [{ client_secret: "s3cr3t", keep: 1 }] },
          declarationOfConsent: "base64…",
          password: "demo",
        },
        outcome: "ok",
      });
      const [row] = await listAudit(handle.db, { targetType: "invite", targetId: "inv-1", limit: 1 });
      expect(row.details).toEqual({ email: "kunde@example.de", upstream: { nested: [{ keep: 1 }] } });
      expect(JSON.stringify(row)).not.toMatch(/abc|eyJ|s3cr3t|base64|demo/);
    });

    it("records system events without an actor", async () => {
      await audit(handle.db, { actor: null, action: "invite.expire", target: { type: "invite", id: "inv-old" }, outcome: "ok" });
      const [row] = await listAudit(handle.db, { targetType: "invite", targetId: "inv-old", limit: 1 });
      expect(row).toMatchObject({ actorId: null, actorEmail: null, actorRole: null, action: "invite.expire" });
    });

    it("lists newest first and pages with `before`", async () => {
      for (const n of [1, 2, 3]) {
        await audit(handle.db, { actor, action: "space.update", target: { type: "space", id: "sp-page" }, summary: `#${n}`, outcome: "ok" });
      }
      const firstPage = await listAudit(handle.db, { targetType: "space", targetId: "sp-page", limit: 2 });
      expect(firstPage.map((r) => r.summary)).toEqual(["#3", "#2"]);
      const secondPage = await listAudit(handle.db, { targetType: "space", targetId: "sp-page", limit: 2, before: firstPage[1].id });
      expect(secondPage.map((r) => r.summary)).toEqual(["#1"]);
      const all = await listAudit(handle.db, { limit: 100 });
      expect(all.length).toBeGreaterThanOrEqual(7);
    });
  });
});
