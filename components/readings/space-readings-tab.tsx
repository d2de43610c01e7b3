"use client";

import { useTranslations } from "next-intl";
import { EmptyNote } from "@/components/ui/table";
import type { SpaceDetail } from "@/lib/spaces/types";

// Placeholder until the readings feature fills this tab.
export function SpaceReadingsTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("spacePage");
  void detail;
  return <EmptyNote>{t("soon")}</EmptyNote>;
}
