"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, Send } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { DialogButton } from "@/components/ui/dialog";
import { ApiError } from "@/lib/http/api-client";
import { inviteKeys } from "@/lib/invites/keys";
import type { InviteView } from "@/lib/invites/types";
import { spaceKeys } from "@/lib/spaces/keys";
import { resendInvite, revokeInvite } from "./api";

/**
 * Resend (managers). The server refuses a resend within 10 minutes of the last e-mail unless
 * confirmed; the button then asks, and sends on "Trotzdem senden".
 */
export function ResendButton({ invite }: { invite: InviteView }) {
  const t = useTranslations("invites");
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const [askRecent, setAskRecent] = useState(false);
  const mutation = useMutation({
    mutationFn: (confirmRecent: boolean) => resendInvite(invite.id, confirmRecent),
    onSuccess: async () => {
      setAskRecent(false);
      await queryClient.invalidateQueries({ queryKey: inviteKeys.all });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "recently_sent") setAskRecent(true);
    },
  });
  if (askRecent) {
    return (
      <span role="alertdialog" aria-label={t("recentTitle")} className="flex flex-wrap items-center gap-2 text-xs text-amber-800">
        {t("recentQuestion")}
        <Button size="sm" variant="secondary" disabled={mutation.isPending} onClick={() => mutation.mutate(true)}>
          {t("sendAnyway")}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setAskRecent(false)}>
          {t("cancel")}
        </Button>
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1">
      <Button size="sm" variant="secondary" disabled={mutation.isPending} onClick={() => mutation.mutate(false)}>
        <Send aria-hidden className="size-3.5" />
        {mutation.isPending ? t("sending") : t("resend")}
      </Button>
      {mutation.isError && !askRecent && !(mutation.error instanceof ApiError && mutation.error.code === "recently_sent") ? (
        <span role="alert" className="text-xs text-red-700">
          {writeError(mutation.error)}
        </span>
      ) : null}
    </span>
  );
}

/** Revoke (managers): says what revoking can and cannot do; a joined customer may be removed too. */
export function RevokeButton({ invite }: { invite: InviteView }) {
  const t = useTranslations("invites");
  return (
    <DialogButton label={t("revoke")} icon={<Ban aria-hidden className="size-3.5" />} variant="ghost" title={t("revokeTitle", { email: invite.email })} size="sm" testId="revoke-dialog">
      {(close) => <RevokeForm invite={invite} onClose={close} />}
    </DialogButton>
  );
}

function RevokeForm({ invite, onClose }: { invite: InviteView; onClose: () => void }) {
  const t = useTranslations("invites");
  const queryClient = useQueryClient();
  const [removeUser, setRemoveUser] = useState(false);
  return (
    <ConfirmAction
      explain={t("revokeExplain")}
      confirm={t("revokeConfirm")}
      run={() => revokeInvite(invite.id, removeUser)}
      onClose={onClose}
      onDone={async () => {
        await queryClient.invalidateQueries({ queryKey: inviteKeys.all });
        await queryClient.invalidateQueries({ queryKey: spaceKeys.detail(invite.spaceId) });
      }}
    >
      {invite.status === "accepted" ? (
        <label className="flex items-start gap-2">
          <input type="checkbox" className="mt-0.5 size-4 rounded border-slate-300" checked={removeUser} onChange={(e) => setRemoveUser(e.target.checked)} />
          {t("revokeRemoveUser", { email: invite.email })}
        </label>
      ) : null}
    </ConfirmAction>
  );
}
