import { describe, expect, it } from "vitest";
import { flattenVisible, ORPHANS, treeKeyAction, type ChildrenState, type TreeRow } from "./tree-view";
import type { SpaceSummary } from "./types";

function space(id: string, childCount = 0, parentId: string | null = null): SpaceSummary {
  return {
    id,
    name: id,
    addressLineOne: "",
    addressLineTwo: null,
    postcode: "10115",
    city: "Berlin",
    category: "FLAT",
    parentId,
    placement: parentId ? "child" : "root",
    childCount,
    deviceCount: 0,
  };
}
const ok = (...nodes: SpaceSummary[]): ChildrenState => ({ status: "success", nodes });
const keys = (rows: TreeRow[]) => rows.map((r) => r.key);

describe("flattenVisible", () => {
  const children = new Map<string, ChildrenState>([
    ["a", ok(space("a1", 1, "a"), space("a2", 0, "a"))],
    ["a1", ok(space("a11", 0, "a1"))],
  ]);
  const base = { top: ok(space("a", 2), space("b", 0)), orphans: ok(), childrenOf: (id: string) => children.get(id) };

  it("shows only the top level when nothing is expanded, and no orphans heading without orphans", () => {
    expect(keys(flattenVisible({ ...base, expanded: new Set() }))).toEqual(["node:a", "node:b"]);
  });

  it("walks expanded nodes depth first with levels and sibling positions", () => {
    const rows = flattenVisible({ ...base, expanded: new Set(["a", "a1"]) });
    expect(keys(rows)).toEqual(["node:a", "node:a1", "node:a11", "node:a2", "node:b"]);
    const a11 = rows[2];
    expect(a11.kind === "node" && [a11.level, a11.parentKey, a11.posinset, a11.setsize]).toEqual([3, "node:a1", 1, 1]);
    const a = rows[0];
    expect(a.kind === "node" && a.expanded).toBe(true);
  });

  it("hides children of a collapsed ancestor even if they are expanded themselves", () => {
    expect(keys(flattenVisible({ ...base, expanded: new Set(["a1"]) }))).toEqual(["node:a", "node:b"]);
  });

  it("shows a loading row for children not fetched yet and an error row for failed ones", () => {
    const rows = flattenVisible({
      ...base,
      top: ok(space("x", 3), space("y", 1)),
      expanded: new Set(["x", "y"]),
      childrenOf: (id) => (id === "y" ? { status: "error", message: "boom" } : undefined),
    });
    expect(rows.map((r) => (r.kind === "status" ? `${r.parentId}:${r.state}` : r.key))).toEqual([
      "node:x",
      "x:pending",
      "node:y",
      "y:error",
    ]);
  });

  it("never drops orphans: they hang under their own section, one level deeper", () => {
    const rows = flattenVisible({ ...base, orphans: ok(space("o", 0, "gone")), expanded: new Set([ORPHANS]) });
    expect(keys(rows)).toEqual(["node:a", "node:b", `section:${ORPHANS}`, "node:o"]);
    expect(rows[3].level).toBe(2);
    expect(keys(flattenVisible({ ...base, orphans: ok(space("o")), expanded: new Set() }))).toEqual([
      "node:a",
      "node:b",
      `section:${ORPHANS}`,
    ]);
  });

  it("does not loop forever when the data has a parent loop", () => {
    const loop = new Map<string, ChildrenState>([
      ["p", ok(space("q", 1, "p"))],
      ["q", ok(space("p", 1, "q"))],
    ]);
    const rows = flattenVisible({ top: ok(space("p", 1)), orphans: null, expanded: new Set(["p", "q"]), childrenOf: (id) => loop.get(id) });
    expect(keys(rows)).toEqual(["node:p", "node:q", "node:p"]);
    const last = rows[2];
    expect(last.kind === "node" && last.expandable).toBe(false);
  });

  it("scales: 20,000 top-level spaces flatten quickly", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => space(`s${i}`));
    const started = performance.now();
    const rows = flattenVisible({ top: ok(...many), orphans: null, expanded: new Set(), childrenOf: () => undefined });
    expect(rows).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("treeKeyAction", () => {
  const children = new Map<string, ChildrenState>([["a", ok(space("a1", 0, "a"))]]);
  const rows = flattenVisible({
    top: ok(space("a", 1), space("b", 1)),
    orphans: null,
    expanded: new Set(["a"]),
    childrenOf: (id) => children.get(id),
  });
  // rows: a (open), a1, b (closed)

  it("moves with the arrow keys and Home/End, staying inside the list", () => {
    expect(treeKeyAction(rows, "node:a", "ArrowDown")).toEqual({ type: "focus", key: "node:a1" });
    expect(treeKeyAction(rows, "node:a1", "ArrowUp")).toEqual({ type: "focus", key: "node:a" });
    expect(treeKeyAction(rows, "node:a", "ArrowUp")).toEqual({ type: "focus", key: "node:a" });
    expect(treeKeyAction(rows, "node:a", "End")).toEqual({ type: "focus", key: "node:b" });
    expect(treeKeyAction(rows, "node:b", "Home")).toEqual({ type: "focus", key: "node:a" });
  });

  it("→ expands a closed node, or steps onto the first child of an open one", () => {
    expect(treeKeyAction(rows, "node:b", "ArrowRight")).toEqual({ type: "expand", id: "b" });
    expect(treeKeyAction(rows, "node:a", "ArrowRight")).toEqual({ type: "focus", key: "node:a1" });
    expect(treeKeyAction(rows, "node:a1", "ArrowRight")).toEqual({ type: "none" });
  });

  it("← collapses an open node, or goes to the parent", () => {
    expect(treeKeyAction(rows, "node:a", "ArrowLeft")).toEqual({ type: "collapse", id: "a" });
    expect(treeKeyAction(rows, "node:a1", "ArrowLeft")).toEqual({ type: "focus", key: "node:a" });
    expect(treeKeyAction(rows, "node:b", "ArrowLeft")).toEqual({ type: "none" });
  });

  it("Enter opens a space; other keys do nothing", () => {
    expect(treeKeyAction(rows, "node:a1", "Enter")).toEqual({ type: "open", id: "a1" });
    expect(treeKeyAction(rows, "node:a1", "x")).toEqual({ type: "none" });
  });

  it("skips loading rows and handles the orphans section", () => {
    const withStatus = flattenVisible({
      top: ok(space("a", 1)),
      orphans: ok(space("o")),
      expanded: new Set(["a", ORPHANS]),
      childrenOf: () => undefined,
    });
    // a, (loading), section, o
    expect(treeKeyAction(withStatus, "node:a", "ArrowDown")).toEqual({ type: "focus", key: `section:${ORPHANS}` });
    expect(treeKeyAction(withStatus, `section:${ORPHANS}`, "ArrowLeft")).toEqual({ type: "collapse", id: ORPHANS });
    expect(treeKeyAction(withStatus, "node:o", "ArrowLeft")).toEqual({ type: "focus", key: `section:${ORPHANS}` });
    expect(treeKeyAction(withStatus, `section:${ORPHANS}`, "Enter")).toEqual({ type: "none" });
  });
});
