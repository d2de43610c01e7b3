"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { customerKeys } from "@/lib/customers/keys";
import { fetchCustomer } from "./api";

/** One customer: what the ERP knows, its contracts (ledger), and the spaces, devices and users they hold together. */
export function CustomerView({ id }: { id: string }) {
  const t = useTranslations("customers");
  const tActivity = useTranslations("activity");
  const tMedia = useTranslations("media");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const query = useQuery({ queryKey: customerKeys.detail(id), queryFn: ({ signal }) => fetchCustomer(id, signal) });
  if (query.isPending) return <p className="text-sm text-slate-500">…</p>;
  if (query.isError) return <Alert>{query.error instanceof Error && "status" in query.error && query.error.status === 404 ? t("notFound") : writeError(query.error)}</Alert>;
  const { customer, contracts, devices, users, activity } = query.data;
  const spaceName = new Map(contracts.map((c) => [c.spaceId, c.spaceName]));
  const medium = (m: string) => (tMedia.has(m) ? tMedia(m) : m);

  return (
    <div className="space-y-6">
      <div>
        <h1 tabIndex={-1} className="text-xl font-semibold" data-testid="customer-heading">
          {customer.name ?? customer.externalId}
        </h1>
        <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
          <div>
            <dt className="inline">{t("externalId")}: </dt>
            <dd className="inline font-mono">{customer.externalId}</dd>
          </div>
          <div>
            <dt className="inline">{t("email")}: </dt>
            <dd className="inline">{customer.email ?? "–"}</dd>
          </div>
          <div>
            <dt className="inline">{t("invite")}: </dt>
            <dd className="inline">{customer.inviteStatus ? t(`inviteStatus.${customer.inviteStatus}`) : t("noInvite")}</dd>
          </div>
        </dl>
      </div>

      <section className="space-y-2">
        <h2 className="text-base font-semibold">{t("contractsTitle")}</h2>
        {contracts.length === 0 ? (
          <EmptyNote>{t("noContracts")}</EmptyNote>
        ) : (
          <Table
            caption={t("contractsTitle")}
            head={
              <>
                <Th>{t("contractNumber")}</Th>
                <Th>{t("space")}</Th>
                <Th>{t("meter")}</Th>
                <Th>{t("medium")}</Th>
                <Th>{t("startDate")}</Th>
                <Th>{t("windowEnd")}</Th>
                <Th>{t("createdBy")}</Th>
              </>
            }
          >
            {contracts.map((c) => (
              <tr key={c.id} data-testid="contract-row">
                <Td className="font-mono text-xs">{c.externalId}</Td>
                <Td>{c.spaceId ? <Link className="text-brand-700 hover:underline" href={`/spaces/${encodeURIComponent(c.spaceId)}`}>{c.spaceName ?? c.spaceId}</Link> : "–"}</Td>
                <Td className="font-mono text-xs">{c.externalDeviceId ?? "–"}</Td>
                <Td>{medium(c.medium)}</Td>
                <Td>{c.startDate ?? "–"}</Td>
                <Td>{c.windowEnd ? time(c.windowEnd) : "–"}</Td>
                <Td>{c.createdBy}</Td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-base font-semibold">{t("devicesTitle")}</h2>
        {devices.length === 0 ? (
          <EmptyNote>{t("noDevices")}</EmptyNote>
        ) : (
          <ul className="space-y-1 text-sm">
            {devices.map((d) => (
              <li key={`${d.spaceId}-${d.deviceId}`}>
                <Link className="text-brand-700 hover:underline" href={`/devices/${encodeURIComponent(d.deviceId)}`}>
                  {d.name}
                </Link>{" "}
                <span className="text-slate-500">
                  {medium(d.medium)} · {d.externalIds.join(", ") || "–"} · {spaceName.get(d.spaceId) ?? ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-base font-semibold">{t("usersTitle")}</h2>
        {users.length === 0 ? (
          <EmptyNote>{t("noUsers")}</EmptyNote>
        ) : (
          <ul className="space-y-1 text-sm">
            {users.map((u) => (
              <li key={`${u.spaceId}-${u.userId}`}>
                {u.name ?? u.email} <span className="text-slate-500">{u.email} · {spaceName.get(u.spaceId) ?? ""}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-base font-semibold">{t("invitesTitle")}</h2>
        {query.data.invites.length === 0 ? (
          <EmptyNote>{t("noInvites")}</EmptyNote>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="customer-invites">
            {query.data.invites.map((i) => (
              <li key={i.id}>
                {i.email} · {t(`channel.${i.channel}`)} · {t(`inviteStatus.${i.status}`)} <span className="text-slate-500">{time(i.lastSentAt ?? i.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {activity ? (
        <section className="space-y-2">
          <h2 className="text-base font-semibold">{t("activityTitle")}</h2>
          <ul className="space-y-1 text-sm">
            {activity.map((a) => (
              <li key={a.id} className={a.outcome === "error" ? "text-red-700" : undefined}>
                <span className="text-slate-500">{time(a.at)}</span> {a.actor ?? "–"} ·{" "}
                {tActivity.has(`actions.${a.action.replace(/\./g, "_")}`) ? tActivity(`actions.${a.action.replace(/\./g, "_")}`) : a.action}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
