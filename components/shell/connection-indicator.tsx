"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { apiFetch } from "@/lib/http/api-client";
import { systemKeys } from "@/lib/system/keys";
import type { ConnectionStatus } from "@/lib/system/types";
import { cn } from "@/components/ui/cn";

/** A dot that says whether the partner API answers, and which one (sandbox or production). */
export function ConnectionIndicator() {
  const t = useTranslations("connection");
  const tErrors = useTranslations("errors");
  const { data, isPending } = useQuery({
    queryKey: systemKeys.status(),
    queryFn: () => apiFetch<ConnectionStatus>("/api/status"),
    refetchInterval: 30_000,
    staleTime: 15_000,
  });

  const state = isPending ? "checking" : data?.reachable ? "online" : "offline";
  const label =
    state === "checking"
      ? t("checking")
      : state === "online"
        ? t("online", { latency: data?.latencyMs ?? 0 })
        : t("offline");

  return (
    <div
      role="status"
      data-testid="connection-indicator"
      data-state={state}
      title={data ? `${label}\n${t("details", { baseUrl: data.baseUrl })}${data.error ? `\n${tErrors.has(`codes.${data.error}`) ? tErrors(`codes.${data.error}`) : tErrors("upstream")}` : ""}` : label}
      className="flex items-center gap-2 rounded-md border border-slate-200 px-2 py-1 text-xs text-slate-600"
    >
      <span
        aria-hidden
        className={cn(
          "size-2 rounded-full",
          state === "online" ? "bg-emerald-500" : state === "offline" ? "bg-red-500" : "bg-slate-300",
        )}
      />
      <span className="sr-only">{label}</span>
      <span>{data ? t(data.environment) : "…"}</span>
      {data ? <span className="hidden text-slate-400 lg:inline">{data.baseUrl}</span> : null}
    </div>
  );
}
