"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Send, X } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useCan } from "@/components/session/role-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { ApiError } from "@/lib/http/api-client";
import { inviteKeys } from "@/lib/invites/keys";
import type { InviteView } from "@/lib/invites/types";
import { INVITE_STATUSES } from "@/lib/invites/validation";
import { fetchInvites, resendInvite } from "./api";
import { InviteActionsCell, InviteInfoCells } from "./invite-cells";
import { useAccessRoles } from "./use-access-roles";
import { useWriteError } from "@/components/spaces/use-field-error";

const PAGE_SIZE = 50;
const FILTERS = ["status", "spaceId", "accessRoleId", "createdBy", "olderThanDays", "q", "sort", "dir", "page"] as const;
type Filter = (typeof FILTERS)[number];

type RowResult = { state: "running" } | { state: "sent" } | { state: "recent" } | { state: "failed"; message: string };

/** Every invite across spaces: filters and paging live in the URL and are applied by the server. */
export function InvitesTable() {
  const t = useTranslations("invites");
  const writeError = useWriteError();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const canManage = useCan("invites.manage");
  const roles = useAccessRoles();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Map<string, RowResult>>(new Map());
  const [includeRecent, setIncludeRecent] = useState(false);
  const [bulkRunning, setBulkRunning] = useState(false);

  const filters = Object.fromEntries(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : []))) as Partial<Record<Filter, string>>;
  const query = useQuery({
    queryKey: inviteKeys.list({ ...filters, pageSize: PAGE_SIZE }),
    queryFn: ({ signal }) => fetchInvites(new URLSearchParams({ ...filters, pageSize: String(PAGE_SIZE) }), signal),
    placeholderData: keepPreviousData,
  });

  function setFilter(name: Filter, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== "page") next.delete("page");
    router.replace(`${pathname}?${next}`, { scroll: false });
    setSelected(new Set());
  }

  async function bulkResend() {
    const rows = (query.data?.invites ?? []).filter((i) => selected.has(i.id));
    setBulkRunning(true);
    setResults(new Map(rows.map((r) => [r.id, { state: "running" } as RowResult])));
    for (const row of rows) {
      let result: RowResult;
      try {
        await resendInvite(row.id, includeRecent);
        result = { state: "sent" };
      } catch (error) {
        result = error instanceof ApiError && error.code === "recently_sent" ? { state: "recent" } : { state: "failed", message: error instanceof Error ? error.message : String(error) };
      }
      setResults((previous) => new Map(previous).set(row.id, result));
    }
    setBulkRunning(false);
    await queryClient.invalidateQueries({ queryKey: inviteKeys.all });
  }

  const data = query.data;
  const page = Number(filters.page ?? 0);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const pendingOnPage = (data?.invites ?? []).filter((i) => i.status === "pending");
  const done = [...results.values()].filter((r) => r.state !== "running").length;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-2" role="search" aria-label={t("filters")}>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("searchEmail")}</span>
          <Input type="search" defaultValue={filters.q ?? ""} onChange={(e) => setFilter("q", e.target.value.trim() || null)} className="w-56" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("statusLabel")}</span>
          <Select value={filters.status ?? ""} onChange={(e) => setFilter("status", e.target.value || null)} className="w-36">
            <option value="">{t("all")}</option>
            {INVITE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("role")}</span>
          <Select value={filters.accessRoleId ?? ""} onChange={(e) => setFilter("accessRoleId", e.target.value || null)} className="w-40">
            <option value="">{t("all")}</option>
            {(roles.data?.accessRoles ?? []).map((r) => (r.id ? <option key={r.id} value={r.id}>{r.name}</option> : null))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("createdBy")}</span>
          <Select value={filters.createdBy ?? ""} onChange={(e) => setFilter("createdBy", e.target.value || null)} className="w-48">
            <option value="">{t("all")}</option>
            {(data?.inviters ?? []).map((email) => (
              <option key={email} value={email}>
                {email}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("age")}</span>
          <Select value={filters.olderThanDays ?? ""} onChange={(e) => setFilter("olderThanDays", e.target.value || null)} className="w-40">
            <option value="">{t("anyAge")}</option>
            {[1, 3, 7, 30].map((d) => (
              <option key={d} value={d}>
                {t("olderThan", { days: d })}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("sortBy")}</span>
          <Select value={`${filters.sort ?? "createdAt"}:${filters.dir ?? "desc"}`} onChange={(e) => {
            const [sort, dir] = e.target.value.split(":");
            const next = new URLSearchParams(params);
            next.set("sort", sort);
            next.set("dir", dir);
            next.delete("page");
            router.replace(`${pathname}?${next}`, { scroll: false });
          }} className="w-48">
            <option value="createdAt:desc">{t("sort.newest")}</option>
            <option value="createdAt:asc">{t("sort.oldest")}</option>
            <option value="lastSentAt:desc">{t("sort.lastSent")}</option>
            <option value="email:asc">{t("sort.email")}</option>
          </Select>
        </label>
        {filters.spaceId ? (
          <Button size="sm" variant="secondary" onClick={() => setFilter("spaceId", null)}>
            <X aria-hidden className="size-4" />
            {t("onlySpace", { space: data?.invites[0]?.spaceName ?? filters.spaceId })}
          </Button>
        ) : null}
      </div>

      {canManage && pendingOnPage.length > 0 ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
          <span>{t("selected", { count: selected.size })}</span>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" className="size-4" checked={includeRecent} onChange={(e) => setIncludeRecent(e.target.checked)} />
            {t("includeRecent")}
          </label>
          <Button size="sm" disabled={selected.size === 0 || bulkRunning} onClick={bulkResend}>
            <Send aria-hidden className="size-4" />
            {t("resendSelected")}
          </Button>
          {results.size > 0 ? (
            <span role="status" data-testid="bulk-progress">
              {t("bulkProgress", { done, total: results.size })}
            </span>
          ) : null}
        </div>
      ) : null}

      {query.isPending ? (
        <EmptyNote>{t("loading")}</EmptyNote>
      ) : query.isError ? (
        <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>
      ) : data!.invites.length === 0 ? (
        <EmptyNote>{t("empty")}</EmptyNote>
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              {canManage ? (
                <Th>
                  <input
                    type="checkbox"
                    aria-label={t("selectAll")}
                    className="size-4"
                    checked={pendingOnPage.length > 0 && pendingOnPage.every((i) => selected.has(i.id))}
                    onChange={(e) => setSelected(e.target.checked ? new Set(pendingOnPage.map((i) => i.id)) : new Set())}
                  />
                </Th>
              ) : null}
              <Th>{t("email")}</Th>
              <Th>{t("space")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("statusLabel")}</Th>
              <Th>{t("createdBy")}</Th>
              <Th>{t("lastSent")}</Th>
              <Th>{t("sendCount")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </>
          }
        >
          {data!.invites.map((invite: InviteView) => {
            const result = results.get(invite.id);
            return (
              <tr key={invite.id} data-testid="invite-row">
                {canManage ? (
                  <Td>
                    {invite.status === "pending" ? (
                      <input
                        type="checkbox"
                        aria-label={t("selectRow", { email: invite.email })}
                        className="size-4"
                        checked={selected.has(invite.id)}
                        onChange={(e) => {
                          const next = new Set(selected);
                          if (e.target.checked) next.add(invite.id);
                          else next.delete(invite.id);
                          setSelected(next);
                        }}
                      />
                    ) : null}
                  </Td>
                ) : null}
                <Td className="font-medium">{invite.email}</Td>
                <Td>
                  <Link href={`/spaces/${encodeURIComponent(invite.spaceId)}?tab=invites`} className="hover:underline">
                    {invite.spaceName ?? invite.spaceId}
                  </Link>
                  <button type="button" className="ml-2 text-xs text-brand-700 hover:underline" onClick={() => setFilter("spaceId", invite.spaceId)}>
                    {t("filterSpace")}
                  </button>
                </Td>
                <InviteInfoCells invite={invite} />
                <InviteActionsCell
                  invite={invite}
                  before={
                    result ? (
                      <span data-testid="bulk-result" className={result.state === "failed" ? "text-xs text-red-700" : "text-xs text-slate-700"}>
                        {result.state === "failed" ? `${t("result.failed")} ${result.message}` : t(`result.${result.state}`)}
                      </span>
                    ) : null
                  }
                />
              </tr>
            );
          })}
        </Table>
      )}

      {data && data.total > PAGE_SIZE ? (
        <nav aria-label={t("pagination")} className="flex items-center justify-end gap-2 text-sm">
          <Button size="sm" variant="secondary" disabled={page === 0} onClick={() => setFilter("page", String(page - 1))}>
            <ChevronLeft aria-hidden className="size-4" />
            {t("previous")}
          </Button>
          <span>{t("pageOf", { page: page + 1, pages })}</span>
          <Button size="sm" variant="secondary" disabled={page + 1 >= pages} onClick={() => setFilter("page", String(page + 1))}>
            {t("next")}
            <ChevronRight aria-hidden className="size-4" />
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
