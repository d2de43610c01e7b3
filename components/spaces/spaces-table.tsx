"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/http/api-client";
import type { Spaces } from "@/lib/partner-api/schemas";
import { spaceKeys } from "@/lib/spaces/keys";
import { SPACE_PAGE_SIZES, SpacesPageQuery } from "@/lib/spaces/list-query";
import { useWriteError } from "./use-field-error";

/** A paginated table of the partner's spaces; the page lives in the URL so it survives a reload. */
export function SpacesTable() {
  const t = useTranslations();
  const writeError = useWriteError();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const parsed = SpacesPageQuery.safeParse(Object.fromEntries(searchParams));
  const { page, pageSize } = parsed.success ? parsed.data : SpacesPageQuery.parse({});

  const query = useQuery({
    queryKey: spaceKeys.list(page, pageSize),
    queryFn: () => apiFetch<Spaces>(`/api/spaces?page=${page}&pageSize=${pageSize}`),
    placeholderData: keepPreviousData,
  });

  function go(next: { page?: number; pageSize?: number }) {
    const params = new URLSearchParams(searchParams);
    params.set("page", String(next.page ?? page));
    params.set("pageSize", String(next.pageSize ?? pageSize));
    router.push(`${pathname}?${params}`);
  }

  if (query.isError && !query.data) {
    return (
      <div className="space-y-2">
        <Alert>
          {t("spaces.error")} {writeError(query.error)}
        </Alert>
        <Button variant="secondary" onClick={() => query.refetch()}>
          {t("common.retry")}
        </Button>
      </div>
    );
  }

  const spaces = query.data?.spaces ?? [];
  const totalPages = Math.max(query.data?.totalNumPages ?? 1, 1);
  const categoryLabel = (category: string) =>
    t.has(`categories.${category}`) ? t(`categories.${category}` as "categories.FLAT") : category;

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" aria-busy={query.isFetching}>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">{t("spaces.name")}</th>
              <th scope="col" className="px-3 py-2 font-medium">{t("spaces.address")}</th>
              <th scope="col" className="px-3 py-2 font-medium">{t("spaces.postcode")}</th>
              <th scope="col" className="px-3 py-2 font-medium">{t("spaces.city")}</th>
              <th scope="col" className="px-3 py-2 font-medium">{t("spaces.category")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {query.isPending
              ? Array.from({ length: 8 }, (_, i) => (
                  <tr key={i} aria-hidden>
                    <td colSpan={5} className="px-3 py-2">
                      <div className="h-4 animate-pulse rounded bg-slate-100" />
                    </td>
                  </tr>
                ))
              : spaces.map((space) => (
                  <tr key={space.id} className="hover:bg-slate-50" data-testid="space-row">
                    <td className="px-3 py-1.5 font-medium">{space.name}</td>
                    <td className="px-3 py-1.5">
                      {space.addressLineOne}
                      {space.addressLineTwo ? <span className="text-slate-500">, {space.addressLineTwo}</span> : null}
                    </td>
                    <td className="px-3 py-1.5 tabular-nums">{space.postcode}</td>
                    <td className="px-3 py-1.5">{space.city}</td>
                    <td className="px-3 py-1.5">{categoryLabel(space.category)}</td>
                  </tr>
                ))}
          </tbody>
        </table>
        {query.isPending ? <p className="sr-only" role="status">{t("common.loading")}</p> : null}
        {!query.isPending && spaces.length === 0 ? (
          <div className="p-8 text-center" role="status">
            <p className="font-medium">{t("spaces.empty")}</p>
            <p className="text-sm text-slate-500">{t("spaces.emptyHint")}</p>
          </div>
        ) : null}
      </div>
      <nav className="flex flex-wrap items-center gap-3 text-sm" aria-label={t("common.pageOf", { page: page + 1, total: totalPages })}>
        <Button variant="secondary" size="sm" disabled={page <= 0} onClick={() => go({ page: page - 1 })}>
          {t("common.previous")}
        </Button>
        <span className="tabular-nums" data-testid="page-indicator">
          {t("common.pageOf", { page: page + 1, total: totalPages })}
        </span>
        <Button variant="secondary" size="sm" disabled={page + 1 >= totalPages} onClick={() => go({ page: page + 1 })}>
          {t("common.next")}
        </Button>
        <label className="ml-auto flex items-center gap-2">
          {t("common.perPage")}
          <select
            className="h-8 rounded-md border border-slate-300 bg-white px-2"
            value={pageSize}
            onChange={(event) => go({ page: 0, pageSize: Number(event.target.value) })}
          >
            {SPACE_PAGE_SIZES.map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        </label>
        {query.isError && query.data ? <span className="text-red-700">{t("errors.upstream")}</span> : null}
      </nav>
    </div>
  );
}
