"use client";

import { useFormatter } from "next-intl";
import { TIME_ZONE } from "@/lib/i18n/config";

/** Formats an ISO time for people: medium date and short time in Europe/Berlin, "–" when absent. */
export function useBerlinTime() {
  const format = useFormatter();
  return (value: string | number | Date | null | undefined) =>
    value === null || value === undefined || value === ""
      ? "–"
      : format.dateTime(new Date(value), { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE });
}
