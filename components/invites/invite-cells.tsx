"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useCan } from "@/components/session/role-context";
import { Td } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import type { InviteView } from "@/lib/invites/types";
import { CopyLinkButton } from "./copy-link-button";
import { ResendButton, RevokeButton } from "./invite-actions";
import { InviteStatusBadge } from "./invite-status";

/** Role, status, inviter, last sent and send count: the cells every invite list shows. */
export function InviteInfoCells({ invite }: { invite: InviteView }) {
  const t = useTranslations("invites");
  const time = useBerlinTime();
  return (
    <>
      <Td>{invite.accessRoleName ?? t("defaultRoleShort")}</Td>
      <Td>
        <InviteStatusBadge status={invite.status} />
      </Td>
      <Td>
        {invite.createdBy}
        <span className="block text-xs text-slate-500">{time(invite.createdAt)}</span>
      </Td>
      <Td className="tabular-nums">{invite.lastSentAt ? time(invite.lastSentAt) : t("linkOnly")}</Td>
      <Td className="tabular-nums" data-testid="send-count">
        {invite.sendCount}
      </Td>
    </>
  );
}

/** What the role may do with one invite: copy its link; managers resend (pending) and revoke. */
export function InviteActionsCell({ invite, before }: { invite: InviteView; before?: ReactNode }) {
  const canManage = useCan("invites.manage");
  return (
    <Td>
      <span className="flex flex-wrap items-center justify-end gap-1">
        {before}
        {invite.status !== "revoked" && invite.link ? <CopyLinkButton link={invite.link} /> : null}
        {canManage && invite.status === "pending" ? <ResendButton invite={invite} /> : null}
        {canManage && invite.status !== "revoked" ? <RevokeButton invite={invite} /> : null}
      </span>
    </Td>
  );
}
