"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronRight, ListTree, RefreshCw } from "lucide-react";
import { useTranslations } from "next-intl";
import { SpaceContracts } from "@/components/customers/space-contracts";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { SpaceActivityTab } from "@/components/activity/space-activity-tab";
import { SpaceDevicesTab } from "@/components/devices/space-devices-tab";
import { SpaceInvitesTab } from "@/components/invites/space-invites-tab";
import { SpaceReadingsTab } from "@/components/readings/space-readings-tab";
import { SpaceUsersTab } from "@/components/users/space-users-tab";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Tabs } from "@/components/ui/tabs";
import { useCan } from "@/components/session/role-context";
import { ApiError } from "@/lib/http/api-client";
import { spaceKeys } from "@/lib/spaces/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { fetchSpaceDetail } from "./api";
import { CategoryIcon } from "./category-icon";
import { DeleteSpaceButton } from "./delete-space-dialog";
import { MoveSpaceButton } from "./move-space-dialog";
import { CreateSpaceButton, EditSpaceButton } from "./space-form-dialog";
import { useSpaceLabels } from "./use-labels";

const TAB_KEYS = ["overview", "devices", "users", "invites", "readings", "activity"] as const;
type TabKey = (typeof TAB_KEYS)[number];

/** The open tab lives in `?tab=` so a link can open a space on its readings or invites. */
function useTabInUrl(): [TabKey, (key: TabKey) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = params.get("tab");
  const tab = (TAB_KEYS as readonly string[]).includes(value ?? "") ? (value as TabKey) : "overview";
  function setTab(key: TabKey) {
    const next = new URLSearchParams(params);
    if (key === "overview") next.delete("tab");
    else next.set("tab", key);
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }
  return [tab, setTab];
}

/** One space: where it hangs, what it is, its children, live devices and users, and what staff may do with it. */
export function SpaceView({ id }: { id: string }) {
  const t = useTranslations();
  const tErrors = useTranslations("errors");
  const labels = useSpaceLabels();
  const canWrite = useCan("spaces.write");
  const canDelete = useCan("spaces.delete");
  const [tab, setTab] = useTabInUrl();
  const query = useQuery({
    queryKey: spaceKeys.detail(id),
    queryFn: ({ signal }) => fetchSpaceDetail(id, signal),
  });

  if (query.isPending) {
    return (
      <p role="status" className="text-sm text-slate-500">
        {t("common.loading")}
      </p>
    );
  }
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div className="space-y-3">
        <Alert>{notFound ? t("spacePage.notFound") : `${t("spacePage.loadError")} ${query.error.message}`}</Alert>
        <div className="flex gap-2">
          {notFound ? null : (
            <Button variant="secondary" onClick={() => query.refetch()}>
              {t("common.retry")}
            </Button>
          )}
          <Link href="/spaces" className="inline-flex h-9 items-center rounded-md px-3 text-sm text-brand-700 hover:underline">
            {t("spacePage.backToTree")}
          </Link>
        </div>
      </div>
    );
  }

  const { space, ancestors, devices, users, upstreamError, impact } = query.data;

  return (
    <div className="space-y-4">
      <nav aria-label={t("spacePage.breadcrumb")}>
        <ol className="flex flex-wrap items-center gap-1 text-sm text-slate-600">
          <li>
            <Link href="/spaces" className="hover:underline">
              {t("nav.spaces")}
            </Link>
          </li>
          {ancestors.map((a) => (
            <li key={a.id} className="flex items-center gap-1">
              <ChevronRight aria-hidden className="size-3.5 text-slate-400" />
              <Link href={`/spaces/${encodeURIComponent(a.id)}`} className="hover:underline">
                {a.name}
              </Link>
            </li>
          ))}
          <li className="flex items-center gap-1">
            <ChevronRight aria-hidden className="size-3.5 text-slate-400" />
            <span aria-current="page" className="font-medium text-slate-900">
              {space.name}
            </span>
          </li>
        </ol>
      </nav>

      <header className="flex flex-wrap items-start gap-3">
        <CategoryIcon category={space.category} className="mt-1 size-6" />
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-semibold" data-testid="space-name">
            {space.name}
          </h1>
          <p className="text-sm text-slate-600">
            {[space.addressLineOne, space.addressLineTwo, `${space.postcode} ${space.city}`].filter(Boolean).join(", ")}
            {" · "}
            {labels.category(space.category)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link
            href={`/spaces?selected=${encodeURIComponent(space.id)}`}
            className="inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm text-slate-700 hover:bg-slate-100"
          >
            <ListTree aria-hidden className="size-4" />
            {t("spacePage.showInTree")}
          </Link>
          {canWrite ? (
            <>
              <CreateSpaceButton variant="secondary" parent={{ id: space.id, name: space.name }} label={t("spaceForm.createChild")} />
              <EditSpaceButton space={space} />
              <MoveSpaceButton space={space} ancestors={ancestors} />
            </>
          ) : null}
          {canDelete ? <DeleteSpaceButton space={space} impact={impact} /> : null}
        </div>
      </header>

      <SpaceContracts spaceId={space.id} />

      {upstreamError ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="flex-1">
            {t("spacePage.liveUnavailable")} {tErrors.has(`codes.${upstreamError}`) ? tErrors(`codes.${upstreamError}`) : tErrors("upstream")}
          </span>
          <Button size="sm" variant="secondary" disabled={query.isFetching} onClick={() => query.refetch()}>
            <RefreshCw aria-hidden className={query.isFetching ? "size-4 animate-spin" : "size-4"} />
            {t("common.retry")}
          </Button>
        </div>
      ) : null}

      <Tabs<TabKey>
        label={t("spacePage.tabsLabel")}
        active={tab}
        onChange={setTab}
        items={[
          { key: "overview", label: t("spacePage.tabs.overview"), content: <Overview detail={query.data} /> },
          {
            key: "devices",
            label: devices ? `${t("spacePage.tabs.devices")} (${devices.length})` : t("spacePage.tabs.devices"),
            content: <SpaceDevicesTab detail={query.data} />,
          },
          {
            key: "users",
            label: users ? `${t("spacePage.tabs.users")} (${users.length})` : t("spacePage.tabs.users"),
            content: <SpaceUsersTab detail={query.data} />,
          },
          { key: "invites", label: t("spacePage.tabs.invites"), content: <SpaceInvitesTab detail={query.data} /> },
          { key: "readings", label: t("spacePage.tabs.readings"), content: <SpaceReadingsTab detail={query.data} /> },
          { key: "activity", label: t("spacePage.tabs.activity"), content: <SpaceActivityTab detail={query.data} /> },
        ]}
      />
    </div>
  );
}

function Overview({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("spacePage");
  const labels = useSpaceLabels();
  const { space, children } = detail;
  const rows: [string, string][] = [
    [t("address"), [space.addressLineOne, space.addressLineTwo].filter(Boolean).join(", ")],
    [t("postcodeCity"), `${space.postcode} ${space.city}`],
    [t("category"), labels.category(space.category)],
    [t("ltt"), space.isParticipatingInLttProject ? t("yes") : t("no")],
    [t("id"), space.id],
  ];
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="children-heading">
        <h2 id="children-heading" className="mb-2 text-sm font-semibold">
          {t("children", { count: children.length })}
        </h2>
        {children.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noChildren")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
            {children.map((child) => (
              <li key={child.id}>
                <Link
                  href={`/spaces/${encodeURIComponent(child.id)}`}
                  className="flex items-center gap-2 px-3 py-1.5 text-sm hover:bg-slate-50"
                  data-testid="child-space"
                >
                  <CategoryIcon category={child.category} />
                  <span className="font-medium">{child.name}</span>
                  <span className="text-xs text-slate-500">
                    {child.postcode} {child.city}
                  </span>
                  {child.childCount > 0 ? (
                    <span className="ml-auto text-xs text-slate-500">{t("childCount", { count: child.childCount })}</span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
