"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { customerKeys } from "@/lib/customers/keys";
import { fetchCustomers } from "./api";

/** Every customer, searched by number, name or e-mail and paged on the server; query and page live in the URL. */
export function CustomersTable() {
  const t = useTranslations("customers");
  const writeError = useWriteError();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const q = params.get("q") ?? "";
  const page = Number(params.get("page") ?? 0) || 0;
  const [input, setInput] = useState(q);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (input.trim() === q) return;
      const next = new URLSearchParams(params);
      if (input.trim()) next.set("q", input.trim());
      else next.delete("q");
      next.delete("page");
      router.replace(`${pathname}?${next}`, { scroll: false });
    }, 250);
    return () => clearTimeout(timer);
  }, [input, q, params, pathname, router]);
  const query = useQuery({ queryKey: customerKeys.list(q, page), queryFn: ({ signal }) => fetchCustomers(q, page, signal), placeholderData: keepPreviousData });
  const goTo = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    router.replace(`${pathname}?${next}`, { scroll: false });
  };
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / query.data.pageSize)) : 1;

  return (
    <div className="space-y-3">
      <label htmlFor="customer-search" className="sr-only">
        {t("search")}
      </label>
      <Input id="customer-search" type="search" placeholder={t("search")} value={input} onChange={(e) => setInput(e.target.value)} className="max-w-md" />
      {query.isError ? <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert> : null}
      {query.data && query.data.customers.length === 0 ? <EmptyNote>{t("empty")}</EmptyNote> : null}
      {query.data && query.data.customers.length > 0 ? (
        <>
          <Table
            caption={t("title")}
            head={
              <>
                <Th>{t("externalId")}</Th>
                <Th>{t("name")}</Th>
                <Th>{t("email")}</Th>
                <Th className="text-right">{t("contracts")}</Th>
                <Th className="text-right">{t("spaces")}</Th>
                <Th>{t("invite")}</Th>
              </>
            }
          >
            {query.data.customers.map((c) => (
              <tr key={c.id} data-testid="customer-row">
                <Td className="font-mono text-xs">
                  <Link href={`/customers/${encodeURIComponent(c.id)}`} className="text-brand-700 underline-offset-2 hover:underline">
                    {c.externalId}
                  </Link>
                </Td>
                <Td>{c.name ?? "–"}</Td>
                <Td>{c.email ?? "–"}</Td>
                <Td className="text-right tabular-nums">{c.contracts}</Td>
                <Td className="text-right tabular-nums">{c.spaces}</Td>
                <Td>{c.inviteStatus ? t(`inviteStatus.${c.inviteStatus}`) : t("noInvite")}</Td>
              </tr>
            ))}
          </Table>
          <div className="flex items-center gap-2 text-sm text-slate-600">
            <span className="flex-1">{t("count", { total: query.data.total })}</span>
            <Button size="sm" variant="secondary" disabled={page === 0} onClick={() => goTo(page - 1)}>
              {t("previous")}
            </Button>
            <span>{t("page", { page: page + 1, pages })}</span>
            <Button size="sm" variant="secondary" disabled={page + 1 >= pages} onClick={() => goTo(page + 1)}>
              {t("next")}
            </Button>
          </div>
        </>
      ) : null}
    </div>
  );
}
