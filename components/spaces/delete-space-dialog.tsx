"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { spaceKeys } from "@/lib/spaces/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { deleteSpace } from "./api";
import { invalidateAfterSpaceWrite } from "./cache";
import { useWriteError } from "./use-field-error";

/** "Löschen" (managers): says what goes with the space and asks for its name before it can be confirmed. */
export function DeleteSpaceButton({
  space,
  impact,
}: {
  space: { id: string; name: string; parentId: string | null };
  impact: SpaceDetail["impact"];
}) {
  const t = useTranslations("spaceForm");
  return (
    <DialogButton
      label={t("delete")}
      icon={<Trash2 aria-hidden className="size-4" />}
      variant="danger"
      title={t("deleteTitle", { name: space.name })}
      size="sm"
      testId="delete-space-dialog"
    >
      {(close) => <DeleteForm space={space} impact={impact} onClose={close} />}
    </DialogButton>
  );
}

function DeleteForm({
  space,
  impact,
  onClose,
}: {
  space: { id: string; name: string; parentId: string | null };
  impact: SpaceDetail["impact"];
  onClose: () => void;
}) {
  const t = useTranslations("spaceForm");
  const writeError = useWriteError();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const matches = typed.trim() === space.name.trim();

  const mutation = useMutation({
    mutationFn: () => deleteSpace(space.id, typed.trim()),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: spaceKeys.detail(space.id) });
      await invalidateAfterSpaceWrite(queryClient, { ids: [space.parentId] });
      onClose();
      router.push(space.parentId ? `/spaces/${encodeURIComponent(space.parentId)}` : "/spaces");
    },
  });

  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (matches) mutation.mutate();
      }}
    >
      <div className="space-y-1 text-sm" data-testid="delete-impact">
        <p>{t("deleteImpact", { spaces: impact.descendantSpaces, devices: impact.devices })}</p>
        {/* Always said: the index may not have seen every device yet. */}
        <p className={impact.devices > 0 ? "font-medium text-red-700" : undefined}>{t("deleteDevicesToo")}</p>
        <p className="text-slate-600">{t("deleteIrreversible")}</p>
      </div>
      {mutation.isError ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <Field id="delete-confirm" label={t("deleteTypeName", { name: space.name })}>
        <Input id="delete-confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(event) => setTyped(event.target.value)} />
      </Field>
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" variant="danger" disabled={!matches || mutation.isPending}>
          {mutation.isPending ? t("deleting") : t("deleteSubmit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
