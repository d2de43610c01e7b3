"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ApiError } from "@/lib/http/api-client";
import { uploadImport } from "./api";

/** /onboarding/import: choose the ERP export; the server reads and checks it, then the preview opens. */
export function UploadImport() {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const upload = useMutation({ mutationFn: uploadImport, onSuccess: ({ job }) => router.push(`/onboarding/import/${job.id}`) });
  const fileCode = upload.error instanceof ApiError ? (upload.error.fieldErrors?.file?.[0] ?? null) : null;
  const fieldError = missing ? t("fileErrors.required") : fileCode && t.has(`fileErrors.${fileCode}`) ? t(`fileErrors.${fileCode}`) : undefined;
  return (
    <form
      noValidate
      className="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        setMissing(!file);
        if (file) upload.mutate(file);
      }}
    >
      <Field id="import-file" label={t("file")} error={fieldError}>
        <Input
          id="import-file"
          type="file"
          accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "import-file-error" : undefined}
          className="py-1.5"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setMissing(false);
          }}
        />
      </Field>
      <p className="text-xs text-slate-600">{t("templateHint")}</p>
      {upload.isError && !fieldError ? <Alert>{writeError(upload.error)}</Alert> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={upload.isPending}>
          {upload.isPending ? t("uploading") : t("upload")}
        </Button>
        <a href="/api/imports/template" download className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
          {t("template")}
        </a>
      </div>
    </form>
  );
}
