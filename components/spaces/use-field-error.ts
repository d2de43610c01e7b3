"use client";

import { useTranslations } from "next-intl";
import { ApiError } from "@/lib/http/api-client";
import { fieldErrorDisplay } from "@/lib/spaces/labels";

/** Turns a validation code ("required", "tooLong", …) or a server sentence into what the field shows. */
export function useFieldError() {
  const t = useTranslations("spaceForm.errors");
  return (message: string | undefined): string | undefined => {
    const display = fieldErrorDisplay(message);
    if (!display) return undefined;
    if ("text" in display) return display.text;
    return t.has(display.code) ? t(display.code) : t("invalid");
  };
}

/** The message for an error that is not about one field: what happened and what to do. */
export function useWriteError() {
  const t = useTranslations("errors");
  return (error: unknown): string => {
    if (!(error instanceof ApiError)) return t("generic");
    if (error.status === 0) return t("network");
    if (error.status === 401) return t("unauthorized");
    if (error.status === 403) return t("forbidden");
    if (error.status === 409) return error.message || t("conflict");
    if (error.status >= 500) return `${t("upstream")} ${error.message}`.trim();
    return error.message || t("generic");
  };
}
