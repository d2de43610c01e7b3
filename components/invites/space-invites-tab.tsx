"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCan } from "@/components/session/role-context";
import { Alert } from "@/components/ui/alert";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { inviteKeys } from "@/lib/invites/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { fetchSpaceInvites } from "./api";
import { CopyLinkButton } from "./copy-link-button";
import { ResendButton, RevokeButton } from "./invite-actions";
import { InviteButton } from "./invite-dialog";
import { InviteStatusBadge } from "./invite-status";

/** The invites tab of a space page: the ledger's invites for this space and what the role may do. */
export function SpaceInvitesTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("invites");
  const time = useBerlinTime();
  const canCreate = useCan("invites.create");
  const canManage = useCan("invites.manage");
  const spaceId = detail.space.id;
  const query = useQuery({ queryKey: inviteKeys.space(spaceId), queryFn: ({ signal }) => fetchSpaceInvites(spaceId, signal) });

  return (
    <div className="space-y-3">
      {canCreate ? (
        <div className="flex justify-end">
          <InviteButton spaceId={spaceId} spaceName={detail.space.name} />
        </div>
      ) : null}
      {query.isPending ? (
        <EmptyNote>{t("loading")}</EmptyNote>
      ) : query.isError ? (
        <Alert>{`${t("loadError")} ${query.error.message}`}</Alert>
      ) : query.data.invites.length === 0 ? (
        <EmptyNote>{t("emptySpace")}</EmptyNote>
      ) : (
        <Table
          caption={t("caption")}
          head={
            <>
              <Th>{t("email")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("statusLabel")}</Th>
              <Th>{t("createdBy")}</Th>
              <Th>{t("lastSent")}</Th>
              <Th>{t("sendCount")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </>
          }
        >
          {query.data.invites.map((invite) => (
            <tr key={invite.id} data-testid="invite-row">
              <Td className="font-medium">{invite.email}</Td>
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
              <Td>
                <span className="flex flex-wrap items-center justify-end gap-1">
                  {invite.status !== "revoked" ? <CopyLinkButton link={invite.link} /> : null}
                  {canManage && invite.status === "pending" ? <ResendButton invite={invite} /> : null}
                  {canManage && invite.status !== "revoked" ? <RevokeButton invite={invite} /> : null}
                </span>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
