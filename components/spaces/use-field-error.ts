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

/**
 * The message for an error that is not about one field: what happened and what to do, from the
 * server's stable code (never the server's own prose), with the error id to quote to support.
 */
export function useWriteError() {
  const t = useTranslations("errors");
  return (error: unknown): string => {
    if (!(error instanceof ApiError)) return t("generic");
    if (error.status === 0) return t("network");
    const key = `codes.${error.code}`;
    const text = t.has(key) ? t(key) : error.status >= 500 ? t("upstream") : t("generic");
    return error.errorId ? `${text} ${t("errorId", { id: error.errorId })}` : text;
  };
}
