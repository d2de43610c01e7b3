"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useCan } from "@/components/session/role-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { MEASUREMENTS, RESOLUTIONS, type Device, type DeviceReading, type Measurement, type Resolution } from "@/lib/partner-api/schemas";
import { readingKeys } from "@/lib/readings/keys";
import { TIME_ZONE } from "@/lib/readings/time";
import { MAX_RANGE_DAYS } from "@/lib/readings/validation";
import { fetchSeries } from "./api";
import { ReadingEntry } from "./reading-entry";
import { ReadingsChart } from "./readings-chart";
import { useWriteError } from "@/components/spaces/use-field-error";

const RANGES = { "24h": 1, "7d": 7, "30d": 30, "12m": 365 } as const;
type RangeKey = keyof typeof RANGES | "custom";
const DEFAULT_RESOLUTION: Record<RangeKey, Resolution> = { "24h": "15_MIN", "7d": "1_HOUR", "30d": "1_DAY", "12m": "1_DAY", custom: "1_DAY" };

/** Readings of one device: chart, table and CSV of a chosen series and range; entry for staff. */
export function DeviceReadings({ device }: { device: Device }) {
  const t = useTranslations("readings");
  const writeError = useWriteError();
  const format = useFormatter();
  const canWrite = useCan("readings.write");
  const [measurement, setMeasurement] = useState<Measurement>("METER_READING");
  const [range, setRange] = useState<RangeKey>("7d");
  const [resolution, setResolution] = useState<Resolution>("1_HOUR");
  const [custom, setCustom] = useState({ from: "", to: "" });
  // The moment the range is measured from; renewed when the person picks a range.
  const [now, setNow] = useState(() => Date.now());

  const window = useMemo(() => {
    if (range === "custom") {
      if (!custom.from || !custom.to) return null;
      return { start: new Date(`${custom.from}T00:00:00`).toISOString(), end: new Date(`${custom.to}T23:59:59`).toISOString() };
    }
    // Up to the next full hour, so a reading entered a moment ago is inside the range.
    const end = Math.ceil(now / 3_600_000) * 3_600_000 + 3_600_000;
    return { start: new Date(end - RANGES[range] * 86_400_000).toISOString(), end: new Date(end).toISOString() };
  }, [range, custom, now]);

  const days = window ? (Date.parse(window.end) - Date.parse(window.start)) / 86_400_000 : 0;
  const tooLong = days > MAX_RANGE_DAYS[resolution];
  const params = window ? { measurement, resolution, ...window } : null;
  const query = useQuery({
    queryKey: readingKeys.series(device.id, params ?? {}),
    queryFn: ({ signal }) => fetchSeries(device.id, params!, signal),
    enabled: !!params && !tooLong,
    placeholderData: keepPreviousData,
  });

  const time = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "short", timeStyle: "short", timeZone: TIME_ZONE });
  const points = query.data?.points ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("measurement")}</span>
          <Select value={measurement} onChange={(e) => setMeasurement(e.target.value as Measurement)} className="w-44">
            {MEASUREMENTS.map((m) => (
              <option key={m} value={m}>
                {t(`measurements.${m}`)}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("range")}</span>
          <Select
            value={range}
            onChange={(e) => {
              const next = e.target.value as RangeKey;
              setRange(next);
              setResolution(DEFAULT_RESOLUTION[next]);
              setNow(Date.now());
            }}
            className="w-40"
          >
            {(["24h", "7d", "30d", "12m", "custom"] as const).map((r) => (
              <option key={r} value={r}>
                {t(`ranges.${r}`)}
              </option>
            ))}
          </Select>
        </label>
        {range === "custom" ? (
          <>
            <label className="text-sm">
              <span className="mb-1 block text-slate-600">{t("from")}</span>
              <Input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
            </label>
            <label className="text-sm">
              <span className="mb-1 block text-slate-600">{t("to")}</span>
              <Input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
            </label>
          </>
        ) : null}
        <label className="text-sm">
          <span className="mb-1 block text-slate-600">{t("resolution")}</span>
          <Select value={resolution} onChange={(e) => setResolution(e.target.value as Resolution)} className="w-36">
            {RESOLUTIONS.map((r) => (
              <option key={r} value={r}>
                {t(`resolutions.${r}`)}
              </option>
            ))}
          </Select>
        </label>
        {points.length > 0 ? (
          <Button size="sm" variant="secondary" onClick={() => downloadCsv(points, device.name, time)}>
            <Download aria-hidden className="size-4" />
            {t("csv")}
          </Button>
        ) : null}
      </div>

      {tooLong ? (
        <Alert tone="info">{t("tooLong", { days: MAX_RANGE_DAYS[resolution] })}</Alert>
      ) : !params ? (
        <EmptyNote>{t("chooseDates")}</EmptyNote>
      ) : query.isPending ? (
        <EmptyNote>{t("loading")}</EmptyNote>
      ) : query.isError ? (
        <div className="space-y-2">
          <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>
          <Button size="sm" variant="secondary" onClick={() => query.refetch()}>
            {t("retry")}
          </Button>
        </div>
      ) : points.length === 0 ? (
        <EmptyNote>{canWrite ? t("emptyWrite") : t("empty")}</EmptyNote>
      ) : (
        <>
          <ReadingsChart points={points} format={time} />
          <div className="max-h-72 overflow-y-auto">
            <Table
              caption={t("tableCaption")}
              head={
                <>
                  <Th>{t("time")}</Th>
                  <Th>{t("directionLabel")}</Th>
                  <Th className="text-right">{t("value")}</Th>
                </>
              }
            >
              {[...points].reverse().map((p) => (
                <tr key={`${p.timeStamp}-${p.direction}`} data-testid="reading-row">
                  <Td className="tabular-nums">{time(p.timeStamp)}</Td>
                  <Td>{t(`direction.${p.direction === "OUT" ? "OUT" : "IN"}`)}</Td>
                  <Td className="text-right tabular-nums">
                    {p.value.toLocaleString("de-DE", { maximumFractionDigits: 3 })} {p.unit}
                  </Td>
                </tr>
              ))}
            </Table>
          </div>
        </>
      )}

      {canWrite ? <ReadingEntry device={device} /> : null}
    </div>
  );
}

/** Semicolons and decimal commas, as German spreadsheets open CSV files. */
function downloadCsv(points: DeviceReading[], name: string, time: (iso: string) => string) {
  const lines = ["Zeit (Europe/Berlin);Richtung;Wert;Einheit", ...points.map((p) => `${time(p.timeStamp)};${p.direction};${String(p.value).replace(".", ",")};${p.unit}`)];
  const url = URL.createObjectURL(new Blob([`\uFEFF${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${name.replace(/[^\p{L}\p{N}_-]+/gu, "_")}-messwerte.csv`;
  a.click();
  URL.revokeObjectURL(url);
}
