"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "./alert";
import { Button } from "./button";
import { DialogFooter } from "./dialog";

/**
 * The body of a "are you sure?" dialog: what the action means, an error if it failed (the dialog
 * stays open), Cancel and the dangerous button. `onDone` runs after success, before closing.
 */
export function ConfirmAction({
  explain,
  confirm,
  run,
  onClose,
  onDone,
  children,
}: {
  explain: ReactNode;
  confirm: string;
  run: () => Promise<unknown>;
  onClose: () => void;
  onDone: () => Promise<void>;
  children?: ReactNode;
}) {
  const t = useTranslations("common");
  const writeError = useWriteError();
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  return (
    <div className="space-y-3 text-sm">
      <p>{explain}</p>
      {children}
      {mutation.isError ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button variant="danger" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
          {confirm}
        </Button>
      </DialogFooter>
    </div>
  );
}
