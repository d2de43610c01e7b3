"use client";

import { useTranslations } from "next-intl";
import { EmptyNote } from "@/components/ui/table";
import type { SpaceDetail } from "@/lib/spaces/types";

// Placeholder until the invites feature fills this tab.
export function SpaceInvitesTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("spacePage");
  void detail;
  return <EmptyNote>{t("soon")}</EmptyNote>;
}
