"use client";

import { useTranslations } from "next-intl";

/**
 * Labels for values that come from the partner API as strings: a known value gets its German
 * label from the message files, an unknown one (a newer API) is shown as sent.
 */
export function useSpaceLabels() {
  const t = useTranslations();
  const label = (ns: "categories" | "deviceTypes" | "media" | "deviceStatus", value: string) => {
    const key = `${ns}.${value}`;
    return t.has(key as "categories.FLAT") ? t(key as "categories.FLAT") : value;
  };
  return {
    category: (value: string) => label("categories", value),
    deviceType: (value: string) => label("deviceTypes", value),
    medium: (value: string) => label("media", value),
    deviceStatus: (value: string) => label("deviceStatus", value),
  };
}
