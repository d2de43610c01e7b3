"use client";

import { useTranslations } from "next-intl";
import { AuditEntries } from "@/components/audit/audit-log";
import { useCan } from "@/components/session/role-context";
import { EmptyNote } from "@/components/ui/table";
import { activityKeys } from "@/lib/activity/keys";
import type { AuditLogPage } from "@/lib/audit/types";
import { apiFetch } from "@/lib/http/api-client";
import type { SpaceDetail } from "@/lib/spaces/types";

function fetchActivity(spaceId: string, before: number | null, signal?: AbortSignal) {
  const query = before ? `?before=${before}` : "";
  return apiFetch<AuditLogPage>(`/api/spaces/${encodeURIComponent(spaceId)}/activity${query}`, { signal });
}

/** The activity tab of a space page: its slice of the audit log, as /audit shows it (managers only). */
export function SpaceActivityTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("activity");
  const canRead = useCan("audit.read");
  if (!canRead) return <EmptyNote>{t("managersOnly")}</EmptyNote>;
  const spaceId = detail.space.id;
  return <AuditEntries queryKey={activityKeys.space(spaceId)} fetchPage={(before, signal) => fetchActivity(spaceId, before, signal)} caption={t("caption")} empty={t("empty")} />;
}
