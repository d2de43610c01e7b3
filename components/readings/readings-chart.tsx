"use client";

import { useTranslations } from "next-intl";
import type { DeviceReading } from "@/lib/partner-api/schemas";

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };
const COLORS = { IN: "#2563eb", OUT: "#16a34a" } as const;

/**
 * A small SVG line chart: consumption (IN) and feed-in (OUT) as separate lines, the unit on the
 * axis, times in Europe/Berlin. The table below it carries the same data for screen readers.
 */
export function ReadingsChart({ points, format }: { points: DeviceReading[]; format: (iso: string) => string }) {
  const t = useTranslations("readings");
  if (points.length === 0) return null;
  const times = points.map((p) => Date.parse(p.timeStamp));
  const values = points.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(0, ...values), Math.max(...values)];
  const x = (time: number) => PAD.left + ((time - t0) / Math.max(t1 - t0, 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => HEIGHT - PAD.bottom - ((value - v0) / Math.max(v1 - v0, 1e-9)) * (HEIGHT - PAD.top - PAD.bottom);
  const unit = points[0].unit;
  const series = (["IN", "OUT"] as const).map((direction) => ({ direction, pts: points.filter((p) => p.direction === direction) })).filter((s) => s.pts.length > 0);
  const ticks = [v0, (v0 + v1) / 2, v1];
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-2" data-testid="readings-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-label={t("chartLabel", { count: points.length, unit })}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="10" fill="#64748b">
              {v.toLocaleString("de-DE", { maximumFractionDigits: 1 })}
            </text>
          </g>
        ))}
        <text x={4} y={PAD.top + 4} fontSize="10" fill="#64748b">
          {unit}
        </text>
        <text x={PAD.left} y={HEIGHT - 8} fontSize="10" fill="#64748b">
          {format(new Date(t0).toISOString())}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} fontSize="10" fill="#64748b" textAnchor="end">
          {format(new Date(t1).toISOString())}
        </text>
        {series.map(({ direction, pts }) => (
          <polyline
            key={direction}
            data-direction={direction}
            data-points={pts.length}
            fill="none"
            stroke={COLORS[direction]}
            strokeWidth="1.5"
            points={pts.map((p) => `${x(Date.parse(p.timeStamp)).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption className="flex gap-4 px-2 text-xs text-slate-600">
        {series.map(({ direction }) => (
          <span key={direction} className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: COLORS[direction] }} />
            {t(`direction.${direction}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
