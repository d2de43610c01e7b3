/**
 * The audit log page's query on both databases: newest first, keyset paging without duplicates
 * or gaps, every filter of the form (who, action or object, object type and id, outcome, Berlin
 * calendar days), empty form fields meaning "no filter", and details cleaned of secrets and links
 * even in rows written before that rule.
 */
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { testDatabases } from "@/lib/testing/databases";
import { AUDIT_PAGE_SIZE, auditBatches, auditConditions, displayableDetails, listAuditLog } from "./query";
import { AuditFilter, AuditPageQuery } from "./schemas";

type Row = typeof auditLog.$inferInsert;

/**
 * The fixture, oldest first (ids rise in this order). `targetId` doubles as the row's name in
 * the expectations below. Berlin days noted for the rows near a day's edge.
 */
const FIXTURE: Row[] = [
  // 2026-01-16 00:30 in Berlin (CET, +1)
  { at: new Date("2026-01-15T23:30:00Z"), actorEmail: "a@example.de", actorRole: "manager", action: "space.create", targetType: "space", targetId: "sp-winter", outcome: "ok" },
  // 2026-03-28 23:30 in Berlin (still CET)
  { at: new Date("2026-03-28T22:30:00Z"), actorEmail: "a@example.de", actorRole: "manager", action: "space.create", targetType: "space", targetId: "sp-1", outcome: "ok" },
  // 2026-03-29 00:30 in Berlin (the night the clocks change)
  { at: new Date("2026-03-28T23:30:00Z"), actorEmail: null, action: "invite.expire", targetType: "invite", targetId: "inv-1", outcome: "ok" },
  // 2026-03-29 23:30 in Berlin (CEST, +2)
  { at: new Date("2026-03-29T21:30:00Z"), actorEmail: "b@example.de", actorRole: "staff", action: "spaces.x", targetType: "space", targetId: "sp-plural", outcome: "ok" },
  // 2026-03-30 00:30 in Berlin: a failed sign-in of someone without an account
  { at: new Date("2026-03-29T22:30:00Z"), actorEmail: null, action: "auth.signIn", targetType: "staff", targetId: "unknown@example.de", outcome: "error", errorMessage: "invalid credentials" },
  { at: new Date("2026-03-30T12:00:00Z"), actorEmail: "b@example.de", actorRole: "staff", action: "spacex.y", targetType: "space", targetId: "sp-x", outcome: "ok" },
  // b acts on a's account: not a's own row
  { at: new Date("2026-03-31T08:00:00Z"), actorEmail: "b@example.de", actorRole: "manager", action: "staff.role", targetType: "staff", targetId: "a@example.de", outcome: "ok" },
  // 2026-03-31 23:59 in Berlin
  { at: new Date("2026-03-31T21:59:00Z"), actorEmail: "a@example.de", actorRole: "manager", action: "space.update", targetType: "space", targetId: "sp-1-update", outcome: "error", upstreamStatus: 409 },
  // 2026-04-01 00:00 in Berlin
  { at: new Date("2026-03-31T22:00:00Z"), actorEmail: "a@example.de", actorRole: "manager", action: "device.register", targetType: "device", targetId: "dev-1", outcome: "ok" },
];
const ALL_NEWEST_FIRST = FIXTURE.map((r) => r.targetId).reverse();

describe.each(testDatabases())("the audit log page's query on $name", ({ open }) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await open();
    for (const row of FIXTURE) await handle.db.insert(auditLog).values(row);
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** The names (target ids) of the rows a filter from query parameters finds, newest first. */
  const find = async (query: Record<string, string>) => {
    const page = await listAuditLog(handle.db, AuditFilter.parse(query));
    expect(page.nextBefore).toBeNull();
    return page.entries.map((e) => e.targetId);
  };

  describe("order and entries", () => {
    it("lists every row newest first, as the browser sees it", async () => {
      const page = await listAuditLog(handle.db, {});
      expect(page.entries.map((e) => e.targetId)).toEqual(ALL_NEWEST_FIRST);
      const ids = page.entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((x, y) => y - x));
      expect(page.entries[0]).toEqual({
        id: expect.any(Number),
        at: "2026-03-31T22:00:00.000Z",
        actor: "a@example.de",
        actorRole: "manager",
        action: "device.register",
        targetType: "device",
        targetId: "dev-1",
        details: null,
        outcome: "ok",
        upstreamStatus: null,
        errorMessage: null,
      });
      expect(page.nextBefore).toBeNull();
    });

    it("auditConditions: no condition for an empty filter, the filter's rows otherwise", async () => {
      expect(auditConditions({})).toBeUndefined();
      const [{ n }] = await handle.db.select({ n: count() }).from(auditLog).where(auditConditions({ actor: "a@example.de", outcome: "ok" }));
      expect(n).toBe(3);
      const newest = (await listAuditLog(handle.db, {})).entries[0].id;
      const [{ m }] = await handle.db.select({ m: count() }).from(auditLog).where(auditConditions({}, newest));
      expect(m).toBe(FIXTURE.length - 1);
    });
  });

  describe("filters", () => {
    it("actor: that person's rows only, whatever the case typed", async () => {
      expect(await find({ actor: "a@example.de" })).toEqual(["dev-1", "sp-1-update", "sp-1", "sp-winter"]);
      expect(await find({ actor: "  B@Example.DE " })).toEqual(["a@example.de", "sp-x", "sp-plural"]);
      expect(await find({ actor: "nobody@example.de" })).toEqual([]);
    });

    it('actor "system": the rows without an actor', async () => {
      expect(await find({ actor: "system" })).toEqual(["unknown@example.de", "inv-1"]);
      expect(await find({ actor: "System" })).toEqual(["unknown@example.de", "inv-1"]);
    });

    it("actor: a failed sign-in of an unknown person is found by the e-mail typed", async () => {
      const page = await listAuditLog(handle.db, AuditFilter.parse({ actor: "Unknown@Example.de" }));
      expect(page.entries).toHaveLength(1);
      expect(page.entries[0]).toMatchObject({ actor: null, action: "auth.signIn", targetId: "unknown@example.de", outcome: "error" });
    });

    it("action: a whole action matches exactly; an object matches its actions but not look-alikes", async () => {
      expect(await find({ action: "space.create" })).toEqual(["sp-1", "sp-winter"]);
      expect(await find({ action: "space" })).toEqual(["sp-1-update", "sp-1", "sp-winter"]);
      expect(await find({ action: "spaces" })).toEqual(["sp-plural"]);
      expect(await find({ action: "spacex.y" })).toEqual(["sp-x"]);
      expect(await find({ action: "space.cr" })).toEqual([]);
      expect(await find({ action: "auth" })).toEqual(["unknown@example.de"]);
    });

    it("action: anything but a word or word.word is refused (no LIKE wildcards reach SQL)", () => {
      for (const action of ["space%", "sp_ce", "space.", ".create", "space.create.x", "a b"]) {
        const parsed = AuditFilter.safeParse({ action });
        expect(parsed.success, action).toBe(false);
        expect(parsed.error?.issues[0].path).toEqual(["action"]);
      }
    });

    it("targetType and targetId", async () => {
      expect(await find({ targetType: "device" })).toEqual(["dev-1"]);
      expect(await find({ targetType: "staff" })).toEqual(["a@example.de", "unknown@example.de"]);
      expect(await find({ targetId: "sp-1" })).toEqual(["sp-1"]);
      expect(await find({ targetType: "space", targetId: "dev-1" })).toEqual([]);
      expect(AuditFilter.safeParse({ targetType: "reactor" }).success).toBe(false);
    });

    it("outcome, alone and with other filters", async () => {
      expect(await find({ outcome: "error" })).toEqual(["sp-1-update", "unknown@example.de"]);
      expect(await find({ outcome: "ok", actor: "system" })).toEqual(["inv-1"]);
      expect(await find({ outcome: "error", actor: "a@example.de", action: "space" })).toEqual(["sp-1-update"]);
      expect(AuditFilter.safeParse({ outcome: "failed" }).success).toBe(false);
    });

    it("from/to: Berlin calendar days, both included, in summer time", async () => {
      // 2026-03-29T22:30Z is already 2026-03-30 in Berlin (CEST).
      expect(await find({ from: "2026-03-30", to: "2026-03-30" })).toEqual(["sp-x", "unknown@example.de"]);
      expect(await find({ to: "2026-03-29", from: "2026-03-29" })).toEqual(["sp-plural", "inv-1"]);
      // 21:59Z on the 31st is 23:59 in Berlin; 22:00Z is the 1st.
      expect(await find({ from: "2026-03-31", to: "2026-03-31" })).toEqual(["sp-1-update", "a@example.de"]);
      expect(await find({ from: "2026-04-01" })).toEqual(["dev-1"]);
      expect(await find({ to: "2026-03-31", from: "2026-03-30" })).toEqual(["sp-1-update", "a@example.de", "sp-x", "unknown@example.de"]);
    });

    it("from/to: in winter time and across the night the clocks change", async () => {
      // 2026-03-28T23:30Z is 00:30 on the 29th in Berlin (CET); 22:30Z is still the 28th.
      expect(await find({ from: "2026-03-28", to: "2026-03-28" })).toEqual(["sp-1"]);
      expect(await find({ from: "2026-01-16", to: "2026-01-16" })).toEqual(["sp-winter"]);
      expect(await find({ to: "2026-01-15" })).toEqual([]);
      expect(await find({ to: "2026-03-28" })).toEqual(["sp-1", "sp-winter"]);
    });

    it("a `to` before `from` is refused at `to`; a malformed day at its field", () => {
      const reversed = AuditFilter.safeParse({ from: "2026-03-30", to: "2026-03-29" });
      expect(reversed.success).toBe(false);
      expect(reversed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["to", "range"]]);
      expect(AuditFilter.safeParse({ from: "2026-03-30", to: "2026-03-30" }).success).toBe(true);
      for (const from of ["30.03.2026", "2026-3-30", "2026-03-30T00:00", "yesterday"]) {
        const bad = AuditFilter.safeParse({ from });
        expect(bad.success, from).toBe(false);
        expect(bad.error?.issues[0]).toMatchObject({ path: ["from"], message: "date" });
      }
    });

    it("a day that does not exist in the calendar (2026-02-30) is refused by the schema, not by the database", () => {
      // The regex alone lets these through, and PostgreSQL then fails the query (a 500, not a 400).
      for (const day of ["2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01"]) {
        expect(AuditFilter.safeParse({ from: day }).success, `from=${day}`).toBe(false);
        expect(AuditFilter.safeParse({ to: day }).success, `to=${day}`).toBe(false);
      }
    });

    it("empty query parameters mean no filter", async () => {
      const blank = { actor: "", action: "", targetType: "", targetId: "  ", outcome: "", from: "", to: "", before: "" };
      const parsed = AuditPageQuery.parse(blank);
      expect(Object.values(parsed).filter((v) => v !== undefined)).toEqual([]);
      const { before, ...filter } = parsed;
      expect((await listAuditLog(handle.db, filter, before)).entries.map((e) => e.targetId)).toEqual(ALL_NEWEST_FIRST);
      // Only the empty one is dropped.
      expect(await find({ ...blank, before: undefined as unknown as string, outcome: "error" })).toEqual(["sp-1-update", "unknown@example.de"]);
    });

    it("AuditPageQuery reads `before` as a positive whole number", () => {
      expect(AuditPageQuery.parse({ before: "17", actor: "system" })).toMatchObject({ before: 17, actor: "system" });
      for (const before of ["0", "-3", "1.5", "abc"]) expect(AuditPageQuery.safeParse({ before }).success, before).toBe(false);
    });
  });

  describe("keyset paging", () => {
    const TOTAL = 2 * AUDIT_PAGE_SIZE + 17;

    beforeAll(async () => {
      const base = Date.parse("2025-06-01T10:00:00Z");
      const rows = Array.from({ length: TOTAL }, (_, i): Row => ({
        at: new Date(base + i * 60_000),
        actorEmail: "pager@example.de",
        action: "space.update",
        targetType: "space",
        targetId: `page-${i}`,
        outcome: "ok",
      }));
      await handle.db.insert(auditLog).values(rows);
      // Exactly one page's worth for another actor: no "next" page after it.
      await handle.db.insert(auditLog).values(
        Array.from({ length: AUDIT_PAGE_SIZE }, (_, i): Row => ({ actorEmail: "fifty@example.de", action: "space.update", targetType: "space", targetId: `fifty-${i}`, outcome: "ok" })),
      );
    });

    it("page 2 continues exactly where page 1 ended: no duplicates, no gaps, null at the end", async () => {
      const filter = { actor: "pager@example.de" };
      const seen: string[] = [];
      const sizes: number[] = [];
      let before: number | undefined;
      for (let n = 0; n < 10; n++) {
        const page = await listAuditLog(handle.db, filter, before);
        sizes.push(page.entries.length);
        seen.push(...page.entries.map((e) => e.targetId));
        if (page.nextBefore === null) break;
        expect(page.nextBefore).toBe(page.entries.at(-1)!.id);
        before = page.nextBefore;
      }
      expect(sizes).toEqual([AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE, 17]);
      expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => `page-${TOTAL - 1 - i}`));
    });

    it("the page after the last full page: nextBefore is null when exactly a page's worth is left", async () => {
      const page = await listAuditLog(handle.db, { actor: "fifty@example.de" });
      expect(page.entries).toHaveLength(AUDIT_PAGE_SIZE);
      expect(page.nextBefore).toBeNull();
      const more = await listAuditLog(handle.db, { actor: "pager@example.de" });
      expect(more.nextBefore).not.toBeNull();
    });

    it("the cursor keeps the filter: a filtered page 2 holds only filtered rows", async () => {
      const first = await listAuditLog(handle.db, { action: "space.update" });
      expect(first.nextBefore).not.toBeNull();
      const second = await listAuditLog(handle.db, { action: "space.update" }, first.nextBefore!);
      expect(second.entries.every((e) => e.action === "space.update")).toBe(true);
      expect(second.entries[0].id).toBeLessThan(first.entries.at(-1)!.id);
    });

    it("auditBatches: the same rows in the same order, in batches of the size asked, no empty last batch", async () => {
      const filter = { actor: "pager@example.de" };
      const batches: string[][] = [];
      for await (const batch of auditBatches(handle.db, filter, 39)) batches.push(batch.map((e) => e.targetId));
      expect(batches.map((b) => b.length)).toEqual([39, 39, 39]);
      expect(batches.flat()).toEqual(Array.from({ length: TOTAL }, (_, i) => `page-${TOTAL - 1 - i}`));
      const fifty: number[] = [];
      for await (const batch of auditBatches(handle.db, { actor: "fifty@example.de" }, 25)) fifty.push(batch.length);
      expect(fifty).toEqual([25, 25]);
      const none: unknown[] = [];
      for await (const batch of auditBatches(handle.db, { actor: "nobody@example.de" })) none.push(batch);
      expect(none).toEqual([]);
    });
  });

  describe("details", () => {
    it("a row written before secrets were dropped is shown without them, and without links", async () => {
      await handle.db.insert(auditLog).values({
        actorEmail: "old@example.de",
        action: "invite.create",
        targetType: "invite",
        targetId: "inv-old",
        outcome: "ok",
        details: { email: "kunde@example.de", inviteLink: "https://app.example/join/abc", upstream: { accessToken: "eyJhbGci", note: "sent via https://mail.example/x?id=9 today" } },
      });
      const [row] = (await listAuditLog(handle.db, { targetId: "inv-old" })).entries;
      expect(row.details).toEqual({ email: "kunde@example.de", upstream: { note: "sent via [link] today" } });
      expect(JSON.stringify(row)).not.toMatch(/abc|eyJ|mail\.example/);
    });
  });
});

describe("displayableDetails", () => {
  it("removes secret-named keys at any depth, in objects and arrays", () => {
    const shown = displayableDetails({
      name: "Lindenstraße 4",
      password: "demo",
      nested: { apiKey: "k", api_key: "k2", Authorization: "Bearer x", deeper: [{ client_secret: "s", refreshToken: "r", keep: 1 }, { invite_url: "u" }] },
      declarationOfConsent: "base64…",
    });
    expect(shown).toEqual({ name: "Lindenstraße 4", nested: { deeper: [{ keep: 1 }, {}] } });
  });

  it("replaces links of any scheme inside strings, leaving the rest of the text", () => {
    const shown = displayableDetails({
      note: "see https://evil.example/join/abc?x=1 now",
      two: "http://a.example and HTTPS://B.EXAMPLE/x",
      ftp: "ftp://files.example/a.csv",
      custom: "open myapp+v2.beta://deep/link",
      list: ["x", "ssh://host", 3, null, true],
      nested: { deep: { text: "go to s3://bucket/key." } },
      plain: "example.com and a@b.de and 10:30 // no scheme",
      number: 42,
    });
    expect(shown).toEqual({
      note: "see [link] now",
      two: "[link] and [link]",
      ftp: "[link]",
      custom: "open [link]",
      list: ["x", "[link]", 3, null, true],
      nested: { deep: { text: "go to [link]" } },
      plain: "example.com and a@b.de and 10:30 // no scheme",
      number: 42,
    });
  });

  it("leaves the input untouched", () => {
    const input = { token: "t", note: "https://x.example" };
    displayableDetails(input);
    expect(input).toEqual({ token: "t", note: "https://x.example" });
  });
});
