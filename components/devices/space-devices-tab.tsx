"use client";

import { Plus, Star } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useCan } from "@/components/session/role-context";
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
  const tDevices = useTranslations("devices");
  const canWrite = useCan("devices.write");
  const { devices } = detail;
  const register = canWrite ? (
    <div className="flex justify-end">
      <Link href={`/spaces/${encodeURIComponent(detail.space.id)}/register`} className="inline-flex h-8 items-center gap-1.5 rounded-md bg-brand-600 px-2.5 text-sm text-white hover:bg-brand-700">
        <Plus aria-hidden className="size-4" />
        {tDevices("register")}
      </Link>
    </div>
  ) : null;
  if (!devices) return <EmptyNote>{t("liveMissing")}</EmptyNote>;
  if (devices.length === 0) {
    return (
      <div className="space-y-3">
        {register}
        <EmptyNote>{t("noDevices")}</EmptyNote>
      </div>
    );
  }
  return (
    <div className="space-y-3">
    {register}
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
              <Link href={`/devices/${encodeURIComponent(d.id)}`} className="hover:underline">
                {d.name}
              </Link>
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
    </div>
  );
}
