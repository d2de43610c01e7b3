import { afterEach, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { can, PERMISSIONS, ROLES, type Permission } from "@/lib/auth/permissions";
import { AuthError, authorize, forgetAccountState, requirePermission, type SessionUser } from "@/lib/auth/session";

// The session cookie the browser would send (next/headers' cookies() outside a request).
const jar: { token?: string } = {};
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (name === "next-auth.session-token" && jar.token ? { name, value: jar.token } : undefined),
    getAll: () => [],
  }),
}));
// The account's current state as the database has it (lib/auth/staff.ts accountState).
const accounts = new Map<string, { role: string; disabled: boolean }>();
vi.mock("@/lib/db", () => ({ getDb: async () => ({}) }));
vi.mock("@/lib/auth/staff", () => ({ accountState: async (_db: unknown, id: string) => accounts.get(id) ?? null }));
vi.stubEnv("NEXTAUTH_SECRET", "permissions-test-secret");
vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
const signedIn = async (claims: Record<string, unknown> | null, maxAge = 3600) => {
  if (claims && typeof claims.id === "string" && typeof claims.role === "string" && !accounts.has(claims.id)) accounts.set(claims.id, { role: claims.role, disabled: false });
  jar.token = claims ? await encode({ token: claims, secret: "permissions-test-secret", maxAge }) : undefined;
};

// DESIGN.md "Roles", written out per permission. Row groups follow the three lines of that table.
const MATRIX = `
                     support  staff  manager
  session.own           ✓       ✓       ✓
  spaces.read           ✓       ✓       ✓
  devices.read          ✓       ✓       ✓
  readings.read         ✓       ✓       ✓
  users.read            ✓       ✓       ✓
  invites.read          ✓       ✓       ✓
  system.status         ✓       ✓       ✓
  customers.read        ✓       ✓       ✓
  spaces.write          –       ✓       ✓
  devices.write         –       ✓       ✓
  readings.write        –       ✓       ✓
  users.add             –       ✓       ✓
  invites.create        –       ✓       ✓
  onboarding.write      –       ✓       ✓
  invites.manage        –       –       ✓
  users.remove          –       –       ✓
  devices.delete        –       –       ✓
  spaces.delete         –       –       ✓
  audit.read            –       –       ✓
  staff.manage          –       –       ✓
`;

const [header, ...rows] = MATRIX.trim().split("\n").map((line) => line.trim().split(/\s+/));
const expected = rows.map(([permission, ...marks]) => ({ permission: permission as Permission, marks }));

describe("the permission table", () => {
  it("has the roles of DESIGN.md, in the same order as the matrix columns", () => {
    expect(header).toEqual([...ROLES]);
  });

  it("lists exactly the permissions of the matrix", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(expected.map((e) => e.permission).sort());
  });

  it.each(expected)("$permission matches DESIGN.md", ({ permission, marks }) => {
    expect(ROLES.map((role) => (can(role, permission) ? "✓" : "–"))).toEqual(marks);
  });

  it("grants nothing without a role", () => {
    expect(can(null, "spaces.read")).toBe(false);
    expect(can(undefined, "spaces.read")).toBe(false);
  });
});

const user = (role: SessionUser["role"]): SessionUser => ({ id: `id-${role}`, email: `${role}@example.com`, name: role, role });

describe("authorize", () => {
  it("answers 401 without a user", () => {
    expect(() => authorize(null, "spaces.read")).toThrow(expect.objectContaining({ status: 401 }));
  });

  it("answers 403 naming the role when support tries a write", () => {
    let error: unknown;
    try {
      authorize(user("support"), "spaces.write");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining("(support)") });
  });

  it("returns the user when the role may", () => {
    expect(authorize(user("manager"), "spaces.delete")).toEqual(user("manager"));
  });
});

describe("requirePermission", () => {
  afterEach(() => signedIn(null));

  it("answers 401 when nobody is signed in", async () => {
    await signedIn(null);
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
  });

  it("answers 401 for a session whose role is unknown, or whose token is forged or expired", async () => {
    await signedIn({ id: "x", email: "x@example.com", name: "X", role: "admin" });
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
    jar.token = "not-a-token";
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
    jar.token = await encode({ token: { ...user("manager") }, secret: "another-secret" });
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
    await signedIn({ ...user("manager") }, -10);
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
  });

  it("answers 403 for support on a write", async () => {
    await signedIn({ ...user("support") });
    await expect(requirePermission("invites.create")).rejects.toMatchObject({ status: 403 });
  });

  it("takes the role from the account as it is now, and refuses a disabled account", async () => {
    const id = "0b5c1c0e-0000-4000-8000-0000000000d1";
    accounts.set(id, { role: "support", disabled: false });
    await signedIn({ ...user("manager"), id }); // demoted since the token was issued
    await expect(requirePermission("staff.manage")).rejects.toMatchObject({ status: 403 });
    const other = "0b5c1c0e-0000-4000-8000-0000000000d2";
    accounts.set(other, { role: "manager", disabled: true });
    await signedIn({ ...user("manager"), id: other });
    await expect(requirePermission("spaces.read")).rejects.toMatchObject({ status: 401 });
  });

  it("a session already seen follows a role change too (the decoded-token cache must not hide it)", async () => {
    const id = "0b5c1c0e-0000-4000-8000-0000000000d3";
    accounts.set(id, { role: "manager", disabled: false });
    await signedIn({ ...user("manager"), id });
    await expect(requirePermission("staff.manage")).resolves.toMatchObject({ role: "manager" });
    accounts.set(id, { role: "staff", disabled: false });
    forgetAccountState(id);
    await expect(requirePermission("staff.manage")).rejects.toMatchObject({ status: 403 });
  });

  it("returns exactly the session user for a manager", async () => {
    await signedIn({ ...user("manager"), picture: "ignored", sub: user("manager").id });
    await expect(requirePermission("staff.manage")).resolves.toEqual(user("manager"));
  });
});
