"use client";

import { SPACE_CATEGORIES } from "@/lib/partner-api/schemas";
import { useSpaceLabels } from "./use-labels";

/** Every space category as <option>s, sorted by its label in the current language. */
export function CategoryOptions() {
  const labels = useSpaceLabels();
  return [...SPACE_CATEGORIES]
    .sort((a, b) => labels.category(a).localeCompare(labels.category(b)))
    .map((c) => (
      <option key={c} value={c}>
        {labels.category(c)}
      </option>
    ));
}
