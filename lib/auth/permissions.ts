/**
 * The permission table: the single place that says which role may do what (../shared/DESIGN.md,
 * "Roles"). Route handlers and server actions ask `can(role, permission)` through
 * `requirePermission` in lib/auth/session.ts; the UI asks the same table only to hide what the
 * server would refuse anyway.
 */
export const ROLES = ["support", "staff", "manager"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  // one's own session (sign-out, including the identity provider's session)
  "session.own": ["support", "staff", "manager"],
  // look up and view spaces, devices, readings, users, invites
  "spaces.read": ["support", "staff", "manager"],
  "devices.read": ["support", "staff", "manager"],
  "readings.read": ["support", "staff", "manager"],
  "users.read": ["support", "staff", "manager"],
  "invites.read": ["support", "staff", "manager"],
  "system.status": ["support", "staff", "manager"],
  "customers.read": ["support", "staff", "manager"],
  // create and edit spaces, register/link devices, edit device details, enter readings, invite users
  "spaces.write": ["staff", "manager"],
  "devices.write": ["staff", "manager"],
  "readings.write": ["staff", "manager"],
  "users.add": ["staff", "manager"],
  "invites.create": ["staff", "manager"],
  // onboard customers (guided or bulk import), tenant change
  "onboarding.write": ["staff", "manager"],
  // resend or revoke invites, remove users, unlink or delete devices, delete spaces, audit, staff
  "invites.manage": ["manager"],
  "users.remove": ["manager"],
  "devices.delete": ["manager"],
  "spaces.delete": ["manager"],
  "audit.read": ["manager"],
  "staff.manage": ["manager"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission a role holds, for the session payload the UI reads. */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
