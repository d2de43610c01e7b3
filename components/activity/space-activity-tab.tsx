"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCan } from "@/components/session/role-context";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { activityKeys } from "@/lib/activity/keys";
import { describeAudit, type MessageTranslator } from "@/lib/audit/describe";
import type { ActivityPage } from "@/lib/activity/types";
import { apiFetch } from "@/lib/http/api-client";
import type { SpaceDetail } from "@/lib/spaces/types";
import { useWriteError } from "@/components/spaces/use-field-error";

function fetchActivity(spaceId: string, before: number | null, signal?: AbortSignal) {
  const query = before ? `?before=${before}` : "";
  return apiFetch<ActivityPage>(`/api/spaces/${encodeURIComponent(spaceId)}/activity${query}`, { signal });
}

/** The activity tab of a space page: who changed what, from the audit log (managers only). */
export function SpaceActivityTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("activity");
  const canRead = useCan("audit.read");
  if (!canRead) return <EmptyNote>{t("managersOnly")}</EmptyNote>;
  return <ActivityList spaceId={detail.space.id} />;
}

function ActivityList({ spaceId }: { spaceId: string }) {
  const t = useTranslations("activity");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const tAll = useTranslations() as unknown as MessageTranslator;
  // Known actions read as words; an action this list does not know yet shows its code.
  const actionLabel = (action: string) => {
    const key = `actions.${action.replace(/\./g, "_")}`;
    return t.has(key) ? t(key) : action;
  };
  const query = useInfiniteQuery({
    queryKey: activityKeys.space(spaceId),
    queryFn: ({ pageParam, signal }) => fetchActivity(spaceId, pageParam, signal),
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
  if (entries.length === 0) return <EmptyNote>{t("empty")}</EmptyNote>;
  return (
    <div className="space-y-2">
      <Table
        caption={t("caption")}
        head={
          <>
            <Th>{t("when")}</Th>
            <Th>{t("who")}</Th>
            <Th>{t("what")}</Th>
            <Th>{t("outcome")}</Th>
          </>
        }
      >
        {entries.map((e) => (
          <tr key={e.id} data-testid="activity-row">
            <Td className="whitespace-nowrap tabular-nums">{time(e.at)}</Td>
            <Td>{e.actor ?? t("system")}</Td>
            <Td>
              <span className="font-medium" title={e.action}>
                {actionLabel(e.action)}
              </span>
              <span className="ml-2 text-slate-600">{describeAudit(tAll, e)}</span>
            </Td>
            <Td>
              {e.outcome === "ok" ? (
                <Badge tone="success">{t("ok")}</Badge>
              ) : (
                <span className="flex flex-col gap-0.5">
                  <Badge tone="danger">{t("failed")}</Badge>
                  {e.errorMessage ? <span className="text-xs text-red-700">{e.errorMessage}</span> : null}
                </span>
              )}
            </Td>
          </tr>
        ))}
      </Table>
      {query.hasNextPage ? (
        <Button variant="secondary" size="sm" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {query.isFetchingNextPage ? t("loading") : t("more")}
        </Button>
      ) : null}
    </div>
  );
}
