/**
 * The import routes called directly: 401 without a session, 403 for support (onboarding.write is
 * staff and managers), and a job that is another staff member's is a 404 for them, not theirs to
 * read or start (managers see every job). Session and database are injected through vi.mock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db";

const current: { user: SessionUser | null; db?: DatabaseHandle } = { user: null };

vi.mock("@/lib/auth/session", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/session")>();
  return { ...original, requirePermission: (p: Parameters<typeof original.authorize>[1]) => Promise.resolve(original.authorize(current.user, p)) };
});
vi.mock("@/lib/db", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/lib/db")>()), getDb: () => Promise.resolve(current.db!.db) }));
vi.mock("@/lib/imports/runner", () => ({ kickImportWorker: () => undefined }));

const { createDatabase } = await import("@/lib/db");
const { importJobs } = await import("@/lib/db/schema");
const list = await import("./route");
const job = await import("./[id]/route");
const control = await import("./[id]/control/route");
const presets = await import("./presets/route");

const ids = { staff: "00000000-0000-4000-8000-000000000001", other: "00000000-0000-4000-8000-000000000002", manager: "00000000-0000-4000-8000-000000000003", support: "00000000-0000-4000-8000-000000000004" };
const as = (who: keyof typeof ids | null) => {
  const role = who === "other" ? "staff" : who;
  current.user = who && role ? { id: ids[who], email: `${who}@example.test`, name: who, role } : null;
};
const ORIGIN = { origin: "http://test" };
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const post = (body: unknown) => new Request("http://test/api/x", { method: "POST", headers: { ...ORIGIN, "content-type": "application/json" }, body: JSON.stringify(body) });
let jobId: string;

beforeAll(async () => {
  current.db = await createDatabase({ dataDir: "memory://" });
  const [row] = await current.db.db.insert(importJobs).values({ staffId: ids.staff, staffEmail: "staff@example.test", fileName: "erp.csv", headers: ["Kundennummer"], mapping: { customerNumber: 0 } }).returning();
  jobId = row.id;
});
afterAll(async () => {
  await current.db?.close();
});

describe("import routes", () => {
  it("answer 401 without a session and 403 for support, on every handler", async () => {
    for (const who of [null, "support"] as const) {
      as(who);
      const expected = who ? 403 : 401;
      expect((await list.GET(new Request("http://test/api/imports"), ctx())).status).toBe(expected);
      expect((await list.POST(post({ fileName: "a.csv", contentBase64: "YQ==" }), ctx())).status).toBe(expected);
      expect((await job.GET(new Request("http://test/api/imports/x"), ctx({ id: jobId }))).status).toBe(expected);
      expect((await control.POST(post({ action: "start" }), ctx({ id: jobId }))).status).toBe(expected);
      expect((await presets.GET(new Request("http://test/api/imports/presets"), ctx())).status).toBe(expected);
    }
  });

  it("a job is its owner's: another staff member gets 404 and cannot start it; a manager reads it", async () => {
    as("other");
    expect((await job.GET(new Request("http://test/api/imports/x"), ctx({ id: jobId }))).status).toBe(404);
    expect((await control.POST(post({ action: "start" }), ctx({ id: jobId }))).status).toBe(404);
    const listed = (await (await list.GET(new Request("http://test/api/imports"), ctx())).json()) as { jobs: unknown[] };
    expect(listed.jobs).toHaveLength(0);
    as("manager");
    expect((await job.GET(new Request("http://test/api/imports/x"), ctx({ id: jobId }))).status).toBe(200);
    as("staff");
    const own = (await (await job.GET(new Request("http://test/api/imports/x"), ctx({ id: jobId }))).json()) as { job: { fileName: string; status: string } };
    expect(own.job).toMatchObject({ fileName: "erp.csv", status: "draft" });
  });
});
