/**
 * The onboarding and customer route handlers called directly: who may start, see and run an
 * onboarding (DESIGN.md "Roles": support sees, staff onboards), and that a draft is its owner's.
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

const { createDatabase } = await import("@/lib/db");
const onboardings = await import("./route");
const one = await import("./[id]/route");

const as = (role: SessionUser["role"] | null, id = `00000000-0000-4000-8000-00000000000${role === "manager" ? 3 : role === "staff" ? 2 : 1}`) => {
  current.user = role ? { id, email: `${role}@example.test`, name: role, role } : null;
};
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const post = (body: unknown) => new Request("http://test/api/onboardings", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", origin: "http://test" } });

beforeAll(async () => {
  current.db = await createDatabase({ dataDir: "memory://" });
});
afterAll(async () => {
  await current.db?.close();
});

describe("onboarding routes", () => {
  it("401 without a session; support may not start or list onboardings; staff may", async () => {
    as(null);
    expect((await onboardings.POST(post({ kind: "customer" }), ctx())).status).toBe(401);
    as("support");
    expect((await onboardings.POST(post({ kind: "customer" }), ctx())).status).toBe(403);
    expect((await onboardings.GET(new Request("http://test/api/onboardings"), ctx())).status).toBe(403);
    as("staff");
    const created = await onboardings.POST(post({ kind: "customer" }), ctx());
    expect(created.status).toBe(200);
    const { onboarding } = await created.json();
    expect((await (await onboardings.GET(new Request("http://test/api/onboardings"), ctx())).json()).onboardings.map((o: { id: string }) => o.id)).toEqual([onboarding.id]);
    // Another staff member does not see or open it; a malformed id is simply unknown.
    as("staff", "00000000-0000-4000-8000-0000000000ff");
    expect((await one.GET(new Request("http://test/x"), ctx({ id: onboarding.id }))).status).toBe(404);
    expect((await one.GET(new Request("http://test/x"), ctx({ id: "not-a-uuid" }))).status).toBe(404);
  });
});
