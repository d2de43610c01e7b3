import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { auditedCall, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import { AppError, NotFoundError, ValidationError } from "@/lib/errors";
import { idempotentWrite } from "@/lib/idempotency";
import { PartnerApiError, type PartnerClient, type Space, type UpdateSpace } from "@/lib/partner-api";
import { indexCreatedSpace, indexDeletedSpace, indexUpdatedSpace, keepIndex } from "./index-writes";
import { spaceToRow, toSummary } from "./rows";
import { summaryColumns } from "./tree-query";
import { wouldCreateCycle } from "./tree";
import type { SpaceSummary, SpaceWriteResponse } from "./types";
import type { CreateSpaceInput, DeleteSpaceInput, UpdateSpaceInput } from "./validation";

/** The space is not in the index (unknown id): the handler answers 404. */
export class SpaceNotFoundError extends NotFoundError {
  static override readonly kind: string = "SpaceNotFoundError";
  constructor(readonly spaceId: string) {
    super(`No space with id ${spaceId}.`);
  }
}

/** One upstream write on a space, audited either way (a failed audit never fails the write). */
function audited<T>(
  db: Database,
  entry: { actor: AuditActor; action: string; targetId: string; summary: string; details: Record<string, unknown> },
  run: () => Promise<T>,
): Promise<T> {
  return auditedCall(db, { actor: entry.actor, action: entry.action, target: { type: "space", id: entry.targetId }, summary: entry.summary, details: entry.details }, run);
}

/**
 * Creates a space at most once per idempotency key, audits it and indexes it at once. After a
 * lost answer the key is reconciled against upstream: a space with this name, address and parent
 * that was not there before (the snapshot, from the index) is the one this request created.
 */
export async function createSpace(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  input: CreateSpaceInput,
  idempotencyKey: string,
): Promise<SpaceWriteResponse> {
  const body = { ...input, addressLineTwo: input.addressLineTwo || undefined };
  const parentId = body.parentSpaceId ?? null;
  const { spaceId } = await idempotentWrite(db, {
    idempotency: { scope: "space.create", key: idempotencyKey, actorId: actor.id, request: input },
    audit: { actor, action: "space.create", target: { type: "space", id: parentId ? `new under ${parentId}` : "new" }, summary: `Created space "${input.name}"`, details: body },
    targetIdOf: (r) => r.spaceId,
    snapshot: () => sameSpaceIds(db, body),
    send: () => client.createSpace(body),
    reconcile: async (before) => {
      const known = new Set(Array.isArray(before) ? (before as string[]) : []);
      const created = (await client.getAllSpaces()).find((s) => !known.has(s.id) && isSameSpace(s, body));
      return created ? { spaceId: created.id } : null;
    },
    upkeep: ({ spaceId }) => indexCreatedSpace(db, { ...body, id: spaceId, parentSpaceId: parentId }),
  });
  // The index row if the upkeep wrote it; otherwise what upstream was sent (the write happened either way).
  const indexed = await summaryOf(db, spaceId).catch(() => null);
  return { space: indexed ?? fallbackSummary({ ...body, id: spaceId, parentSpaceId: parentId }) };
}

type SpaceIdentity = Pick<Space, "name" | "addressLineOne" | "postcode"> & { parentSpaceId?: string | null };

function isSameSpace(s: SpaceIdentity, body: SpaceIdentity): boolean {
  return s.name === body.name && s.addressLineOne === body.addressLineOne && s.postcode === body.postcode && (s.parentSpaceId || null) === (body.parentSpaceId || null);
}

/** Spaces the index already has with this name, address and parent: not the one a lost create made. */
async function sameSpaceIds(db: Database, body: SpaceIdentity): Promise<string[]> {
  const rows = await db
    .select({ id: spaceIndex.id })
    .from(spaceIndex)
    .where(
      and(
        eq(spaceIndex.name, body.name),
        eq(spaceIndex.addressLineOne, body.addressLineOne),
        eq(spaceIndex.postcode, body.postcode),
        body.parentSpaceId ? eq(spaceIndex.parentId, body.parentSpaceId) : isNull(spaceIndex.parentId),
      ),
    );
  return rows.map((r) => r.id);
}

/** Applies only the given fields upstream; a move is checked for cycles and unknown parents first. */
export async function updateSpace(db: Database, client: PartnerClient, actor: AuditActor, id: string, input: UpdateSpaceInput): Promise<SpaceWriteResponse> {
  const current = await summaryOf(db, id);
  if (!current) throw new SpaceNotFoundError(id);
  const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as UpdateSpace;
  const moving = changes.parentSpaceId !== undefined && changes.parentSpaceId !== current.parentId;
  if (moving && changes.parentSpaceId) await assertValidParent(db, id, changes.parentSpaceId);

  await audited(
    db,
    { actor, action: moving ? "space.move" : "space.update", targetId: id, summary: `${moving ? "Moved" : "Updated"} space "${current.name}"`, details: changes },
    () => client.updateSpace(id, changes),
  );
  await keepIndex("update", () => indexUpdatedSpace(db, id, changes));
  return { space: (await summaryOf(db, id)) ?? current };
}

async function assertValidParent(db: Database, id: string, parentId: string): Promise<void> {
  // The new parent's ancestor chain (UNION stops at an existing loop).
  const { rows } = await db.execute<{ id: string; parent_id: string | null }>(sql`
    with recursive up(id, parent_id) as (
      select id, parent_id from space_index where id = ${parentId}
      union
      select s.id, s.parent_id from space_index s join up on s.id = up.parent_id
    ) select id, parent_id from up`);
  if (rows.length === 0) throw new ValidationError({ parentSpaceId: ["unknownParent"] });
  const parentOf = new Map(rows.map((r) => [r.id, r.parent_id]));
  if (wouldCreateCycle(id, parentId, (x) => parentOf.get(x))) throw new ValidationError({ parentSpaceId: ["cycle"] });
}

/** Deletes a space upstream (which also deletes its devices) after the name was typed again. */
export async function deleteSpace(db: Database, client: PartnerClient, actor: AuditActor, id: string, input: DeleteSpaceInput): Promise<void> {
  const current = await summaryOf(db, id);
  if (!current) throw new SpaceNotFoundError(id);
  if (input.confirmName !== current.name) throw new ValidationError({ confirmName: ["mismatch"] });
  await audited(
    db,
    { actor, action: "space.delete", targetId: id, summary: `Deleted space "${current.name}"`, details: { name: current.name, parentId: current.parentId } },
    () => client.deleteSpace(id),
  ).catch((error: unknown) => {
    // Upstream refuses to orphan sub-spaces (409): say so in words the UI translates.
    if (error instanceof PartnerApiError && error.code === "conflict") {
      throw new AppError(409, "space_has_children", "The space still has sub-spaces: move or delete them first.", {}, { cause: error });
    }
    throw error;
  });
  await keepIndex("delete", () => indexDeletedSpace(db, id));
}

export async function summaryOf(db: Database, id: string): Promise<SpaceSummary | null> {
  const [row] = await db.select(summaryColumns).from(spaceIndex).where(eq(spaceIndex.id, id));
  return row ? toSummary(row) : null;
}

function fallbackSummary(space: Space): SpaceSummary {
  return toSummary({ ...spaceToRow(space), placement: space.parentSpaceId ? "child" : "root", childCount: 0, deviceCount: 0 });
}
