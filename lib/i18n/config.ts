/** Languages of the UI: German first, English complete. */
export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "de";
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Every time a person reads or types is in this zone (DOMAIN.md, "Time"). */
export const TIME_ZONE = "Europe/Berlin";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
