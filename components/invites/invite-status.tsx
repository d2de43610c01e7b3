"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { InviteView } from "@/lib/invites/types";

const TONE = { pending: "warning", accepted: "success", revoked: "neutral" } as const;

export function InviteStatusBadge({ status }: { status: InviteView["status"] }) {
  const t = useTranslations("invites.status");
  return <Badge tone={TONE[status]}>{t(status)}</Badge>;
}
