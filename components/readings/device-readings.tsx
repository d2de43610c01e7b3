"use client";

import { useTranslations } from "next-intl";
import { EmptyNote } from "@/components/ui/table";
import type { Device } from "@/lib/partner-api/schemas";

// Placeholder until the readings feature fills it: the readings view and entry of one device.
export function DeviceReadings({ device }: { device: Device }) {
  const t = useTranslations("spacePage");
  void device;
  return <EmptyNote>{t("soon")}</EmptyNote>;
}
