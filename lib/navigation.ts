import type { Permission } from "@/lib/auth/permissions";

/** The sidebar: one entry per feature page, shown only to roles that may open it. */
export interface NavItem {
  href: string;
  /** Key under `nav` in the message files. */
  labelKey: "overview" | "spaces" | "invites" | "customers" | "onboarding" | "staff" | "audit";
  icon: "gauge" | "building" | "mail" | "users" | "userPlus" | "shield" | "scroll";
  permission: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", labelKey: "overview", icon: "gauge", permission: "spaces.read" },
  { href: "/customers", labelKey: "customers", icon: "users", permission: "customers.read" },
  { href: "/onboarding", labelKey: "onboarding", icon: "userPlus", permission: "onboarding.write" },
  { href: "/spaces", labelKey: "spaces", icon: "building", permission: "spaces.read" },
  { href: "/invites", labelKey: "invites", icon: "mail", permission: "invites.read" },
  { href: "/staff", labelKey: "staff", icon: "shield", permission: "staff.manage" },
  { href: "/audit", labelKey: "audit", icon: "scroll", permission: "audit.read" },
];
