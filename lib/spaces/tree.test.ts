import { describe, expect, it } from "vitest";
import { buildForest, wouldCreateCycle, type TreeNodeInput } from "./tree";

const n = (id: string, parentId: string | null = null): TreeNodeInput => ({ id, parentId });

describe("buildForest", () => {
  it("places roots and children with their ancestor paths, five levels deep", () => {
    const forest = buildForest([
      n("flat", "floor"),
      n("floor", "building"),
      n("room", "flat"),
      n("building", "region"),
      n("region"),
    ]);
    expect(forest.get("region")).toEqual({ placement: "root", path: [] });
    expect(forest.get("building")).toEqual({ placement: "child", path: ["region"] });
    expect(forest.get("room")).toEqual({ placement: "child", path: ["region", "building", "floor", "flat"] });
    expect(forest.size).toBe(5);
  });

  it("treats an empty parent id as no parent", () => {
    expect(buildForest([{ id: "a", parentId: "" }]).get("a")?.placement).toBe("root");
  });

  it("keeps orphans (parent id pointing to no known space) with their subtree", () => {
    const forest = buildForest([n("a", "missing"), n("b", "a"), n("c")]);
    expect(forest.get("a")).toEqual({ placement: "orphan", path: [] });
    expect(forest.get("b")).toEqual({ placement: "child", path: ["a"] });
    expect(forest.get("c")?.placement).toBe("root");
  });

  it("breaks a loop of parent ids at its smallest id and drops nothing", () => {
    // x → y → z → x, with w hanging below z
    const forest = buildForest([n("y", "x"), n("z", "y"), n("x", "z"), n("w", "z")]);
    expect(forest.size).toBe(4);
    expect(forest.get("x")).toEqual({ placement: "cycle", path: [] });
    expect(forest.get("y")).toEqual({ placement: "child", path: ["x"] });
    expect(forest.get("z")).toEqual({ placement: "child", path: ["x", "y"] });
    expect(forest.get("w")).toEqual({ placement: "child", path: ["x", "y", "z"] });
  });

  it("handles a space that is its own parent", () => {
    expect(buildForest([n("s", "s")]).get("s")).toEqual({ placement: "cycle", path: [] });
  });

  it("is independent of input order", () => {
    const nodes = [n("r"), n("a", "r"), n("b", "a"), n("c", "b"), n("o", "gone")];
    const forward = buildForest(nodes);
    const backward = buildForest([...nodes].reverse());
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
  });

  it("walks a chain far deeper than any real hierarchy without overflowing the stack", () => {
    const chain = Array.from({ length: 3_000 }, (_, i) => n(`s${i}`, i === 0 ? null : `s${i - 1}`));
    const forest = buildForest(chain.reverse());
    expect(forest.get("s2999")?.path.length).toBe(2_999);
  });

  it("places 20,000 spaces of a region → building → flat hierarchy", () => {
    const nodes: TreeNodeInput[] = [];
    for (let r = 0; r < 10; r++) {
      nodes.push(n(`r${r}`));
      for (let b = 0; b < 200; b++) {
        nodes.push(n(`r${r}b${b}`, `r${r}`));
        for (let f = 0; f < 9; f++) nodes.push(n(`r${r}b${b}f${f}`, `r${r}b${b}`));
      }
    }
    const forest = buildForest(nodes);
    expect(forest.size).toBe(20_010);
    expect(forest.get("r9b199f8")?.path).toEqual(["r9", "r9b199"]);
  });
});

describe("wouldCreateCycle", () => {
  const parents = new Map<string, string | null>([
    ["region", null],
    ["building", "region"],
    ["flat", "building"],
    ["other", null],
  ]);
  const parentOf = (id: string) => parents.get(id);

  it("refuses moving a space under itself", () => {
    expect(wouldCreateCycle("building", "building", parentOf)).toBe(true);
  });

  it("refuses moving a space under its own descendant", () => {
    expect(wouldCreateCycle("region", "flat", parentOf)).toBe(true);
    expect(wouldCreateCycle("building", "flat", parentOf)).toBe(true);
  });

  it("allows moving under an unrelated space, an ancestor's sibling, or to the top", () => {
    expect(wouldCreateCycle("flat", "other", parentOf)).toBe(false);
    expect(wouldCreateCycle("flat", "region", parentOf)).toBe(false);
    expect(wouldCreateCycle("flat", null, parentOf)).toBe(false);
  });

  it("terminates on a loop already in the data that does not include the space", () => {
    const looped = new Map<string, string>([
      ["a", "b"],
      ["b", "a"],
    ]);
    expect(wouldCreateCycle("c", "a", (id) => looped.get(id))).toBe(false);
  });
});
