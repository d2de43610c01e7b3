/**
 * The CSV export on both databases, read back with papaparse: BOM, the reader's delimiter and
 * headings, exactly the filtered rows newest first with times in Berlin and summaries in the
 * reader's language, formula cells escaped, secrets absent; and that it really streams (one batch
 * per chunk, the first rows on the wire before the later ones are read, nothing read after a cancel).
 */
import { createTranslator } from "next-intl";
import Papa from "papaparse";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { TIME_ZONE, type Locale } from "@/lib/i18n/config";
import { messagesFor } from "@/lib/i18n/messages";
import { testDatabases } from "@/lib/testing/databases";
import type { MessageTranslator } from "./describe";
import { auditCsvStream, COLUMNS, type AuditCsvOptions } from "./export";
import type { AuditFilter } from "./schemas";

const BULK = 5_000;

function options(locale: Locale): AuditCsvOptions {
  const messages = messagesFor(locale);
  const t = createTranslator({ locale, messages, timeZone: TIME_ZONE, onError: (error) => { throw error; } }) as unknown as MessageTranslator;
  const headings = (messages.audit as { csv: AuditCsvOptions["headings"] }).csv;
  return { locale, t, headings };
}

const decoder = () => new TextDecoder("utf-8", { ignoreBOM: true });

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const reader = stream.getReader();
  const utf8 = decoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += utf8.decode(value, { stream: true });
  }
  return { text: text + utf8.decode(), chunks };
}

function parse(text: string) {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.data[0], rows: parsed.data.slice(1), delimiter: parsed.meta.delimiter };
}

const column = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);

describe.each(testDatabases())("the audit CSV export on $name", ({ open }) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await open();
    // Oldest first; the export lists them newest first.
    await handle.db.insert(auditLog).values({
      at: new Date("2026-03-29T22:30:00Z"), // 2026-03-30 00:30 in Berlin
      actorEmail: "csv@example.de",
      actorRole: "staff",
      action: "device.register",
      targetType: "device",
      targetId: "dev-1",
      details: { deviceName: "Zähler Keller", spaceId: "sp-1", accessToken: "eyJhbGci" },
      outcome: "ok",
      upstreamStatus: 201,
    });
    await handle.db.insert(auditLog).values({
      at: new Date("2026-03-30T08:00:00Z"),
      actorEmail: "csv@example.de",
      actorRole: "staff",
      action: "space.create",
      targetType: "space",
      targetId: "=1+1",
      details: { name: 'Haus "A"; Nord, 2' },
      outcome: "error",
      upstreamStatus: 502,
      errorMessage: "+SUM(A1)\nweiter",
    });
    await handle.db.insert(auditLog).values({
      at: new Date("2026-03-31T10:00:00Z"),
      actorEmail: "csv@example.de",
      actorRole: "manager",
      action: "staff.create",
      targetType: "staff",
      targetId: "6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10",
      details: { email: "neu@example.de", role: "manager", note: "link https://app.example/set/abc" },
      outcome: "ok",
    });
    await handle.db.insert(auditLog).values({ at: new Date("2026-03-30T09:00:00Z"), actorEmail: null, action: "invite.expire", targetType: "invite", targetId: "inv-1", outcome: "ok" });
    await handle.db.execute(sql`
      insert into audit_log (at, actor_email, actor_role, action, target_type, target_id, details, outcome)
      select timestamptz '2026-02-01 00:00:00+00' + n * interval '1 second', 'bulk@example.de', 'staff', 'space.update',
             'space', 'bulk-' || n, jsonb_build_object('name', 'Raum ' || n), 'ok'
      from generate_series(1, ${BULK}) as n`);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await handle?.close();
  });

  const csvOf = async (filter: AuditFilter, locale: Locale) => readAll(auditCsvStream(handle.db, filter, options(locale)));

  it("starts with a BOM and the headings given, in German with ';'", async () => {
    const { text } = await csvOf({ actor: "csv@example.de" }, "de");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const { header, delimiter } = parse(text);
    expect(delimiter).toBe(";");
    expect(header).toEqual(COLUMNS.map((c) => options("de").headings[c]));
    expect(header.slice(0, 2)).toEqual(["Zeitpunkt (Europe/Berlin)", "Wer"]);
    expect(text.split("\r\n")[0]).toBe("\uFEFF" + COLUMNS.map((c) => options("de").headings[c]).join(";"));
  });

  it("in English with ',' and the English headings; whatever headings are passed are used", async () => {
    const { text } = await csvOf({ actor: "csv@example.de" }, "en");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const { header, delimiter } = parse(text);
    expect(delimiter).toBe(",");
    expect(header).toEqual(COLUMNS.map((c) => options("en").headings[c]));
    expect(header).not.toEqual(COLUMNS.map((c) => options("de").headings[c]));

    const custom = Object.fromEntries(COLUMNS.map((c) => [c, `col:${c}`])) as AuditCsvOptions["headings"];
    const own = await readAll(auditCsvStream(handle.db, { actor: "nobody@example.de" }, { ...options("en"), headings: custom }));
    expect(parse(own.text).header).toEqual(COLUMNS.map((c) => `col:${c}`));
    expect(parse(own.text).rows).toEqual([]);
  });

  for (const locale of ["de", "en"] as const) {
    it(`holds exactly the filtered rows, newest first, with Berlin times and ${locale} summaries`, async () => {
      const { rows } = parse((await csvOf({ actor: "csv@example.de" }, locale)).text);
      expect(rows.map((r) => r[column("targetId")])).toEqual(["6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10", "'=1+1", "dev-1"]);
      expect(rows.every((r) => r.length === COLUMNS.length)).toBe(true);
      const [staff, space, device] = rows;
      expect(device[column("at")]).toBe("2026-03-30 00:30:00");
      expect(device.slice(column("actor"), column("summary"))).toEqual(["csv@example.de", "staff", "device.register"]);
      expect(device[column("summary")]).toBe(locale === "de" ? "Gerät „Zähler Keller“ registriert" : "Registered device “Zähler Keller”");
      expect(staff[column("summary")]).toBe(locale === "de" ? "neu@example.de als Manager:in hinzugefügt" : "Added neu@example.de as Manager");
      expect(space[column("summary")]).toBe(locale === "de" ? 'Raum „Haus "A"; Nord, 2“ angelegt' : 'Created space “Haus "A"; Nord, 2”');
      expect(device.slice(column("targetType"))).toEqual(["device", "dev-1", "ok", "201", "", expect.any(String)]);
      expect(space.slice(column("outcome"), column("details"))).toEqual(["error", "502", "'+SUM(A1)\nweiter"]);
      // Details as managers may read them: no token, no link.
      expect(JSON.parse(device[column("details")])).toEqual({ deviceName: "Zähler Keller", spaceId: "sp-1" });
      expect(JSON.parse(staff[column("details")])).toEqual({ email: "neu@example.de", role: "manager", note: "link [link]" });
    });
  }

  it("each filter narrows the export the same way as the page", async () => {
    const ids = async (filter: AuditFilter) => parse((await csvOf(filter, "en")).text).rows.map((r) => r[column("targetId")]);
    expect(await ids({ actor: "csv@example.de", action: "space" })).toEqual(["'=1+1"]);
    expect(await ids({ from: "2026-03-30", to: "2026-03-30" })).toEqual(["inv-1", "'=1+1", "dev-1"]);
    expect(await ids({ actor: "system" })).toEqual(["inv-1"]);
    expect(await ids({ outcome: "error" })).toEqual(["'=1+1"]);
    expect(await ids({ actor: "bulk@example.de", targetId: "bulk-17" })).toEqual(["bulk-17"]);
  });

  it("cells starting with = + - @ are escaped so a spreadsheet does not run them", async () => {
    const { text } = await csvOf({ actor: "csv@example.de", outcome: "error" }, "de");
    const [row] = parse(text).rows;
    expect(row[column("targetId")]).toBe("'=1+1");
    expect(row[column("errorMessage")]).toBe("'+SUM(A1)\nweiter"); // a line break does not hide a formula
    expect(text).not.toMatch(/[;\n]=1\+1/);
  });

  it("streams: one chunk per batch of 1,000 rows, the first before the later rows are read", async () => {
    const select = vi.spyOn(handle.db, "select");
    const reader = auditCsvStream(handle.db, { actor: "bulk@example.de" }, options("de")).getReader();
    const utf8 = decoder();
    const first = await reader.read();
    expect(utf8.decode(first.value!).startsWith("\uFEFF")).toBe(true);
    const second = await reader.read();
    const firstRows = utf8.decode(second.value!).trim().split("\r\n");
    expect(firstRows).toHaveLength(1_000);
    expect(firstRows[0]).toContain(`bulk-${BULK}`);
    // Rows 1,001 to 5,000 need at least four more queries: at most the next one has started.
    expect(select.mock.calls.length).toBeLessThanOrEqual(2);

    let chunks = 2;
    let rows = firstRows.length;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      rows += utf8.decode(value).trim().split("\r\n").length;
    }
    expect(rows).toBe(BULK);
    expect(chunks).toBeGreaterThanOrEqual(1 + BULK / 1_000);
    expect(select.mock.calls.length).toBeGreaterThanOrEqual(BULK / 1_000);
  });

  it("a cancelled download reads nothing more", async () => {
    const select = vi.spyOn(handle.db, "select");
    const reader = auditCsvStream(handle.db, { actor: "bulk@example.de" }, options("en")).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const after = select.mock.calls.length;
    expect(after).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(select.mock.calls.length).toBe(after);
  });

  it("the whole bulk export parses back to every row once, newest first", async () => {
    const { text, chunks } = await csvOf({ actor: "bulk@example.de" }, "en");
    const { rows } = parse(text);
    expect(chunks).toBeGreaterThan(1);
    expect(rows).toHaveLength(BULK);
    expect(rows[0][column("targetId")]).toBe(`bulk-${BULK}`);
    expect(rows.at(-1)![column("targetId")]).toBe("bulk-1");
    expect(new Set(rows.map((r) => r[column("targetId")])).size).toBe(BULK);
  });
});
