/**
 * GET /api/audit and GET /api/audit/export called directly: only managers read the log, a bad
 * filter answers 400 naming its field, and the export is a CSV attachment of the filtered rows in
 * the reader's language. Session, database and the request's locale are injected through vi.mock.
 */
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db";
import type { Locale } from "@/lib/i18n/config";

const current: { user: SessionUser | null; db?: DatabaseHandle; locale: Locale } = { user: null, locale: "de" };

vi.mock("@/lib/auth/session", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/session")>();
  return { ...original, requirePermission: (p: Parameters<typeof original.authorize>[1]) => Promise.resolve(original.authorize(current.user, p)) };
});
vi.mock("@/lib/db", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/db")>()), getDb: () => Promise.resolve(current.db!.db) }));
// next-intl's request config needs Next's request scope; here the translator is built from the real messages.
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("next-intl");
  const { messagesFor } = await import("@/lib/i18n/messages");
  return {
    getLocale: () => Promise.resolve(current.locale),
    getTranslations: ({ locale, namespace }: { locale: Locale; namespace?: string }) =>
      Promise.resolve(createTranslator({ locale, messages: messagesFor(locale), namespace, timeZone: "Europe/Berlin" })),
  };
});

const { createDatabase } = await import("@/lib/db");
const { auditLog } = await import("@/lib/db/schema");
const { COLUMNS } = await import("@/lib/audit/export");
const { messagesFor } = await import("@/lib/i18n/messages");
const list = await import("./route");
const exportRoute = await import("./export/route");

const as = (role: SessionUser["role"] | null) => {
  current.user = role ? { id: "00000000-0000-4000-8000-000000000003", email: `${role}@example.test`, name: role, role } : null;
};
const ctx = () => ({ params: Promise.resolve({}) });
const get = (url: string) => new Request(`http://test${url}`);
type Page = { entries: { id: number; targetId: string; actor: string | null; action: string; details: Record<string, unknown> | null }[]; nextBefore: number | null };

beforeAll(async () => {
  current.db = await createDatabase({ dataDir: "memory://" });
  await current.db.db.insert(auditLog).values([
    { at: new Date("2026-03-29T22:30:00Z"), actorEmail: null, action: "auth.signIn", targetType: "staff", targetId: "unknown@example.de", outcome: "error", errorMessage: "invalid credentials" },
    { at: new Date("2026-03-30T08:00:00Z"), actorEmail: "staff@example.test", actorRole: "staff", action: "space.create", targetType: "space", targetId: "sp-1", details: { name: "Lindenstraße 4", accessToken: "eyJhbGci" }, outcome: "ok" },
    { at: new Date("2026-03-31T08:00:00Z"), actorEmail: "manager@example.test", actorRole: "manager", action: "staff.create", targetType: "staff", targetId: "6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10", details: { email: "neu@example.de", role: "staff" }, outcome: "ok" },
  ]);
});
afterAll(async () => {
  await current.db?.close();
});

describe("permissions", () => {
  it("401 without a session on both handlers", async () => {
    as(null);
    expect((await list.GET(get("/api/audit"), ctx())).status).toBe(401);
    expect((await exportRoute.GET(get("/api/audit/export"), ctx())).status).toBe(401);
  });

  it("403 for support and staff on both handlers", async () => {
    for (const role of ["support", "staff"] as const) {
      as(role);
      const page = await list.GET(get("/api/audit"), ctx());
      expect(page.status, role).toBe(403);
      expect(JSON.stringify(await page.json())).not.toContain("sp-1");
      expect((await exportRoute.GET(get("/api/audit/export"), ctx())).status, role).toBe(403);
    }
  });

  it("200 for a manager with the entries newest first, details cleaned", async () => {
    as("manager");
    const res = await list.GET(get("/api/audit"), ctx());
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page.entries.map((e) => e.targetId)).toEqual(["6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10", "sp-1", "unknown@example.de"]);
    expect(page.nextBefore).toBeNull();
    expect(page.entries[1].details).toEqual({ name: "Lindenstraße 4" });
  });
});

describe("GET /api/audit filters", () => {
  it("filters from the query, empty parameters ignored", async () => {
    as("manager");
    const ids = async (query: string) => ((await (await list.GET(get(`/api/audit?${query}`), ctx())).json()) as Page).entries.map((e) => e.targetId);
    expect(await ids("actor=system")).toEqual(["unknown@example.de"]);
    expect(await ids("actor=unknown%40example.de")).toEqual(["unknown@example.de"]);
    expect(await ids("action=space&outcome=&from=&to=")).toEqual(["sp-1"]);
    expect(await ids("targetType=staff&outcome=ok")).toEqual(["6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10"]);
    expect(await ids("from=2026-03-30&to=2026-03-30")).toEqual(["sp-1", "unknown@example.de"]);
    const all = ((await (await list.GET(get("/api/audit"), ctx())).json()) as Page).entries;
    expect(await ids(`before=${all[0].id}`)).toEqual(["sp-1", "unknown@example.de"]);
    expect(await ids(`before=${all[1].id}&actor=staff%40example.test`)).toEqual([]);
  });

  it("400 with fieldErrors naming the field: malformed day, to before from, unknown targetType, bad cursor", async () => {
    as("manager");
    const cases: [string, string][] = [
      ["from=30.03.2026", "from"],
      ["to=2026-3-1", "to"],
      ["from=2026-03-30&to=2026-03-29", "to"],
      ["targetType=reactor", "targetType"],
      ["outcome=maybe", "outcome"],
      ["action=space%25", "action"],
      ["before=abc", "before"],
    ];
    for (const [query, field] of cases) {
      const res = await list.GET(get(`/api/audit?${query}`), ctx());
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { fieldErrors: Record<string, string[]> } };
      expect(Object.keys(body.error.fieldErrors), query).toEqual([field]);
    }
    const reversed = await exportRoute.GET(get("/api/audit/export?from=2026-03-30&to=2026-03-29"), ctx());
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors).toEqual({ to: ["range"] });
  });

  it("400, not 500, for a day that does not exist (2026-02-30), on the page and the export", async () => {
    as("manager");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await list.GET(get("/api/audit?from=2026-02-30"), ctx());
      expect(res.status).toBe(400);
      expect(Object.keys(((await res.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors)).toEqual(["from"]);
      // The export would otherwise answer 200 and then break off its body when the query fails.
      expect((await exportRoute.GET(get("/api/audit/export?to=2026-02-30"), ctx())).status).toBe(400);
    } finally {
      error.mockRestore();
    }
  });
});

describe("GET /api/audit/export", () => {
  const download = async (query: string) => {
    const res = await exportRoute.GET(get(`/api/audit/export?${query}`), ctx());
    return { res, text: res.status === 200 ? new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer()) : "" };
  };

  it("a CSV attachment of the filtered rows, German by default", async () => {
    as("manager");
    current.locale = "de";
    const { res, text } = await download("outcome=ok&targetType=");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
    expect(parsed.meta.delimiter).toBe(";");
    const csv = (messagesFor("de").audit as { csv: Record<string, string> }).csv;
    expect(parsed.data[0]).toEqual(COLUMNS.map((c) => csv[c]));
    const rows = parsed.data.slice(1);
    expect(rows.map((r) => r[COLUMNS.indexOf("targetId")])).toEqual(["6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10", "sp-1"]);
    expect(rows[0][COLUMNS.indexOf("summary")]).toBe("neu@example.de als Mitarbeiter:in hinzugefügt");
    expect(text).not.toContain("eyJ");
  });

  it("in English for an English reader, with the same filter as the page", async () => {
    as("manager");
    current.locale = "en";
    try {
      const { res, text } = await download("actor=system");
      expect(res.status).toBe(200);
      const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
      expect(parsed.meta.delimiter).toBe(",");
      expect(parsed.data[0][0]).toBe("Time (Europe/Berlin)");
      expect(parsed.data.slice(1).map((r) => [r[COLUMNS.indexOf("targetId")], r[COLUMNS.indexOf("summary")], r[COLUMNS.indexOf("at")]])).toEqual([
        ["unknown@example.de", "Failed sign-in", "2026-03-30 00:30:00"],
      ]);
    } finally {
      current.locale = "de";
    }
  });
});
