"use client";

import { List, ListTree } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** "Baum | Liste": the same spaces as a hierarchy or as the paginated table. */
export function ViewSwitch({ current }: { current: "tree" | "list" }) {
  const t = useTranslations("spaces.view");
  const items = [
    { key: "tree", href: "/spaces", icon: ListTree },
    { key: "list", href: "/spaces/list", icon: List },
  ] as const;
  return (
    <nav aria-label={t("label")} className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-sm">
      {items.map(({ key, href, icon: Icon }) => (
        <Link
          key={key}
          href={href}
          aria-current={current === key ? "page" : undefined}
          className={cn(
            "flex items-center gap-1.5 rounded px-2.5 py-1",
            current === key ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:bg-slate-50",
          )}
        >
          <Icon aria-hidden className="size-4" />
          {t(key)}
        </Link>
      ))}
    </nav>
  );
}
