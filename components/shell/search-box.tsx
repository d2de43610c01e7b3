"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { SpaceCombobox } from "@/components/spaces/space-combobox";

/** The header lookup; Ctrl/Cmd-K focuses it from anywhere in the dashboard. */
export function SearchBox() {
  const t = useTranslations("header");
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <div role="search" className="relative w-full max-w-md">
      <SpaceCombobox
        ref={inputRef}
        id="global-search"
        variant="header"
        keyShortcuts="Control+K Meta+K"
        label={t("searchLabel")}
        placeholder={t("searchPlaceholder")}
        icon={<Search aria-hidden className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400" />}
        hint={
          <kbd
            aria-hidden
            className="pointer-events-none absolute right-2 top-2 hidden rounded border border-slate-300 bg-white px-1.5 text-[11px] text-slate-500 sm:block"
          >
            {t("shortcut")}
          </kbd>
        }
        onPick={(hit) => {
          router.push(`/spaces/${encodeURIComponent(hit.space.id)}`);
          inputRef.current?.blur();
        }}
        onPickCustomer={(customer) => {
          router.push(`/customers/${encodeURIComponent(customer.id)}`);
          inputRef.current?.blur();
        }}
      />
    </div>
  );
}
