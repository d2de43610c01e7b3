"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";

/** The header search; the lookup behind it arrives with the space index. */
export function SearchBox() {
  const t = useTranslations("header");
  return (
    <form role="search" className="relative w-full max-w-md" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="global-search" className="sr-only">
        {t("searchLabel")}
      </label>
      <Search aria-hidden className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400" />
      <input
        id="global-search"
        type="search"
        placeholder={t("searchPlaceholder")}
        title={t("searchSoon")}
        className="h-9 w-full rounded-md border border-slate-300 bg-slate-50 pl-8 pr-3 text-sm placeholder:text-slate-400"
      />
    </form>
  );
}
