"use client";

import { Star } from "lucide-react";
import { useTranslations } from "next-intl";
import { DeviceStatusBadge } from "@/components/spaces/device-status-badge";
import { useSpaceLabels } from "@/components/spaces/use-labels";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import type { SpaceDetail } from "@/lib/spaces/types";

/** The devices tab of a space page: the space's devices live from the partner API. */
export function SpaceDevicesTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("spacePage");
  const labels = useSpaceLabels();
  const time = useBerlinTime();
  const { devices } = detail;
  if (!devices) return <EmptyNote>{t("liveMissing")}</EmptyNote>;
  if (devices.length === 0) return <EmptyNote>{t("noDevices")}</EmptyNote>;
  return (
    <Table
      caption={t("tabs.devices")}
      head={
        <>
          <Th>{t("deviceName")}</Th>
          <Th>{t("deviceType")}</Th>
          <Th>{t("medium")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("lastReading")}</Th>
        </>
      }
    >
      {devices.map((d) => (
        <tr key={d.id} data-testid="device-row">
          <Td>
            <span className="flex items-center gap-1.5 font-medium">
              {d.name}
              {d.isMainDevice ? (
                <span title={t("mainDevice")} className="inline-flex items-center text-amber-600">
                  <Star aria-hidden className="size-3.5 fill-current" />
                  <span className="sr-only">{t("mainDevice")}</span>
                </span>
              ) : null}
            </span>
          </Td>
          <Td>{labels.deviceType(d.deviceType)}</Td>
          <Td>{labels.medium(d.medium)}</Td>
          <Td>
            <DeviceStatusBadge status={d.status} errorMessage={d.errorMessage} />
            {d.errorMessage ? <span className="mt-0.5 block text-xs text-red-700">{d.errorMessage}</span> : null}
          </Td>
          <Td className="tabular-nums">{time(d.latestReadingTime)}</Td>
        </tr>
      ))}
    </Table>
  );
}
