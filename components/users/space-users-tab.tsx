"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserMinus, UserPlus, Users } from "lucide-react";
import { useTranslations } from "next-intl";
import { useForm } from "react-hook-form";
import { useAccessRoles } from "@/components/invites/use-access-roles";
import { useCan } from "@/components/session/role-context";
import { useFieldError, useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Button } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { inviteKeys } from "@/lib/invites/keys";
import type { User } from "@/lib/partner-api/schemas";
import { spaceKeys } from "@/lib/spaces/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { AddUserInput } from "@/lib/users/validation";
import { addUser, removeAllUsers, removeUser } from "./api";

/** The users tab of a space page: who has access (live), add with a role (staff), remove (managers). */
export function SpaceUsersTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("users");
  const tPage = useTranslations("spacePage");
  const time = useBerlinTime();
  const canAdd = useCan("users.add");
  const canRemove = useCan("users.remove");
  const { users, space } = detail;
  return (
    <div className="space-y-3">
      {canAdd || (canRemove && users && users.length > 0) ? (
        <div className="flex justify-end gap-2">
          {canAdd ? <AddUserButton spaceId={space.id} /> : null}
          {canRemove && users && users.length > 0 ? <RemoveAllButton spaceId={space.id} count={users.length} /> : null}
        </div>
      ) : null}
      {!users ? (
        <EmptyNote>{tPage("liveMissing")}</EmptyNote>
      ) : users.length === 0 ? (
        <EmptyNote>{tPage("noUsers")}</EmptyNote>
      ) : (
        <Table
          caption={tPage("tabs.users")}
          head={
            <>
              <Th>{tPage("userName")}</Th>
              <Th>{tPage("email")}</Th>
              <Th>{tPage("lastLogin")}</Th>
              <Th>{t("loginCount")}</Th>
              {canRemove ? (
                <Th>
                  <span className="sr-only">{t("actions")}</span>
                </Th>
              ) : null}
            </>
          }
        >
          {users.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <Td>{u.name || "–"}</Td>
              <Td>{u.email}</Td>
              <Td className="tabular-nums">{time(u.lastLogin)}</Td>
              <Td className="tabular-nums">{u.loginCount ?? "–"}</Td>
              {canRemove ? (
                <Td className="text-right">
                  <RemoveUserButton spaceId={space.id} user={u} />
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}

function useUsersChanged(spaceId: string) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: spaceKeys.detail(spaceId) });
    await queryClient.invalidateQueries({ queryKey: inviteKeys.space(spaceId) });
  };
}

function AddUserButton({ spaceId }: { spaceId: string }) {
  const t = useTranslations("users");
  return (
    <DialogButton label={t("add")} icon={<UserPlus aria-hidden className="size-4" />} title={t("addTitle")} testId="add-user-dialog">
      {(close) => <AddUserForm spaceId={spaceId} onClose={close} />}
    </DialogButton>
  );
}

function AddUserForm({ spaceId, onClose }: { spaceId: string; onClose: () => void }) {
  const t = useTranslations("users");
  const fieldError = useFieldError();
  const writeError = useWriteError();
  const changed = useUsersChanged(spaceId);
  const roles = useAccessRoles();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<AddUserInput>({ resolver: zodResolver(AddUserInput), defaultValues: { userId: "", accessRoleId: "" } });
  const mutation = useMutation({
    mutationFn: (values: AddUserInput) => addUser(spaceId, values),
    onSuccess: async () => {
      await changed();
      onClose();
    },
  });
  return (
    <form noValidate onSubmit={handleSubmit((v) => mutation.mutate(v))} className="space-y-3">
      <Field id="add-user-id" label={t("userId")} error={fieldError(errors.userId?.message)}>
        <Input id="add-user-id" autoFocus aria-invalid={errors.userId ? true : undefined} {...register("userId")} />
      </Field>
      <p className="text-xs text-slate-500">{t("userIdHint")}</p>
      <Field id="add-user-role" label={t("role")} error={fieldError(errors.accessRoleId?.message)}>
        <Select id="add-user-role" aria-invalid={errors.accessRoleId ? true : undefined} {...register("accessRoleId")}>
          <option value="">{t("chooseRole")}</option>
          {(roles.data?.accessRoles ?? []).map((r) =>
            r.id ? (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ) : null,
          )}
        </Select>
      </Field>
      {mutation.isError ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={mutation.isPending}>
          {t("addSubmit")}
        </Button>
      </DialogFooter>
    </form>
  );
}


function RemoveUserButton({ spaceId, user }: { spaceId: string; user: User }) {
  const t = useTranslations("users");
  const changed = useUsersChanged(spaceId);
  return (
    <DialogButton label={t("remove")} icon={<UserMinus aria-hidden className="size-3.5" />} variant="ghost" title={t("removeTitle", { email: user.email })} size="sm">
      {(close) => <ConfirmAction explain={t("removeExplain")} confirm={t("removeConfirm")} run={() => removeUser(spaceId, user.id)} onClose={close} onDone={changed} />}
    </DialogButton>
  );
}

function RemoveAllButton({ spaceId, count }: { spaceId: string; count: number }) {
  const t = useTranslations("users");
  const changed = useUsersChanged(spaceId);
  return (
    <DialogButton label={t("removeAll")} icon={<Users aria-hidden className="size-4" />} variant="danger" title={t("removeAllTitle", { count })} size="sm">
      {(close) => <ConfirmAction explain={t("removeAllExplain", { count })} confirm={t("removeAllConfirm")} run={() => removeAllUsers(spaceId)} onClose={close} onDone={changed} />}
    </DialogButton>
  );
}
