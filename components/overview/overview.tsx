"use client";

import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import Link from "next/link";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { EmptyNote } from "@/components/ui/table";
import { apiFetch } from "@/lib/http/api-client";
import { overviewKeys } from "@/lib/overview/keys";
import type { Overview as OverviewData } from "@/lib/overview/types";

/** `/`: key figures, each linked to its list, and what needs attention today. */
export function Overview() {
  const t = useTranslations("overview");
  const locale = useLocale();
  const writeError = useWriteError();
  const query = useQuery({ queryKey: overviewKeys.figures(), queryFn: ({ signal }) => apiFetch<OverviewData>("/api/overview", { signal }), refetchInterval: 60_000 });
  if (query.isPending) return <EmptyNote>{t("loading")}</EmptyNote>;
  if (query.isError) return <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>;
  const { figures: f, attention, coverage, settings } = query.data;
  const tiles = [
    { key: "customers", value: f.customers, href: "/customers" },
    { key: "spaces", value: f.spaces, href: "/spaces/list" },
    { key: "devicesConnected", value: f.devices.connected, href: null },
    { key: "devicesConnecting", value: f.devices.connecting, href: null },
    { key: "devicesFailed", value: f.devices.failed, href: null },
    { key: "users", value: f.users, href: "/spaces/list" },
    { key: "openInvites", value: f.openInvites, href: "/invites?status=pending" },
  ] as const;
  const open = attention.filter((a) => a.count > 0);
  return (
    <div className="space-y-6">
      <section aria-labelledby="figures-title" className="space-y-2">
        <h2 id="figures-title" className="text-base font-semibold">
          {t("figures")}
        </h2>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
          {tiles.map((tile) => (
            <li key={tile.key}>
              <MaybeLink href={tile.href} testId={`figure-${tile.key}`} className="block rounded-lg border border-slate-200 bg-white p-3 hover:border-brand-300 hover:bg-brand-50 focus-visible:outline-2">
                <span className="block text-2xl font-semibold tabular-nums">{tile.value.toLocaleString(locale)}</span>
                <span className="block text-xs text-slate-600">{t(`tiles.${tile.key}`)}</span>
              </MaybeLink>
            </li>
          ))}
        </ul>
        {coverage.crawledSpaces < coverage.spaces ? <p className="text-xs text-slate-500">{t("coverage", { crawled: coverage.crawledSpaces, spaces: coverage.spaces })}</p> : null}
      </section>
      <section aria-labelledby="attention-title" className="space-y-2">
        <h2 id="attention-title" className="text-base font-semibold">
          {t("attention")}
        </h2>
        {open.length === 0 ? <EmptyNote>{t("nothing")}</EmptyNote> : null}
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {open.map((item) => (
            <li key={item.kind}>
              <MaybeLink href={item.href} testId={`attention-${item.kind}`} className="flex items-center gap-3 px-3 py-2 text-sm hover:bg-slate-50">
                <span className="min-w-10 rounded bg-red-50 px-2 py-0.5 text-center font-semibold tabular-nums text-red-800">{item.count.toLocaleString(locale)}</span>
                <span>{t(`items.${item.kind}`, { hours: settings.connectingHours, days: item.kind === "invitesPending" ? settings.inviteDays : settings.readingDays })}</span>
              </MaybeLink>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** A tile or line links to its list where that list exists. */
function MaybeLink({ href, testId, className, children }: { href: string | null; testId: string; className: string; children: ReactNode }) {
  return href ? (
    <Link href={href} data-testid={testId} className={className}>
      {children}
    </Link>
  ) : (
    <div data-testid={testId} className={className}>
      {children}
    </div>
  );
}
