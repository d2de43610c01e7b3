import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { RoleProvider } from "@/components/session/role-context";
import { Shell } from "@/components/shell/shell";
import { getSessionUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NAV_ITEMS } from "@/lib/navigation";

// Every dashboard page needs a signed-in staff member; the proxy redirects too, but a page
// must not rely on it.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const nav = NAV_ITEMS.filter((item) => can(user.role, item.permission));
  return (
    <RoleProvider role={user.role}>
      <Shell user={{ name: user.name, email: user.email, role: user.role }} nav={nav}>
        {children}
      </Shell>
    </RoleProvider>
  );
}
