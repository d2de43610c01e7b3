"use client";

import { useTranslations } from "next-intl";
import { forwardRef, useId, useState, type KeyboardEvent, type ReactNode } from "react";
import { UserRound } from "lucide-react";
import type { CustomerHit } from "@/lib/customers/types";
import type { SearchHit } from "@/lib/spaces/types";
import { cn } from "@/components/ui/cn";
import { Highlighted, SearchHitContent } from "./search-hit";

type Option = { kind: "space"; hit: SearchHit } | { kind: "customer"; customer: CustomerHit };
import { SEARCH_MIN_LENGTH, useSpaceSearch } from "./use-space-search";

/**
 * A WAI-ARIA combobox over the space lookup: type, ↑/↓ through the hits, Enter or click picks,
 * Escape closes (a second Escape clears). The header search and the parent pickers share it.
 */
export const SpaceCombobox = forwardRef<
  HTMLInputElement,
  {
    id: string;
    label: string;
    placeholder?: string;
    onPick: (hit: SearchHit) => void;
    /** Hits that cannot be picked (e.g. the space itself and its descendants when moving). */
    disabledReason?: (hit: SearchHit) => string | null;
    /** The header shows a wide, command-palette style list. */
    variant?: "header" | "field";
    icon?: ReactNode;
    hint?: ReactNode;
    invalid?: boolean;
    describedBy?: string;
    /** The caller renders a visible <label htmlFor={id}>; a second one would double the name. */
    labelledOutside?: boolean;
    keyShortcuts?: string;
    /** The header search lists matching customers first; picking one calls this. */
    onPickCustomer?: (hit: CustomerHit) => void;
  }
>(function SpaceCombobox(
  { id, label, placeholder, onPick, disabledReason, variant = "field", icon, hint, invalid, describedBy, labelledOutside, keyShortcuts, onPickCustomer },
  ref,
) {
  const t = useTranslations("search");
  const tCustomers = useTranslations("customers");
  const listId = useId();
  const [input, setInput] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useSpaceSearch(input, !!onPickCustomer);
  // Customers (header search only) first, then spaces: one list for the keyboard.
  const options: Option[] = search.enabled
    ? [...(search.data?.customers ?? []).map((customer) => ({ kind: "customer" as const, customer })), ...(search.data?.hits ?? []).map((hit) => ({ kind: "space" as const, hit }))]
    : [];
  const hits = options;
  const showList = open && input.trim().length >= SEARCH_MIN_LENGTH;
  const activeIndex = Math.min(active, Math.max(hits.length - 1, 0));
  const optionId = (i: number) => `${listId}-opt-${i}`;

  function pick(option: Option) {
    if (option.kind === "customer") onPickCustomer?.(option.customer);
    else if (disabledReason?.(option.hit)) return;
    else onPick(option.hit);
    setOpen(false);
    setInput("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return setOpen(true);
      if (hits.length === 0) return;
      const delta = event.key === "ArrowDown" ? 1 : -1;
      const next = (activeIndex + delta + hits.length) % hits.length;
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: "nearest" });
    } else if (event.key === "Enter") {
      // Never submit a surrounding form from the lookup.
      event.preventDefault();
      if (showList && hits[activeIndex]) pick(hits[activeIndex]);
    } else if (event.key === "Escape") {
      if (open && input) {
        event.preventDefault();
        event.stopPropagation(); // keep a surrounding dialog open
        setOpen(false);
      } else if (input) {
        event.preventDefault();
        event.stopPropagation();
        setInput("");
      }
    }
  }

  return (
    <div className="relative w-full">
      {labelledOutside ? null : (
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
      )}
      {icon}
      <input
        ref={ref}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && hits.length > 0 ? optionId(activeIndex) : undefined}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        aria-keyshortcuts={keyShortcuts}
        placeholder={placeholder}
        value={input}
        onChange={(event) => {
          setInput(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className={cn(
          "h-9 w-full rounded-md border border-slate-300 text-sm placeholder:text-slate-400",
          "aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-red-500",
          variant === "header" ? "bg-slate-50 pl-8 pr-16" : "bg-white px-3 shadow-sm",
        )}
      />
      {hint}
      {variant === "header" && open && !showList ? (
        // Command-palette feel: opened with Ctrl/Cmd-K and nothing typed yet, say what can be found.
        <p className="absolute left-0 z-50 mt-1 w-[min(40rem,calc(100vw-2rem))] rounded-md border border-slate-200 bg-white px-3 py-2 text-xs text-slate-500 shadow-lg">
          {t("hint")}
        </p>
      ) : null}
      <div
        className={cn(
          "mt-1 overflow-hidden rounded-md border border-slate-200 bg-white",
          // In a dialog the list flows with the form: an absolute popup would be clipped by the dialog's scroll box.
          variant === "header" ? "absolute left-0 z-50 w-[min(40rem,calc(100vw-2rem))] shadow-lg" : "w-full",
          showList ? "block" : "hidden",
        )}
      >
        <ul id={listId} role="listbox" aria-label={t("results")} className={cn("overflow-y-auto py-1", variant === "header" ? "max-h-96" : "max-h-56")}>
          {hits.map((option, i) => {
            if (option.kind === "customer") {
              const c = option.customer;
              return (
                <li
                  key={`customer-${c.id}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  data-testid="search-hit-customer"
                  data-customer-id={c.id}
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => setActive(i)}
                  onClick={() => pick(option)}
                  className={cn("cursor-pointer px-3 py-1.5 text-sm", i === activeIndex && "bg-brand-50")}
                >
                  <span className="flex min-w-0 items-start gap-2">
                    <UserRound aria-hidden className="mt-0.5 size-4 shrink-0 text-slate-500" />
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-medium">{c.name ?? c.externalId}</span>
                      <span className="block truncate text-xs text-slate-500">
                        {tCustomers("hit")} <Highlighted text={c.externalId} query={search.q} />
                        {c.email ? <> · <Highlighted text={c.email} query={search.q} /></> : null}
                      </span>
                    </span>
                  </span>
                </li>
              );
            }
            const hit = option.hit;
            const reason = disabledReason?.(hit) ?? null;
            return (
              <li
                key={hit.space.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                aria-disabled={reason ? true : undefined}
                data-testid="search-hit"
                data-space-id={hit.space.id}
                title={reason ?? undefined}
                // Keep focus in the input so the blur does not close the list before the click.
                onMouseDown={(event) => event.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => pick(option)}
                className={cn(
                  "cursor-pointer px-3 py-1.5 text-sm",
                  i === activeIndex && "bg-brand-50",
                  reason && "cursor-not-allowed opacity-50",
                )}
              >
                <SearchHitContent hit={hit} query={search.q} />
                {reason ? <span className="block pl-6 text-xs text-slate-500">{reason}</span> : null}
              </li>
            );
          })}
        </ul>
        <p role="status" className={cn("px-3 text-xs text-slate-500", (search.isFetching || hits.length === 0 || search.isError) && "py-2")}>
          {search.isError
            ? t("error")
            : search.isFetching && hits.length === 0
              ? t("searching")
              : !search.isFetching && search.enabled && search.data && hits.length === 0
                ? t("noHits", { q: search.q })
                : showList && hits.length > 0
                  ? <span className="sr-only">{t("hitCount", { count: hits.length })}</span>
                  : null}
        </p>
      </div>
    </div>
  );
});
