"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { useSpaceLabels } from "./use-labels";

const TONES: Record<string, BadgeTone> = { CONNECTED: "success", CONNECTING: "warning", FAILED: "danger" };

/** The one device status badge: green connected, amber connecting, red failed (with why). */
export function DeviceStatusBadge({ status, errorMessage }: { status: string; errorMessage?: string | null }) {
  const labels = useSpaceLabels();
  return (
    <Badge tone={TONES[status] ?? "neutral"} title={errorMessage ?? undefined}>
      {labels.deviceStatus(status)}
    </Badge>
  );
}
