/**
 * The space hierarchy from a flat list of (id, parentId), as `GET /spaces` delivers it.
 * Pure functions: the space index stores their result (each space's ancestor path and where it
 * hangs in the tree), the move dialog asks them whether a move would make a cycle.
 *
 * The data is not trusted to be a tree: a parent id may point to no known space (an orphan),
 * and spaces may point at each other in a loop. Nothing is ever dropped: orphans and loops are
 * placed under their own headings.
 */

export interface TreeNodeInput {
  id: string;
  parentId: string | null | undefined;
}

/**
 * Where a space hangs:
 * - `root`: no parent, a top-level node;
 * - `orphan`: its parent id points to no known space (the top of an orphaned subtree);
 * - `cycle`: the entry point chosen to break a loop of parent ids (the smallest id of the loop);
 * - `child`: below one of the above.
 */
export type Placement = "root" | "orphan" | "cycle" | "child";

export interface TreePosition {
  placement: Placement;
  /** Ancestor ids from the top of its subtree down to the direct parent (empty at the top). */
  path: string[];
}

export function buildForest(nodes: readonly TreeNodeInput[]): Map<string, TreePosition> {
  const parentOf = new Map<string, string | null>();
  for (const node of nodes) parentOf.set(node.id, node.parentId || null);

  const positions = new Map<string, TreePosition>();
  // Resolve each node by walking up until a node with a known position; iterative, so a
  // deep hierarchy cannot overflow the stack.
  for (const start of parentOf.keys()) {
    if (positions.has(start)) continue;
    const chain: string[] = [];
    const onChain = new Set<string>();
    let current: string | null = start;
    let anchor: TreePosition | null = null;
    let anchorId: string | null = null;

    while (current !== null) {
      const known = positions.get(current);
      if (known) {
        anchor = known;
        anchorId = current;
        break;
      }
      if (onChain.has(current)) {
        // A loop: break it at its smallest id, which becomes a `cycle` top.
        const loop = chain.slice(chain.indexOf(current));
        const top = loop.reduce((a, b) => (a < b ? a : b));
        positions.set(top, { placement: "cycle", path: [] });
        // Re-walk from the start now that the loop has a top.
        chain.length = 0;
        onChain.clear();
        current = start;
        continue;
      }
      chain.push(current);
      onChain.add(current);
      const parent: string | null = parentOf.get(current) ?? null;
      if (parent === null) {
        positions.set(current, { placement: "root", path: [] });
        chain.pop();
        anchor = positions.get(current)!;
        anchorId = current;
        break;
      }
      if (!parentOf.has(parent)) {
        positions.set(current, { placement: "orphan", path: [] });
        chain.pop();
        anchor = positions.get(current)!;
        anchorId = current;
        break;
      }
      current = parent;
    }

    // Assign positions down the chain, from the anchor towards the start.
    let path = anchor && anchorId ? [...anchor.path, anchorId] : [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const id = chain[i];
      positions.set(id, { placement: "child", path });
      path = [...path, id];
    }
  }
  return positions;
}

/**
 * Whether moving `spaceId` under `newParentId` would make a space its own ancestor.
 * `parentOf` answers the current parent of any known space (undefined for unknown ones).
 */
export function wouldCreateCycle(
  spaceId: string,
  newParentId: string | null,
  parentOf: (id: string) => string | null | undefined,
): boolean {
  const seen = new Set<string>();
  let current = newParentId;
  while (current) {
    if (current === spaceId) return true;
    if (seen.has(current)) return false; // an existing loop above that does not include the space
    seen.add(current);
    current = parentOf(current) ?? null;
  }
  return false;
}
