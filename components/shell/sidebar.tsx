"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { Building2, Gauge, Mail, ScrollText, ShieldCheck, UserPlus, Users } from "lucide-react";
import type { NavItem } from "@/lib/navigation";
import { cn } from "@/components/ui/cn";

const icons = { gauge: Gauge, building: Building2, mail: Mail, users: Users, userPlus: UserPlus, shield: ShieldCheck, scroll: ScrollText } as const;

export function Sidebar({ items }: { items: readonly NavItem[] }) {
  const t = useTranslations();
  const pathname = usePathname();
  return (
    <aside className="hidden w-56 shrink-0 flex-col border-r border-slate-200 bg-white md:flex">
      <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4">
        <Gauge aria-hidden className="size-5 text-brand-600" />
        <span className="text-sm font-semibold leading-tight">{t("app.name")}</span>
      </div>
      <nav aria-label={t("nav.label")} className="flex-1 p-2">
        <ul className="space-y-0.5">
          {items.map((item) => {
            const Icon = icons[item.icon];
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium",
                    active ? "bg-brand-50 text-brand-900" : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  <Icon aria-hidden className="size-4" />
                  {t(`nav.${item.labelKey}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </aside>
  );
}
