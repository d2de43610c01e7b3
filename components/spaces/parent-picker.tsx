"use client";

import { ArrowUpToLine, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import type { SearchHit } from "@/lib/spaces/types";
import { parentPath } from "@/lib/spaces/labels";
import { SpaceCombobox } from "./space-combobox";

export interface ParentChoice {
  id: string;
  name: string;
  path?: string;
}

/**
 * Choose a parent space by searching for it. `null` means the top level; with `allowTop` the
 * person can choose that explicitly (moving a space to the top).
 */
export function ParentPicker({
  id,
  label,
  value,
  onChange,
  disabledReason,
  allowTop = false,
  error,
}: {
  id: string;
  label: string;
  value: ParentChoice | null;
  onChange: (value: ParentChoice | null) => void;
  disabledReason?: (hit: SearchHit) => string | null;
  allowTop?: boolean;
  error?: string;
}) {
  const t = useTranslations("spaceForm");
  const errorId = `${id}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex items-center gap-2 rounded-md border border-dashed border-slate-300 bg-slate-50 px-3 py-1.5 text-sm" aria-live="polite">
        <span className="min-w-0 flex-1 truncate" data-testid="parent-choice">
          {value ? (
            <>
              <span className="font-medium">{value.name}</span>
              {value.path ? <span className="text-slate-500"> · {value.path}</span> : null}
            </>
          ) : (
            <span className="text-slate-600">{t("topLevel")}</span>
          )}
        </span>
        {value && allowTop ? (
          <Button size="sm" variant="ghost" className="h-7" onClick={() => onChange(null)}>
            <ArrowUpToLine aria-hidden className="size-4" />
            {t("toTopLevel")}
          </Button>
        ) : value ? (
          <Button size="sm" variant="ghost" className="h-7" aria-label={t("clearParent")} onClick={() => onChange(null)}>
            <X aria-hidden className="size-4" />
          </Button>
        ) : null}
      </div>
      <SpaceCombobox
        id={id}
        label={label}
        labelledOutside
        placeholder={t("searchParent")}
        disabledReason={disabledReason}
        invalid={Boolean(error)}
        describedBy={error ? errorId : undefined}
        onPick={(hit) =>
          onChange({
            id: hit.space.id,
            name: hit.space.name,
            path: parentPath(hit.ancestors) || undefined,
          })
        }
      />
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
