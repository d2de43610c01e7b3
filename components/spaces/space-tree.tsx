"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ChevronRight, CircleAlert, LoaderCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/select";
import { useCan } from "@/components/session/role-context";
import { SPACE_CATEGORIES } from "@/lib/partner-api/schemas";
import { spaceKeys } from "@/lib/spaces/keys";
import { flattenVisible, isFocusable, ORPHANS, ROOT, treeKeyAction, type ChildrenState, type TreeRow } from "@/lib/spaces/tree-view";
import type { TreeChildrenResponse } from "@/lib/spaces/types";
import { fetchChildren, fetchTreePath } from "./api";
import { CategoryIcon } from "./category-icon";
import { IndexStatus } from "./index-status";
import { CreateSpaceButton } from "./space-form-dialog";
import { CategoryOptions } from "./category-options";
import { useSpaceLabels } from "./use-labels";

const ROW_HEIGHT = 32;

function toState(query: { status: "pending" | "error" | "success"; data?: TreeChildrenResponse; error: Error | null }): ChildrenState {
  if (query.data) return { status: "success", nodes: query.data.nodes };
  if (query.status === "error") return { status: "error", message: query.error?.message ?? "" };
  return { status: "pending" };
}

/**
 * The space hierarchy: each level fetched when opened, the visible rows flattened and
 * virtualized (20,000 spaces stay a few dozen DOM rows). The selected space lives in the URL
 * (`?selected=`) and is revealed on load; a category filter turns the top level into a flat list.
 */
export function SpaceTree() {
  const t = useTranslations();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const urlSelected = searchParams.get("selected");
  const rawCategory = searchParams.get("category");
  const category = rawCategory && (SPACE_CATEGORIES as readonly string[]).includes(rawCategory) ? rawCategory : null;
  const canWrite = useCan("spaces.write");

  const [selectedId, setSelectedId] = useState<string | null>(urlSelected);
  // A space chosen elsewhere (a link to /spaces?selected=…) is revealed; our own selection is not re-fetched.
  const [seenUrlSelected, setSeenUrlSelected] = useState(urlSelected);
  const [revealId, setRevealId] = useState<string | null>(urlSelected);
  if (urlSelected !== seenUrlSelected) {
    setSeenUrlSelected(urlSelected);
    if (urlSelected !== selectedId) {
      setSelectedId(urlSelected);
      setRevealId(urlSelected);
    }
  }

  // Explicit opens/closes by the person; everything else follows the defaults below.
  const [toggles, setToggles] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [focusKey, setFocusKey] = useState<string | null>(null);

  const path = useQuery({
    queryKey: spaceKeys.path(revealId ?? ""),
    queryFn: ({ signal }) => fetchTreePath(revealId ?? "", signal),
    enabled: Boolean(revealId) && !category,
    staleTime: 60_000,
  });

  const expanded = useMemo(() => {
    const open = new Set<string>([ORPHANS]);
    if (path.data && path.data.id === revealId) for (const a of path.data.ancestors) open.add(a.id);
    for (const [id, isOpen] of toggles) {
      if (isOpen) open.add(id);
      else open.delete(id);
    }
    return open;
  }, [toggles, path.data, revealId]);

  const top = useQuery({
    queryKey: spaceKeys.children(ROOT, category),
    queryFn: ({ signal }) => fetchChildren(ROOT, category, signal),
  });
  const orphans = useQuery({
    queryKey: spaceKeys.children(ORPHANS),
    queryFn: ({ signal }) => fetchChildren(ORPHANS, null, signal),
    enabled: !category,
  });
  const openIds = useMemo(() => [...expanded].filter((id) => id !== ORPHANS), [expanded]);
  // A stable combine keeps the map (and so the flattened rows) the same object between renders
  // until a level actually changes: flattening 20,000 rows on every render would be wasted work.
  const combine = useCallback(
    (results: { status: "pending" | "error" | "success"; data?: TreeChildrenResponse; error: Error | null }[]) => {
      const map = new Map<string, ChildrenState>();
      results.forEach((r, i) => map.set(openIds[i], toState(r)));
      return map;
    },
    [openIds],
  );
  const children = useQueries({
    queries: openIds.map((id) => ({
      queryKey: spaceKeys.children(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchChildren(id, null, signal),
    })),
    combine,
  });

  const { data: topData, status: topStatus, error: topError } = top;
  const { data: orphanData, status: orphanStatus, error: orphanError } = orphans;
  const rows = useMemo(
    () =>
      flattenVisible({
        top: toState({ data: topData, status: topStatus, error: topError }),
        orphans: category ? null : toState({ data: orphanData, status: orphanStatus, error: orphanError }),
        expanded,
        childrenOf: (id) => children.get(id),
      }),
    [topData, topStatus, topError, orphanData, orphanStatus, orphanError, category, expanded, children],
  );

  const selectedKey = selectedId ? `node:${selectedId}` : null;
  const rowKeys = useMemo(() => new Map(rows.map((r, i) => [r.key, i])), [rows]);
  const activeKey =
    (focusKey && rowKeys.has(focusKey) ? focusKey : null) ??
    (selectedKey && rowKeys.has(selectedKey) ? selectedKey : null) ??
    rows.find(isFocusable)?.key ??
    null;

  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable: a new getItemKey would make the virtualizer re-measure all rows on every scroll frame.
  const getItemKey = useCallback((index: number) => rows[index].key, [rows]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const estimateSize = useCallback(() => ROW_HEIGHT, []);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read every render on purpose
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement, estimateSize, overscan: 12, getItemKey });

  // Scroll the revealed space into view once its row exists (ancestors may still be loading).
  const revealedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!revealId || revealedFor.current === revealId) return;
    const index = rowKeys.get(`node:${revealId}`);
    if (index === undefined) return;
    revealedFor.current = revealId;
    virtualizer.scrollToIndex(index, { align: "center" });
  }, [revealId, rowKeys, virtualizer]);

  // After a key press moved focus, put DOM focus on the row once the virtualizer rendered it.
  const wantsFocus = useRef(false);
  useEffect(() => {
    if (!wantsFocus.current || !activeKey) return;
    let frames = 0;
    let handle = 0;
    const tryFocus = () => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(activeKey)}"]`);
      if (el) {
        el.focus({ preventScroll: true });
        wantsFocus.current = false;
      } else if (frames++ < 5) handle = requestAnimationFrame(tryFocus);
    };
    tryFocus();
    return () => cancelAnimationFrame(handle);
  }, [activeKey, rows]);

  // The selection goes to the URL shortly after the last arrow key: every URL change re-renders
  // the router, too much work per key press while someone holds ↓.
  const urlTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(urlTimer.current), []);
  const select = useCallback(
    (id: string) => {
      setSelectedId(id);
      window.clearTimeout(urlTimer.current);
      urlTimer.current = window.setTimeout(() => {
        const params = new URLSearchParams(searchParams);
        params.set("selected", id);
        window.history.replaceState(null, "", `${pathname}?${params}`);
      }, 250);
    },
    [pathname, searchParams],
  );

  const setOpen = useCallback((id: string, open: boolean) => {
    setToggles((prev) => new Map(prev).set(id, open));
  }, []);

  const onRowSelect = useCallback(
    (row: TreeRow) => {
      setFocusKey(row.key);
      if (row.kind === "node") select(row.id);
    },
    [select],
  );
  const refetchTop = top.refetch;
  const refetchOrphans = orphans.refetch;
  const onRetry = useCallback(
    (parentId: string) => {
      if (parentId === ROOT) void refetchTop();
      else if (parentId === ORPHANS) void refetchOrphans();
      else setOpen(parentId, true);
    },
    [refetchTop, refetchOrphans, setOpen],
  );

  function focusRow(key: string) {
    setFocusKey(key);
    const index = rowKeys.get(key);
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: "auto" });
    const row = index !== undefined ? rows[index] : null;
    if (row?.kind === "node") select(row.id);
    wantsFocus.current = true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const action = treeKeyAction(rows, activeKey, event.key);
    if (action.type === "none") return;
    event.preventDefault();
    if (action.type === "focus") focusRow(action.key);
    else if (action.type === "expand") setOpen(action.id, true);
    else if (action.type === "collapse") setOpen(action.id, false);
    else if (action.type === "open") router.push(`/spaces/${encodeURIComponent(action.id)}`);
  }

  function setCategory(next: string) {
    const params = new URLSearchParams(searchParams);
    if (next) params.set("category", next);
    else params.delete("category");
    router.replace(`${pathname}?${params}`);
  }

  const selectedRow = selectedKey !== null && rowKeys.has(selectedKey) ? rows[rowKeys.get(selectedKey)!] : null;
  const selectedNode = selectedRow?.kind === "node" ? selectedRow.node : null;
  const activeInDom = virtualizer.getVirtualItems().some((v) => rows[v.index]?.key === activeKey);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex items-center gap-2 text-sm">
          <span className="text-slate-700">{t("tree.filterCategory")}</span>
          <Select value={category ?? ""} onChange={(event) => setCategory(event.target.value)} className="w-56">
            <option value="">{t("tree.allCategories")}</option>
            <CategoryOptions />
          </Select>
        </label>
        {canWrite ? (
          <div className="ml-auto flex gap-2">
            {selectedNode ? (
              <CreateSpaceButton variant="secondary" parent={{ id: selectedNode.id, name: selectedNode.name }} label={t("spaceForm.createChild")} />
            ) : null}
            <CreateSpaceButton label={t("spaceForm.create")} />
          </div>
        ) : null}
      </div>
      <IndexStatus />
      <div
        ref={scrollRef}
        role="tree"
        aria-label={t("tree.label")}
        aria-busy={top.isPending}
        // If the focused row is scrolled out of the DOM, the tree itself keeps the tab stop.
        tabIndex={activeInDom ? -1 : 0}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target === event.currentTarget && activeKey) focusRow(activeKey);
        }}
        className="h-[calc(100vh-15rem)] min-h-72 overflow-auto rounded-lg border border-slate-200 bg-white"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                className="absolute left-0 top-0 w-full"
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <TreeRowView
                  row={row}
                  active={row.key === activeKey}
                  selected={row.kind === "node" && row.id === selectedId}
                  onSelect={onRowSelect}
                  onToggle={setOpen}
                  onRetry={onRetry}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

// Memoized: while scrolling only rows entering the window render; the others just move.
const TreeRowView = memo(function TreeRowView({
  row,
  active,
  selected,
  onSelect,
  onToggle,
  onRetry,
}: {
  row: TreeRow;
  active: boolean;
  selected: boolean;
  onSelect: (row: TreeRow) => void;
  onToggle: (id: string, open: boolean) => void;
  onRetry: (parentId: string) => void;
}) {
  const t = useTranslations("tree");
  const labels = useSpaceLabels();
  const indent = { paddingLeft: `${(row.level - 1) * 1.25 + 0.5}rem` };

  if (row.kind === "status") {
    return (
      <div role="none" style={indent} className="flex h-full items-center gap-2 pl-2 text-xs text-slate-500">
        <span className="w-4" />
        {row.state === "pending" ? (
          <>
            <LoaderCircle aria-hidden className="size-3.5 animate-spin" />
            {t("loading")}
          </>
        ) : row.state === "error" ? (
          <>
            <CircleAlert aria-hidden className="size-3.5 text-red-600" />
            <span className="text-red-700">{t("loadError")}</span>
            <button type="button" tabIndex={-1} className="underline" onClick={() => onRetry(row.parentId)}>
              {t("retry")}
            </button>
          </>
        ) : (
          t(row.parentId === ROOT ? "emptyRoot" : "emptyChildren")
        )}
      </div>
    );
  }

  const expandable = row.kind === "section" || row.expandable;
  const chevron = (
    <span
      aria-hidden
      onClick={(event) => {
        event.stopPropagation();
        if (expandable) onToggle(row.id, !row.expanded);
      }}
      className={cn("flex size-5 shrink-0 items-center justify-center rounded", expandable && "hover:bg-slate-200")}
    >
      {expandable ? <ChevronRight className={cn("size-4 text-slate-500 transition-transform", row.expanded && "rotate-90")} /> : null}
    </span>
  );

  const common = {
    role: "treeitem",
    "aria-level": row.level,
    "aria-expanded": expandable ? row.expanded : undefined,
    tabIndex: active ? 0 : -1,
    "data-key": row.key,
    onClick: () => onSelect(row),
    style: indent,
  } as const;

  if (row.kind === "section") {
    return (
      <div
        {...common}
        aria-selected={false}
        className="flex h-full cursor-default items-center gap-1.5 border-t border-slate-200 bg-slate-50 pr-3 text-xs font-semibold uppercase tracking-wide text-slate-600 focus-visible:-outline-offset-2"
      >
        {chevron}
        {t("orphans")}
        <span className="font-normal normal-case text-slate-500">({row.count})</span>
      </div>
    );
  }

  const node = row.node;
  return (
    <div
      {...common}
      aria-selected={selected}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      data-testid="tree-row"
      data-space-id={node.id}
      className={cn(
        "flex h-full cursor-default items-center gap-1.5 pr-3 text-sm focus-visible:-outline-offset-2",
        selected ? "bg-brand-50" : "hover:bg-slate-50",
      )}
    >
      {chevron}
      <span title={labels.category(node.category)} className="flex">
        <CategoryIcon category={node.category} />
      </span>
      <Link
        href={`/spaces/${encodeURIComponent(node.id)}`}
        tabIndex={-1}
        // No prefetch: scrolling through thousands of rows must not fetch a page per visible row.
        prefetch={false}
        className="truncate font-medium hover:underline"
        onClick={(event) => event.stopPropagation()}
      >
        {node.name}
      </Link>
      <span className="truncate text-xs text-slate-500">
        {node.postcode} {node.city}
      </span>
      <span className="ml-auto flex shrink-0 gap-3 text-xs tabular-nums text-slate-500">
        {node.childCount > 0 ? <span>{t("childCount", { count: node.childCount })}</span> : null}
        <span>{node.deviceCount === null ? t("devicesUnknown") : t("deviceCount", { count: node.deviceCount })}</span>
      </span>
    </div>
  );
});
