import "server-only";
import { and, eq, getTableColumns, inArray, notInArray, sql, type SQL, type Table } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { spaceDeviceIndex, spaceIndex, spaceUserIndex } from "@/lib/db/schema";
import type { Device, Space, User } from "@/lib/partner-api/schemas";
import { deviceToRow, spaceToRow, userToRow } from "./rows";
import { addSearchWords } from "./search-words";
import { reconcileInvites } from "@/lib/invites/ledger";

/**
 * Keeps the index in step with what the dashboard itself sees or does, so a list fetched for a
 * page or a write through the dashboard shows up in tree and search at once, not after the next refresh.
 */

/**
 * Stores a space's devices. `complete`: the list is all of them (replaces what the index had and
 * sets the space's device count); otherwise only adds or updates.
 */
export async function rememberDevices(db: Database, spaceId: string, devices: readonly Device[], { complete = true } = {}): Promise<void> {
  const rows = dedupe(devices.map((d) => deviceToRow(spaceId, d)), (r) => r.deviceId);
  if (rows.length > 0) {
    await db
      .insert(spaceDeviceIndex)
      .values(rows)
      .onConflictDoUpdate({
        target: [spaceDeviceIndex.spaceId, spaceDeviceIndex.deviceId],
        set: { ...excluded(spaceDeviceIndex, ["name", "deviceType", "medium", "status", "isMain", "externalIds", "serialNumber", "searchText", "raw"]), seenAt: sql`now()` },
      });
  }
  if (!complete) return;
  const ids = rows.map((r) => r.deviceId);
  await db
    .delete(spaceDeviceIndex)
    .where(and(eq(spaceDeviceIndex.spaceId, spaceId), ids.length ? notInArray(spaceDeviceIndex.deviceId, ids) : undefined));
  await db.update(spaceIndex).set({ deviceCount: rows.length, devicesCrawledAt: sql`now()` }).where(eq(spaceIndex.id, spaceId));
}

/** Stores a space's users (e-mail lowercased); `complete` as for rememberDevices. */
export async function rememberUsers(db: Database, spaceId: string, users: readonly User[], { complete = true } = {}): Promise<void> {
  const rows = dedupe(users.map((u) => userToRow(spaceId, u)), (r) => r.userId);
  if (rows.length > 0) {
    await db
      .insert(spaceUserIndex)
      .values(rows)
      .onConflictDoUpdate({ target: [spaceUserIndex.spaceId, spaceUserIndex.userId], set: { ...excluded(spaceUserIndex, ["email", "name"]), seenAt: sql`now()` } });
  }
  if (!complete) return;
  const ids = rows.map((r) => r.userId);
  await db.delete(spaceUserIndex).where(and(eq(spaceUserIndex.spaceId, spaceId), ids.length ? notInArray(spaceUserIndex.userId, ids) : undefined));
  // Every complete user list the dashboard sees (space page, crawl) settles the space's invites.
  // A ledger problem must not look like an upstream outage on the space page or fail the crawl.
  await reconcileInvites(db, spaceId, users).catch((error: unknown) => console.error(`Invites of space ${spaceId} not reconciled`, error));
}

/** A space created through the dashboard: insert it where it hangs and count it at its parent. */
export async function indexCreatedSpace(db: Database, space: Space): Promise<void> {
  const parent = space.parentSpaceId ? await positionOf(db, space.parentSpaceId) : null;
  const row = spaceToRow(space);
  await db
    .insert(spaceIndex)
    .values({
      ...row,
      placement: !space.parentSpaceId ? "root" : parent ? "child" : "orphan",
      path: parent ? [...parent.path, parent.id] : [],
      childCount: 0,
      // A new space has no devices yet: known, not "not crawled".
      deviceCount: 0,
      devicesCrawledAt: sql`now()`,
    })
    .onConflictDoNothing();
  await addSearchWords(db, row.searchText);
  if (parent) await db.update(spaceIndex).set({ childCount: sql`${spaceIndex.childCount} + 1` }).where(eq(spaceIndex.id, parent.id));
}

/** Field changes of an updated space (a move included) applied to its row and, on a move, its subtree. */
export async function indexUpdatedSpace(db: Database, id: string, changes: Partial<Space>): Promise<void> {
  const [row] = await db.select({ raw: spaceIndex.raw }).from(spaceIndex).where(eq(spaceIndex.id, id));
  if (!row) return;
  const merged = { ...(row.raw as Space), ...changes, id };
  // parentId is left to moveInIndex (it also fixes paths and counts).
  const { name, addressLineOne, addressLineTwo, postcode, city, country, category, searchText, raw } = spaceToRow(merged);
  await db
    .update(spaceIndex)
    .set({ name, addressLineOne, addressLineTwo, postcode, city, country, category, searchText, raw, updatedAt: sql`now()` })
    .where(eq(spaceIndex.id, id));
  await addSearchWords(db, searchText);
  if ("parentSpaceId" in changes) await moveInIndex(db, id, changes.parentSpaceId ?? null);
}

/** Re-hangs a space and its subtree: new parent, new paths below, child counts on both parents. */
async function moveInIndex(db: Database, id: string, newParentId: string | null): Promise<void> {
  const moved = await positionOf(db, id);
  if (!moved || moved.parentId === newParentId) {
    if (moved) await db.update(spaceIndex).set({ parentId: newParentId }).where(eq(spaceIndex.id, id));
    return;
  }
  const parent = newParentId ? await positionOf(db, newParentId) : null;
  const newPath = parent ? [...parent.path, parent.id] : [];
  await db.transaction(async (tx) => {
    await tx
      .update(spaceIndex)
      .set({ parentId: newParentId, path: newPath, placement: !newParentId ? "root" : parent ? "child" : "orphan" })
      .where(eq(spaceIndex.id, id));
    // Descendants keep the part of their path from the moved space down; only the prefix above it changes.
    await tx.execute(sql`
      update ${spaceIndex} set path = ${pgTextArray(newPath)} || path[array_position(path, ${id}):]
      where path @> array[${id}]::text[]`);
    if (moved.parentId) await tx.update(spaceIndex).set({ childCount: sql`greatest(${spaceIndex.childCount} - 1, 0)` }).where(eq(spaceIndex.id, moved.parentId));
    if (parent) await tx.update(spaceIndex).set({ childCount: sql`${spaceIndex.childCount} + 1` }).where(eq(spaceIndex.id, parent.id));
  });
}

/** A deleted space: its row, its subtree's rows (upstream refuses to delete a space with children, but be safe), their devices and users. */
export async function indexDeletedSpace(db: Database, id: string): Promise<void> {
  const moved = await positionOf(db, id);
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(spaceIndex)
      .where(sql`${spaceIndex.id} = ${id} or ${spaceIndex.path} @> array[${id}]::text[]`)
      .returning({ id: spaceIndex.id });
    const ids = gone.map((g) => g.id);
    if (ids.length) {
      await tx.delete(spaceDeviceIndex).where(inArray(spaceDeviceIndex.spaceId, ids));
      await tx.delete(spaceUserIndex).where(inArray(spaceUserIndex.spaceId, ids));
    }
    if (moved?.parentId) await tx.update(spaceIndex).set({ childCount: sql`greatest(${spaceIndex.childCount} - 1, 0)` }).where(eq(spaceIndex.id, moved.parentId));
  });
}

async function positionOf(db: Database, id: string) {
  const [row] = await db.select({ id: spaceIndex.id, parentId: spaceIndex.parentId, path: spaceIndex.path }).from(spaceIndex).where(eq(spaceIndex.id, id));
  return row ?? null;
}

/** `set` of an upsert that takes the proposed values (`excluded.<column>`) for the given fields. */
export function excluded<T extends Table>(table: T, fields: readonly (keyof T["_"]["columns"] & string)[]): Record<string, SQL> {
  const columns = getTableColumns(table);
  return Object.fromEntries(fields.map((f) => [f, sql.raw(`excluded."${columns[f].name}"`)]));
}

/** A text[] parameter that both drivers pass the same way (as one JSON text). */
export function pgTextArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::text[]`;
}

function dedupe<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** Index upkeep after a write that succeeded upstream: logged on failure, never the caller's error (the next refresh repairs it). */
export async function keepIndex(what: string, run: () => Promise<unknown>): Promise<void> {
  await run().catch((error: unknown) => console.error(`Space index not updated after ${what}; the next refresh repairs it`, error));
}
