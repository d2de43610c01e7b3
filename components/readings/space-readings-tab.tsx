"use client";

import { useTranslations } from "next-intl";
import { EmptyNote } from "@/components/ui/table";
import type { SpaceDetail } from "@/lib/spaces/types";
import { DeviceReadings } from "./device-readings";

/** The readings tab of a space page: the readings of the space's main device. */
export function SpaceReadingsTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("readings");
  if (!detail.devices) return <EmptyNote>{t("liveMissing")}</EmptyNote>;
  const main = detail.devices.find((d) => d.isMainDevice);
  if (!main) return <EmptyNote>{t("noMainDevice")}</EmptyNote>;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">{t("mainDeviceIs", { name: main.name })}</p>
      <DeviceReadings device={main} />
    </div>
  );
}
