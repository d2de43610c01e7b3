"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCan } from "@/components/session/role-context";
import { Alert } from "@/components/ui/alert";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { inviteKeys } from "@/lib/invites/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { fetchSpaceInvites } from "./api";
import { InviteActionsCell, InviteInfoCells } from "./invite-cells";
import { InviteButton } from "./invite-dialog";
import { useWriteError } from "@/components/spaces/use-field-error";

/** The invites tab of a space page: the ledger's invites for this space and what the role may do. */
export function SpaceInvitesTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("invites");
  const writeError = useWriteError();
  const canCreate = useCan("invites.create");
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
        <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>
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
              <InviteInfoCells invite={invite} />
              <InviteActionsCell invite={invite} />
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
