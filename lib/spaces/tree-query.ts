import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import { toBreadcrumbs, toSummary } from "./rows";
import type { Breadcrumb, SpaceSummary, TreeChildrenResponse, TreePathResponse } from "./types";

/** A flat category list (parent=root&category=…) is capped; the UI says "refine" beyond it. */
export const CATEGORY_LIST_LIMIT = 2_000;

export const summaryColumns = {
  id: spaceIndex.id,
  name: spaceIndex.name,
  addressLineOne: spaceIndex.addressLineOne,
  addressLineTwo: spaceIndex.addressLineTwo,
  postcode: spaceIndex.postcode,
  city: spaceIndex.city,
  category: spaceIndex.category,
  parentId: spaceIndex.parentId,
  placement: spaceIndex.placement,
  childCount: spaceIndex.childCount,
  deviceCount: spaceIndex.deviceCount,
};

// Top level: the structuring spaces (regions, groupings) before the rest.
const topLevelOrder = sql`case ${spaceIndex.category} when 'REGION' then 0 when 'GROUPING' then 1 else 2 end`;

/**
 * One level of the tree: `root` (top-level spaces), `orphans` (dangling parent or loop entry
 * points) or the children of a space id. Children of a space exclude loop entry points, which are
 * listed under `orphans`, so expanding a loop never recurses forever.
 */
export async function treeChildren(db: Database, parent: string, category?: string): Promise<TreeChildrenResponse> {
  const byCategory = category ? eq(spaceIndex.category, category) : undefined;
  const base = db.select(summaryColumns).from(spaceIndex);
  let rows;
  if (parent === "root" && category) {
    rows = await base.where(byCategory).orderBy(asc(spaceIndex.name), asc(spaceIndex.id)).limit(CATEGORY_LIST_LIMIT);
  } else if (parent === "root") {
    rows = await base.where(eq(spaceIndex.placement, "root")).orderBy(topLevelOrder, asc(spaceIndex.name), asc(spaceIndex.id));
  } else if (parent === "orphans") {
    rows = await base.where(and(inArray(spaceIndex.placement, ["orphan", "cycle"]), byCategory)).orderBy(asc(spaceIndex.name), asc(spaceIndex.id));
  } else {
    rows = await base
      .where(and(eq(spaceIndex.parentId, parent), eq(spaceIndex.placement, "child"), byCategory))
      .orderBy(asc(spaceIndex.name), asc(spaceIndex.id));
  }
  return { parent, nodes: rows.map(toSummary) };
}

/** The ancestors to expand to reveal a space, top first; null for a space the index does not know. */
export async function pathTo(db: Database, id: string): Promise<TreePathResponse | null> {
  const [row] = await db.select({ path: spaceIndex.path, placement: spaceIndex.placement }).from(spaceIndex).where(eq(spaceIndex.id, id));
  if (!row) return null;
  const known = await loadBreadcrumbs(db, row.path);
  return { id, placement: row.placement, ancestors: toBreadcrumbs(row.path, known) };
}

/** Names of many spaces in one query (for breadcrumbs of several hits at once). */
export async function loadBreadcrumbs(db: Database, ids: Iterable<string>): Promise<Map<string, Breadcrumb>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: spaceIndex.id, name: spaceIndex.name, category: spaceIndex.category })
    .from(spaceIndex)
    .where(inArray(spaceIndex.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function childrenOf(db: Database, id: string): Promise<SpaceSummary[]> {
  return (await treeChildren(db, id)).nodes;
}
