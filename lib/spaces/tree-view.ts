/**
 * The space tree as the browser shows it: the expanded nodes flattened into the rows that are
 * visible (so the list can be virtualized), and the keyboard moves of the WAI-ARIA tree pattern.
 * Pure functions: the component feeds them what the query cache holds.
 */
import type { SpaceSummary } from "./types";

/** What is known about the children of one parent (`root`, `orphans` or a space id). */
export type ChildrenState =
  | { status: "pending" }
  | { status: "error"; message: string }
  | { status: "success"; nodes: readonly SpaceSummary[] };

/** The pseudo-node under which spaces with an unknown parent hang. */
export const ORPHANS = "orphans";
export const ROOT = "root";

export type TreeRow =
  | {
      kind: "node";
      key: string;
      id: string;
      node: SpaceSummary;
      level: number;
      parentKey: string | null;
      expandable: boolean;
      expanded: boolean;
      /** 1-based position among its siblings and their number (aria-posinset/-setsize). */
      posinset: number;
      setsize: number;
    }
  | { kind: "section"; key: string; id: typeof ORPHANS; level: 1; expanded: boolean; count: number }
  | { kind: "status"; key: string; parentId: string; level: number; state: "pending" | "error" | "empty"; message?: string };

export interface FlattenInput {
  /** The top level: the root (or, with a category filter, that category's flat list). */
  top: ChildrenState;
  /** The orphans; null when not shown (e.g. with a category filter). */
  orphans: ChildrenState | null;
  expanded: ReadonlySet<string>;
  childrenOf: (parentId: string) => ChildrenState | undefined;
}

export function isFocusable(row: TreeRow): row is Extract<TreeRow, { kind: "node" | "section" }> {
  return row.kind !== "status";
}

/** The visible rows, depth first; iterative so a deep hierarchy cannot overflow the stack. */
export function flattenVisible({ top, orphans, expanded, childrenOf }: FlattenInput): TreeRow[] {
  const rows: TreeRow[] = [];
  // Guards against a parent loop in the data showing the same node inside itself forever.
  const onPath = new Set<string>();

  function pushLevel(state: ChildrenState | undefined, parentId: string, level: number, parentKey: string | null) {
    type Frame = { nodes: readonly SpaceSummary[]; i: number; level: number; parentKey: string | null; ownerId: string | null };
    const stack: Frame[] = [];
    const emitStatus = (s: ChildrenState | undefined, pid: string, lvl: number): readonly SpaceSummary[] | null => {
      if (!s || s.status === "pending") {
        rows.push({ kind: "status", key: `status:${pid}`, parentId: pid, level: lvl, state: "pending" });
        return null;
      }
      if (s.status === "error") {
        rows.push({ kind: "status", key: `status:${pid}`, parentId: pid, level: lvl, state: "error", message: s.message });
        return null;
      }
      if (s.nodes.length === 0) {
        rows.push({ kind: "status", key: `status:${pid}`, parentId: pid, level: lvl, state: "empty" });
        return null;
      }
      return s.nodes;
    };
    const first = emitStatus(state, parentId, level);
    if (!first) return;
    stack.push({ nodes: first, i: 0, level, parentKey, ownerId: null });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.i >= frame.nodes.length) {
        stack.pop();
        if (frame.ownerId) onPath.delete(frame.ownerId);
        continue;
      }
      const node = frame.nodes[frame.i];
      frame.i += 1;
      const expandable = node.childCount > 0 && !onPath.has(node.id);
      const isOpen = expandable && expanded.has(node.id);
      const key = `node:${node.id}`;
      rows.push({
        kind: "node",
        key,
        id: node.id,
        node,
        level: frame.level,
        parentKey: frame.parentKey,
        expandable,
        expanded: isOpen,
        posinset: frame.i,
        setsize: frame.nodes.length,
      });
      if (!isOpen) continue;
      const children = emitStatus(childrenOf(node.id), node.id, frame.level + 1);
      if (!children) continue;
      onPath.add(node.id);
      stack.push({ nodes: children, i: 0, level: frame.level + 1, parentKey: key, ownerId: node.id });
    }
  }

  pushLevel(top, ROOT, 1, null);
  if (orphans && !(orphans.status === "success" && orphans.nodes.length === 0)) {
    const open = expanded.has(ORPHANS);
    const count = orphans.status === "success" ? orphans.nodes.length : 0;
    rows.push({ kind: "section", key: `section:${ORPHANS}`, id: ORPHANS, level: 1, expanded: open, count });
    if (open) pushLevel(orphans, ORPHANS, 2, `section:${ORPHANS}`);
  }
  return rows;
}

/** What a key press in the tree asks for. */
export type TreeAction =
  | { type: "focus"; key: string }
  | { type: "expand"; id: string }
  | { type: "collapse"; id: string }
  | { type: "open"; id: string }
  | { type: "none" };

/**
 * The WAI-ARIA tree keyboard model: ↑/↓ move, → expands or enters, ← collapses or goes to the
 * parent, Home/End jump, Enter opens. Status rows (loading, empty) are skipped.
 */
export function treeKeyAction(rows: readonly TreeRow[], focusedKey: string | null, key: string): TreeAction {
  const focusable = rows.filter(isFocusable);
  if (focusable.length === 0) return { type: "none" };
  const index = focusable.findIndex((r) => r.key === focusedKey);
  const current = index >= 0 ? focusable[index] : null;
  const focus = (i: number): TreeAction => ({ type: "focus", key: focusable[Math.max(0, Math.min(focusable.length - 1, i))].key });

  switch (key) {
    case "ArrowDown":
      return current ? focus(index + 1) : focus(0);
    case "ArrowUp":
      return current ? focus(index - 1) : focus(0);
    case "Home":
      return focus(0);
    case "End":
      return focus(focusable.length - 1);
    case "ArrowRight": {
      if (!current) return focus(0);
      const canOpen = current.kind === "section" || current.expandable;
      if (!canOpen) return { type: "none" };
      if (!current.expanded) return { type: "expand", id: current.id };
      // Already open: step onto the first child, if it is loaded.
      const next = focusable[index + 1];
      const childLevel = current.level + 1;
      return next && next.level === childLevel ? { type: "focus", key: next.key } : { type: "none" };
    }
    case "ArrowLeft": {
      if (!current) return focus(0);
      if ((current.kind === "section" || current.expandable) && current.expanded) return { type: "collapse", id: current.id };
      if (current.kind === "node" && current.parentKey) return { type: "focus", key: current.parentKey };
      return { type: "none" };
    }
    case "Enter":
      return current && current.kind === "node" ? { type: "open", id: current.id } : { type: "none" };
    default:
      return { type: "none" };
  }
}
