"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FolderInput } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { ApiError } from "@/lib/http/api-client";
import { parentPath } from "@/lib/spaces/labels";
import type { Breadcrumb, SearchHit } from "@/lib/spaces/types";
import { updateSpace } from "./api";
import { invalidateAfterSpaceWrite } from "./cache";
import { ParentPicker, type ParentChoice } from "./parent-picker";
import { useFieldError, useWriteError } from "./use-field-error";

/** "Verschieben": a new parent by search, or the top level. The server refuses cycles; the UI greys them out first. */
export function MoveSpaceButton({ space, ancestors }: { space: { id: string; name: string }; ancestors: Breadcrumb[] }) {
  const t = useTranslations("spaceForm");
  return (
    <DialogButton label={t("move")} icon={<FolderInput aria-hidden className="size-4" />} title={t("moveTitle", { name: space.name })} testId="move-space-dialog">
      {(close) => <MoveForm space={space} ancestors={ancestors} onClose={close} />}
    </DialogButton>
  );
}

function MoveForm({ space, ancestors, onClose }: { space: { id: string; name: string }; ancestors: Breadcrumb[]; onClose: () => void }) {
  const t = useTranslations("spaceForm");
  const fieldError = useFieldError();
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const current = ancestors.at(-1) ?? null;
  const [target, setTarget] = useState<ParentChoice | null>(
    current ? { id: current.id, name: current.name, path: parentPath(ancestors.slice(0, -1)) || undefined } : null,
  );

  const mutation = useMutation({
    mutationFn: () => updateSpace(space.id, { parentSpaceId: target?.id ?? null }),
    onSuccess: async () => {
      await invalidateAfterSpaceWrite(queryClient, { allDetails: true });
      onClose();
    },
  });

  // A space cannot move below itself: the hit is the space, or the space is among its ancestors.
  const disabledReason = (hit: SearchHit) =>
    hit.space.id === space.id
      ? t("cannotMoveIntoSelf")
      : hit.ancestors.some((a) => a.id === space.id)
        ? t("cannotMoveIntoDescendant")
        : null;

  const apiError = mutation.error instanceof ApiError ? mutation.error : null;
  const parentError = apiError?.fieldErrors.parentSpaceId?.[0];
  const unchanged = (target?.id ?? null) === (current?.id ?? null);

  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      {mutation.isError && !parentError ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <ParentPicker
        id="move-parent"
        label={t("newParent")}
        value={target}
        onChange={(next) => {
          setTarget(next);
          mutation.reset();
        }}
        allowTop
        disabledReason={disabledReason}
        error={fieldError(parentError)}
      />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={mutation.isPending || unchanged}>
          {mutation.isPending ? t("saving") : t("moveSubmit")}
        </Button>
      </DialogFooter>
    </form>
  );
}
