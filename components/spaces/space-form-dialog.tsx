"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonProps } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ApiError } from "@/lib/http/api-client";
import { spaceKeys } from "@/lib/spaces/keys";
import type { SpaceDetail } from "@/lib/spaces/types";
import { CreateSpaceInput } from "@/lib/spaces/validation";
import { invalidateAfterSpaceWrite } from "./cache";
import { createSpace, updateSpace } from "./api";
import { ParentPicker, type ParentChoice } from "./parent-picker";
import { useFieldError, useWriteError } from "./use-field-error";
import { CategoryOptions } from "./category-options";

type FormInput = z.input<typeof CreateSpaceInput>;
type FormOutput = z.output<typeof CreateSpaceInput>;
type EditableSpace = SpaceDetail["space"];

const TEXT_FIELDS = ["name", "addressLineOne", "addressLineTwo", "postcode", "city"] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const AUTOCOMPLETE: Record<TextField, string> = {
  name: "off",
  addressLineOne: "address-line1",
  addressLineTwo: "address-line2",
  postcode: "postal-code",
  city: "address-level2",
};

/** "Objekt anlegen" / "Unterobjekt anlegen": opens the create dialog, optionally with the parent preset. */
export function CreateSpaceButton({
  parent,
  label,
  variant = "primary",
}: {
  parent?: ParentChoice;
  label: string;
  variant?: ButtonProps["variant"];
}) {
  const t = useTranslations("spaceForm");
  return (
    <DialogButton
      label={label}
      icon={<Plus aria-hidden className="size-4" />}
      variant={variant}
      title={parent ? t("createChildTitle", { parent: parent.name }) : t("createTitle")}
      size="lg"
      testId="space-form-dialog"
    >
      {(close) => <SpaceForm mode="create" presetParent={parent ?? null} onClose={close} />}
    </DialogButton>
  );
}

export function EditSpaceButton({ space }: { space: EditableSpace }) {
  const t = useTranslations("spaceForm");
  return (
    <DialogButton label={t("edit")} icon={<Pencil aria-hidden className="size-4" />} title={t("editTitle", { name: space.name })} size="lg" testId="space-form-dialog">
      {(close) => <SpaceForm mode="edit" space={space} onClose={close} />}
    </DialogButton>
  );
}

type SpaceFormProps =
  | { mode: "create"; presetParent: ParentChoice | null; onClose: () => void }
  | { mode: "edit"; space: EditableSpace; onClose: () => void };

function SpaceForm(props: SpaceFormProps) {
  const t = useTranslations("spaceForm");
  const fieldError = useFieldError();
  const writeError = useWriteError();
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const queryClient = useQueryClient();
  // One key per dialog opening, reused on every retry: a double click or a retry after a lost
  // answer can never create two spaces.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [parent, setParent] = useState<ParentChoice | null>(props.mode === "create" ? props.presetParent : null);
  const editing = props.mode === "edit" ? props.space : null;

  const {
    register,
    handleSubmit,
    setError,
    setValue,
    formState: { errors, dirtyFields },
  } = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(CreateSpaceInput),
    defaultValues: editing
      ? {
          name: editing.name,
          addressLineOne: editing.addressLineOne,
          addressLineTwo: editing.addressLineTwo ?? "",
          postcode: editing.postcode,
          city: editing.city,
          category: editing.category as FormInput["category"],
          parentSpaceId: editing.parentId ?? undefined,
        }
      : {
          name: "",
          addressLineOne: "",
          addressLineTwo: "",
          postcode: "",
          city: "",
          parentSpaceId: props.mode === "create" ? props.presetParent?.id : undefined,
          isParticipatingInLttProject: false,
        },
  });

  // True while the server checks upstream whether a create whose answer was lost exists.
  const [checking, setChecking] = useState(false);
  const mutation = useMutation({
    mutationFn: async (values: FormOutput) => {
      if (!editing) {
        const body = { ...values, addressLineTwo: values.addressLineTwo?.trim() || undefined, parentSpaceId: parent?.id };
        return createSpace(body, idempotencyKey, setChecking);
      }
      // Only what changed; an emptied second address line is cleared with null.
      const changes: Record<string, unknown> = {};
      for (const field of [...TEXT_FIELDS, "category"] as const) {
        if (!dirtyFields[field]) continue;
        const value = values[field];
        changes[field] = field === "addressLineTwo" && !value ? null : value;
      }
      if (Object.keys(changes).length === 0) return { space: null };
      return updateSpace(editing.id, changes);
    },
    onMutate: async (values) => {
      if (!editing) return undefined;
      // Optimistic for edits only: the page shows the new name and address at once.
      const key = spaceKeys.detail(editing.id);
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<SpaceDetail>(key);
      if (previous) {
        queryClient.setQueryData<SpaceDetail>(key, {
          ...previous,
          space: { ...previous.space, ...values, addressLineTwo: values.addressLineTwo || null },
        });
      }
      return { previous };
    },
    onError: (error, _values, context) => {
      if (editing && context?.previous) queryClient.setQueryData(spaceKeys.detail(editing.id), context.previous);
      if (error instanceof ApiError) {
        for (const [field, messages] of Object.entries(error.fieldErrors)) {
          if (field === "parentSpaceId" || (TEXT_FIELDS as readonly string[]).includes(field) || field === "category") {
            setError(field as keyof FormInput, { message: messages[0] });
          }
        }
      }
    },
    onSuccess: async (result) => {
      const created = !editing && result.space ? result.space : null;
      await invalidateAfterSpaceWrite(queryClient, { ids: [editing?.id, editing?.parentId, parent?.id] });
      props.onClose();
      if (created) router.push(`/spaces/${encodeURIComponent(created.id)}`);
    },
  });

  const serverFieldErrors = mutation.error instanceof ApiError ? Object.keys(mutation.error.fieldErrors) : [];
  const failure = mutation.isError && serverFieldErrors.length === 0 ? writeError(mutation.error) : null;

  const control = (field: TextField) => ({
    id: `space-${field}`,
    "aria-invalid": errors[field] ? true : undefined,
    "aria-describedby": errors[field] ? `space-${field}-error` : undefined,
    autoComplete: AUTOCOMPLETE[field],
    ...register(field),
  });

  return (
    <form noValidate onSubmit={handleSubmit((values) => mutation.mutate(values))} className="space-y-3" aria-busy={mutation.isPending}>
      {checking ? <Alert tone="info">{tErrors("checking")}</Alert> : null}
      {failure ? (
        <Alert>
          {failure} {t("keptInput")}
        </Alert>
      ) : null}
      <Field id="space-name" label={t("name")} error={fieldError(errors.name?.message)}>
        <Input {...control("name")} autoFocus />
      </Field>
      <Field id="space-addressLineOne" label={t("addressLineOne")} error={fieldError(errors.addressLineOne?.message)}>
        <Input {...control("addressLineOne")} />
      </Field>
      <Field id="space-addressLineTwo" label={t("addressLineTwo")} error={fieldError(errors.addressLineTwo?.message)}>
        <Input {...control("addressLineTwo")} />
      </Field>
      <div className="grid grid-cols-[8rem_1fr] gap-3">
        <Field id="space-postcode" label={t("postcode")} error={fieldError(errors.postcode?.message)}>
          <Input {...control("postcode")} inputMode="numeric" />
        </Field>
        <Field id="space-city" label={t("city")} error={fieldError(errors.city?.message)}>
          <Input {...control("city")} />
        </Field>
      </div>
      <Field id="space-category" label={t("category")} error={fieldError(errors.category?.message)}>
        <Select
          id="space-category"
          aria-invalid={errors.category ? true : undefined}
          aria-describedby={errors.category ? "space-category-error" : undefined}
          {...register("category")}
        >
          <option value="">{t("chooseCategory")}</option>
          <CategoryOptions />
        </Select>
      </Field>
      {!editing ? (
        <>
          <ParentPicker
            id="space-parent"
            label={t("parent")}
            value={parent}
            onChange={(next) => {
              setParent(next);
              setValue("parentSpaceId", next?.id);
            }}
            error={fieldError(errors.parentSpaceId?.message)}
          />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 rounded border-slate-300" {...register("isParticipatingInLttProject")} />
            {t("ltt")}
          </label>
        </>
      ) : null}
      <DialogFooter>
        <Button variant="secondary" onClick={props.onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? t("saving") : editing ? t("save") : mutation.isError ? t("retryCreate") : t("submitCreate")}
        </Button>
      </DialogFooter>
    </form>
  );
}
