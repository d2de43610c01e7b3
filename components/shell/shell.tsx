import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import type { Role } from "@/lib/auth/permissions";
import type { NavItem } from "@/lib/navigation";
import { ConnectionIndicator } from "./connection-indicator";
import { SearchBox } from "./search-box";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

export interface ShellUser {
  name: string;
  email: string;
  role: Role;
}

export function Shell({ user, nav, children }: { user: ShellUser; nav: readonly NavItem[]; children: ReactNode }) {
  const t = useTranslations("common");
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        {t("skipToContent")}
      </a>
      <Sidebar items={nav} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-4 border-b border-slate-200 bg-white px-4">
          <SearchBox />
          <div className="ml-auto flex items-center gap-3">
            <ConnectionIndicator />
            <UserMenu user={user} />
          </div>
        </header>
        <main id="main" className="flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
