"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { importKeys } from "@/lib/imports/keys";
import { fetchImports } from "./api";

/** The imports with their owner, state and counts (managers: everyone's). Refreshed while one runs. */
export function ImportsList() {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const query = useQuery({
    queryKey: importKeys.list(),
    queryFn: ({ signal }) => fetchImports(signal),
    refetchInterval: (q) => (q.state.data?.jobs.some((j) => ["queued", "running"].includes(j.status)) ? 2_000 : false),
  });
  return (
    <section className="space-y-2">
      <h2 className="text-base font-semibold">{t("listTitle")}</h2>
      {query.isError ? <Alert>{writeError(query.error)}</Alert> : null}
      {query.data?.jobs.length === 0 ? <EmptyNote>{t("listEmpty")}</EmptyNote> : null}
      {query.data && query.data.jobs.length > 0 ? (
        <Table
          caption={t("listTitle")}
          head={
            <>
              <Th>{t("fileName")}</Th>
              <Th>{t("owner")}</Th>
              <Th>{t("created")}</Th>
              <Th>{t("state")}</Th>
              <Th>{t("rows")}</Th>
            </>
          }
        >
          {query.data.jobs.map((job) => (
            <tr key={job.id} data-testid="import-job-row">
              <Td>
                <Link href={`/onboarding/import/${job.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                  {job.fileName}
                </Link>
              </Td>
              <Td>{job.owner}</Td>
              <Td className="whitespace-nowrap tabular-nums">{time(job.createdAt)}</Td>
              <Td>
                <Badge tone={job.status === "done" ? "success" : job.status === "cancelled" ? "danger" : "neutral"}>{t(`statuses.${job.status}`)}</Badge>
              </Td>
              <Td className="tabular-nums">
                {t("summary", { create: job.counts.plan.create, update: job.counts.plan.update, unchanged: job.counts.plan.unchanged, error: job.counts.plan.error })}
                {job.status !== "draft" ? ` · ${t("states.done")} ${job.counts.state.done} · ${t("states.failed")} ${job.counts.state.failed}` : ""}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
