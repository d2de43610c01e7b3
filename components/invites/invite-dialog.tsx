"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MailPlus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useFieldError, useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ApiError } from "@/lib/http/api-client";
import { inviteKeys } from "@/lib/invites/keys";
import type { InviteView } from "@/lib/invites/types";
import { CreateInviteInput } from "@/lib/invites/validation";
import { createInvite } from "./api";
import { CopyLinkButton } from "./copy-link-button";
import { useAccessRoles } from "./use-access-roles";

type FormInput = z.input<typeof CreateInviteInput>;
type FormOutput = z.output<typeof CreateInviteInput>;

/** "Kund:in einladen": e-mail, access role (the partner's default first), e-mail now or link only. */
export function InviteButton({ spaceId, spaceName }: { spaceId: string; spaceName: string }) {
  const t = useTranslations("invites");
  return (
    <DialogButton label={t("invite")} icon={<MailPlus aria-hidden className="size-4" />} variant="primary" title={t("inviteTitle", { space: spaceName })} testId="invite-dialog">
      {(close) => <InviteForm spaceId={spaceId} onClose={close} />}
    </DialogButton>
  );
}

function InviteForm({ spaceId, onClose }: { spaceId: string; onClose: () => void }) {
  const t = useTranslations("invites");
  const fieldError = useFieldError();
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const roles = useAccessRoles();
  // One key per opening of the dialog: a double click or a retry after an error invites once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // True while the server waits to learn whether an invite whose answer was lost went out.
  const [checking, setChecking] = useState(false);
  const tErrors = useTranslations("errors");
  const [created, setCreated] = useState<InviteView | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm<FormInput, unknown, FormOutput>({ resolver: zodResolver(CreateInviteInput), defaultValues: { email: "", accessRoleId: "", sendEmail: true } });

  const mutation = useMutation({
    mutationFn: (values: FormOutput) => createInvite(spaceId, values, idempotencyKey, setChecking),
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.email) setError("email", { message: error.fieldErrors.email[0] });
    },
    onSuccess: async ({ invite }) => {
      setCreated(invite);
      await queryClient.invalidateQueries({ queryKey: inviteKeys.all });
    },
  });

  if (created) {
    return (
      <div className="space-y-3" data-testid="invite-created">
        <Alert tone="info">{created.sendCount > 0 ? t("sentTo", { email: created.email }) : t("linkCreated", { email: created.email })}</Alert>
        <div className="flex items-center gap-2">
          <Input readOnly value={created.link ?? ""} aria-label={t("link")} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          {created.link ? <CopyLinkButton link={created.link} /> : null}
        </div>
        <DialogFooter>
          <Button onClick={onClose}>{t("done")}</Button>
        </DialogFooter>
      </div>
    );
  }

  const failure = mutation.isError && !(mutation.error instanceof ApiError && mutation.error.fieldErrors.email) ? writeError(mutation.error) : null;
  return (
    <form noValidate onSubmit={handleSubmit((values) => mutation.mutate(values))} className="space-y-3" aria-busy={mutation.isPending}>
      <Field id="invite-email" label={t("email")} error={fieldError(errors.email?.message)}>
        <Input
          id="invite-email"
          type="email"
          autoComplete="off"
          autoFocus
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? "invite-email-error" : undefined}
          {...register("email")}
        />
      </Field>
      <Field id="invite-role" label={t("role")}>
        <Select id="invite-role" {...register("accessRoleId")}>
          <option value="">{t("defaultRole")}</option>
          {(roles.data?.accessRoles ?? []).map((r) =>
            r.id ? (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ) : null,
          )}
        </Select>
      </Field>
      {roles.isError ? <p className="text-xs text-amber-700">{t("rolesUnavailable")}</p> : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 rounded border-slate-300" {...register("sendEmail")} />
        {t("sendEmailNow")}
      </label>
      <p className="text-xs text-slate-500">{t("sendEmailHint")}</p>
      {checking ? <Alert tone="info">{tErrors("checking")}</Alert> : null}
      {failure ? <Alert>{failure}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? t("sending") : t("submit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
