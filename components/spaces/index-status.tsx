"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { spaceKeys } from "@/lib/spaces/keys";
import type { IndexStatus as IndexStatusData } from "@/lib/spaces/types";
import { fetchIndexStatus, startIndexRefresh } from "./api";
import { useWriteError } from "./use-field-error";

const busy = (state: IndexStatusData["state"] | undefined) => state === "building" || state === "refreshing";

/** How fresh the space index behind tree and search is, with "refresh now"; polls while it works. */
export function IndexStatus() {
  const t = useTranslations("tree.index");
  const tErrors = useTranslations("errors");
  const writeError = useWriteError();
  const format = useFormatter();
  // "vor 3 Minuten" stays right while the page is open; a finish stamped a moment ahead of the
  // browser clock reads "now", never "in 1 second".
  const now = useNow({ updateInterval: 30_000 });
  const queryClient = useQueryClient();
  // The POST answers before the background refresh has flipped the state, so after asking we
  // poll until a newer finish shows up (at most 30 s), not only while the state says busy.
  const [requestedAt, setRequestedAt] = useState<number | null>(null);
  const status = useQuery({
    queryKey: spaceKeys.index(),
    queryFn: ({ signal }) => fetchIndexStatus(signal),
    refetchInterval: (query) => {
      const data = query.state.data;
      if (busy(data?.state)) return 1000;
      const finished = data?.finishedAt ? Date.parse(data.finishedAt) : 0;
      return requestedAt !== null && finished < requestedAt && Date.now() - requestedAt < 30_000 ? 1000 : false;
    },
    staleTime: 5_000,
  });
  const refresh = useMutation({
    mutationFn: startIndexRefresh,
    onMutate: () => setRequestedAt(Date.now()),
    onSuccess: (data) => queryClient.setQueryData(spaceKeys.index(), data),
  });

  // When a refresh finishes, the tree and search answer from the new index.
  const finishedAt = status.data?.finishedAt ?? null;
  const lastFinished = useRef<string | null>(null);
  useEffect(() => {
    if (lastFinished.current !== null && finishedAt !== lastFinished.current) {
      void queryClient.invalidateQueries({ queryKey: spaceKeys.trees() });
      void queryClient.invalidateQueries({ queryKey: spaceKeys.searches() });
    }
    lastFinished.current = finishedAt;
  }, [finishedAt, queryClient]);

  const data = status.data;
  // The state row carries a stable code (lib/spaces/index.ts), never server prose.
  const describeError = (code: string | null) => (code && tErrors.has(`codes.${code}`) ? tErrors(`codes.${code}`) : tErrors("generic"));
  let text: string;
  if (status.isError) text = t("unavailable");
  else if (!data) text = t("checking");
  else if (busy(data.state))
    text = t(data.state, { done: data.pagesDone, total: data.pagesTotal || "?", spaces: data.spaces });
  else if (data.state === "ready")
    text = t("ready", {
      spaces: data.spaces,
      when: data.finishedAt ? format.relativeTime(new Date(Math.min(Date.parse(data.finishedAt), now.getTime())), now) : "–",
    });
  else if (data.state === "failed") text = t("failed", { error: describeError(data.error) });
  else text = t("empty");

  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
      <p role="status" data-testid="tree-status" data-state={data?.state ?? "unknown"} className={cn(data?.state === "failed" && "text-red-700")}>
        {busy(data?.state) ? <RefreshCw aria-hidden className="mr-1 inline size-3 animate-spin" /> : null}
        {text}
      </p>
      <Button
        size="sm"
        variant="ghost"
        className="h-6 px-2 text-xs"
        disabled={refresh.isPending || busy(data?.state)}
        onClick={() => refresh.mutate()}
      >
        {t("refresh")}
      </Button>
      {data && data.cleanedRecords > 0 ? <span data-testid="index-cleaned">{t("cleaned", { count: data.cleanedRecords })}</span> : null}
      {refresh.isError ? <span className="text-red-700">{writeError(refresh.error)}</span> : null}
    </div>
  );
}
