"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { auditObjectHref, describeAudit, type MessageTranslator } from "@/lib/audit/describe";
import { auditKeys } from "@/lib/audit/keys";
import { AuditFilter, auditFilterParams } from "@/lib/audit/schemas";
import { AUDIT_TARGET_TYPES, type AuditLogEntry, type AuditLogPage } from "@/lib/audit/types";
import { apiFetch } from "@/lib/http/api-client";

/** Every action the log knows, grouped by object for the filter. */
const ACTIONS: Record<string, string[]> = {
  auth: ["auth.signIn", "auth.signOut"],
  staff: ["staff.create", "staff.role", "staff.disable", "staff.enable", "staff.resetPassword", "staff.setPassword", "staff.allowSso", "staff.bindSso"],
  space: ["space.create", "space.update", "space.delete"],
  device: ["device.register", "device.update", "device.link", "device.unlink", "device.delete"],
  readings: ["readings.store", "readings.correct"],
  invite: ["invite.create", "invite.resend", "invite.revoke", "invite.expire"],
  user: ["user.add", "user.remove", "user.removeAll"],
  customer: ["customer.upsert"],
  contract: ["contract.create", "contract.end"],
  import: ["import.start", "import.finish"],
};

type FormValues = Record<"actor" | "action" | "targetType" | "targetId" | "outcome" | "from" | "to", string>;
const FIELDS: (keyof FormValues)[] = ["actor", "action", "targetType", "targetId", "outcome", "from", "to"];

function filterFromUrl(search: URLSearchParams): AuditFilter {
  const parsed = AuditFilter.safeParse(Object.fromEntries(FIELDS.map((f) => [f, search.get(f) ?? ""])));
  return parsed.success ? parsed.data : {};
}

function fetchPage(filter: AuditFilter, before: number | null, signal?: AbortSignal) {
  const params = auditFilterParams(filter);
  if (before) params.set("before", String(before));
  return apiFetch<AuditLogPage>(`/api/audit?${params}`, { signal });
}

/** /audit: the whole audit log, filtered in the URL (so a filtered view can be shared), with CSV export. */
export function AuditLog() {
  const t = useTranslations("audit");
  const search = useSearchParams();
  const filter = useMemo(() => filterFromUrl(new URLSearchParams(search.toString())), [search]);
  const exportHref = `/api/audit/export?${auditFilterParams(filter)}`;
  return (
    <div className="space-y-4">
      <AuditFilterForm filter={filter} />
      <div className="flex justify-end">
        <a href={exportHref} download className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
          {t("export")}
        </a>
      </div>
      <AuditEntries queryKey={auditKeys.list(filter)} fetchPage={(before, signal) => fetchPage(filter, before, signal)} />
    </div>
  );
}

function AuditFilterForm({ filter }: { filter: AuditFilter }) {
  const t = useTranslations("audit");
  const tAll = useTranslations() as unknown as MessageTranslator;
  const router = useRouter();
  const pathname = usePathname();
  const values = Object.fromEntries(FIELDS.map((f) => [f, filter[f] ?? ""])) as FormValues;
  const form = useForm<FormValues>({ values, resolver: zodResolver(AuditFilter) as unknown as Resolver<FormValues> });
  const errorOf = (field: keyof FormValues) => {
    const message = form.formState.errors[field]?.message;
    if (!message) return undefined;
    return t.has(`errors.${message}`) ? t(`errors.${message}`) : t("errors.tooLong");
  };
  const submit = form.handleSubmit((valid) => {
    const params = auditFilterParams(valid as unknown as AuditFilter);
    router.push(params.size ? `${pathname}?${params}` : pathname);
  });
  const invalid = (field: keyof FormValues) => ({ "aria-invalid": !!form.formState.errors[field], "aria-describedby": form.formState.errors[field] ? `audit-${field}-error` : undefined });

  return (
    <form onSubmit={submit} noValidate aria-label={t("filters")} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-4">
      <Field id="audit-actor" label={t("actor")} error={errorOf("actor")}>
        <Input id="audit-actor" type="text" inputMode="email" autoComplete="off" placeholder={t("actorHint")} {...form.register("actor")} {...invalid("actor")} />
      </Field>
      <Field id="audit-action" label={t("action")} error={errorOf("action")}>
        <Select id="audit-action" {...form.register("action")} {...invalid("action")}>
          <option value="">{t("anyAction")}</option>
          {Object.entries(ACTIONS).map(([group, actions]) => (
            <optgroup key={group} label={group}>
              <option value={group}>{t("allOf", { object: group })}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {describeAction(tAll, a)}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </Field>
      <Field id="audit-targetType" label={t("object")} error={errorOf("targetType")}>
        <Select id="audit-targetType" {...form.register("targetType")} {...invalid("targetType")}>
          <option value="">{t("anyObject")}</option>
          {AUDIT_TARGET_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`objects.${type}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="audit-targetId" label={t("objectId")} error={errorOf("targetId")}>
        <Input id="audit-targetId" type="text" autoComplete="off" {...form.register("targetId")} {...invalid("targetId")} />
      </Field>
      <Field id="audit-from" label={t("from")} error={errorOf("from")}>
        <Input id="audit-from" type="date" {...form.register("from")} {...invalid("from")} />
      </Field>
      <Field id="audit-to" label={t("to")} error={errorOf("to")}>
        <Input id="audit-to" type="date" {...form.register("to")} {...invalid("to")} />
      </Field>
      <Field id="audit-outcome" label={t("outcome")} error={errorOf("outcome")}>
        <Select id="audit-outcome" {...form.register("outcome")} {...invalid("outcome")}>
          <option value="">{t("anyOutcome")}</option>
          <option value="ok">{t("ok")}</option>
          <option value="error">{t("failed")}</option>
        </Select>
      </Field>
      <div className="flex items-end gap-2">
        <Button type="submit">{t("apply")}</Button>
        <Button type="button" variant="secondary" onClick={() => router.push(pathname)}>
          {t("reset")}
        </Button>
      </div>
    </form>
  );
}

function describeAction(t: MessageTranslator, action: string): string {
  const key = `activity.actions.${action.replace(/\./g, "_")}`;
  return t.has(key) ? t(key) : action;
}

/**
 * Audit rows, newest first, with "load older" (keyset): the whole log here, and a space's slice on
 * its activity tab. `fetchPage(before)` reads one page.
 */
export function AuditEntries({
  queryKey,
  fetchPage: fetchOne,
  caption,
  empty,
}: {
  queryKey: readonly unknown[];
  fetchPage: (before: number | null, signal?: AbortSignal) => Promise<AuditLogPage>;
  caption?: string;
  empty?: string;
}) {
  const t = useTranslations("audit");
  const writeError = useWriteError();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchOne(pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  if (query.isPending) return <EmptyNote>{t("loading")}</EmptyNote>;
  if (query.isError) {
    return (
      <div className="space-y-2">
        <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>
        <Button variant="secondary" size="sm" onClick={() => query.refetch()}>
          {t("retry")}
        </Button>
      </div>
    );
  }
  const entries = query.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0) return <EmptyNote>{empty ?? t("empty")}</EmptyNote>;
  return (
    <div className="space-y-2">
      <Table
        caption={caption ?? t("caption")}
        head={
          <>
            <Th>{t("when")}</Th>
            <Th>{t("who")}</Th>
            <Th>{t("what")}</Th>
            <Th>{t("object")}</Th>
            <Th>{t("outcome")}</Th>
            <Th>{t("details")}</Th>
          </>
        }
      >
        {entries.map((e) => (
          <AuditRow key={e.id} entry={e} />
        ))}
      </Table>
      <p className="text-xs text-slate-500" aria-live="polite">
        {t("count", { count: entries.length })}
      </p>
      {query.hasNextPage ? (
        <Button variant="secondary" size="sm" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {query.isFetchingNextPage ? t("loading") : t("more")}
        </Button>
      ) : null}
    </div>
  );
}

function AuditRow({ entry: e }: { entry: AuditLogEntry }) {
  const t = useTranslations("audit");
  const tRoles = useTranslations("roles");
  const tAll = useTranslations() as unknown as MessageTranslator;
  const time = useBerlinTime();
  const href = auditObjectHref(e);
  const objectLabel = t.has(`objects.${e.targetType}`) ? t(`objects.${e.targetType}`) : e.targetType;
  const details = e.details ? Object.entries(e.details) : [];
  return (
    <tr data-testid="audit-row" data-action={e.action}>
      <Td className="whitespace-nowrap tabular-nums">{time(e.at)}</Td>
      <Td>
        <span className="block">{e.actor ?? t("system")}</span>
        {e.actorRole && tRoles.has(e.actorRole) ? <span className="text-xs text-slate-500">{tRoles(e.actorRole)}</span> : null}
      </Td>
      <Td>
        <span className="block font-medium" title={e.action}>
          {describeAction(tAll, e.action)}
        </span>
        <span className="text-slate-600">{describeAudit(tAll, e)}</span>
      </Td>
      <Td>
        {href ? (
          <Link href={href} className="text-brand-700 underline-offset-2 hover:underline">
            {objectLabel} <span className="font-mono text-xs">{shortId(e.targetId)}</span>
          </Link>
        ) : (
          <span>
            {objectLabel} <span className="font-mono text-xs">{shortId(e.targetId)}</span>
          </span>
        )}
      </Td>
      <Td>
        {e.outcome === "ok" ? (
          <Badge tone="success">{t("ok")}</Badge>
        ) : (
          <span className="flex flex-col gap-0.5">
            <Badge tone="danger">{t("failed")}</Badge>
            {e.upstreamStatus ? <span className="text-xs text-slate-600">{t("upstream", { status: e.upstreamStatus })}</span> : null}
            {e.errorMessage ? <span className="text-xs text-red-700">{e.errorMessage}</span> : null}
          </span>
        )}
      </Td>
      <Td>
        {details.length === 0 ? (
          <span className="text-xs text-slate-500">{t("noDetails")}</span>
        ) : (
          <details>
            <summary className="cursor-pointer text-xs text-brand-700">{t("showDetails")}</summary>
            <dl className="mt-1 grid max-w-md grid-cols-[auto_1fr] gap-x-2 text-xs">
              {details.map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="font-mono text-slate-500">{key}</dt>
                  <dd className="break-all">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </Td>
    </tr>
  );
}

/** Ids are long UUIDs: the start is enough to tell rows apart; the whole id is in the link and the CSV. */
function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 8)}…` : id;
}
