"use client";

import { useTranslations } from "next-intl";
import { highlightSegments } from "@/lib/spaces/highlight";
import { matchLabel, parentPath } from "@/lib/spaces/labels";
import type { SearchHit } from "@/lib/spaces/types";
import { CategoryIcon } from "./category-icon";

export function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightSegments(text, query).map((segment, i) =>
        segment.match ? (
          <mark key={i} className="rounded-sm bg-amber-100 px-0 text-inherit">
            {segment.text}
          </mark>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </>
  );
}

/** One hit: name, where it hangs, and what matched (highlighted). */
export function SearchHitContent({ hit, query }: { hit: SearchHit; query: string }) {
  const t = useTranslations("search");
  const path = parentPath(hit.ancestors);
  const showMatch = hit.matched.field !== "name";
  return (
    <span className="flex min-w-0 items-start gap-2">
      <CategoryIcon category={hit.space.category} className="mt-0.5" />
      <span className="min-w-0 flex-1">
        <span className="block truncate font-medium">
          {hit.matched.field === "name" ? <Highlighted text={hit.space.name} query={query} /> : hit.space.name}
        </span>
        <span className="block truncate text-xs text-slate-500">
          {path || t("topLevel")}
        </span>
        {showMatch ? (
          <span className="block truncate text-xs text-slate-600">
            {t(`fields.${matchLabel(hit.matched.field, hit.matched.value)}`)}:{" "}
            <Highlighted text={hit.matched.value} query={query} />
          </span>
        ) : null}
      </span>
    </span>
  );
}
