import "server-only";
import { eq, sql } from "drizzle-orm";
import { audit, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import { AppError, NotFoundError, ValidationError } from "@/lib/errors";
import { withIdempotency } from "@/lib/idempotency";
import { PartnerApiError, type PartnerClient, type Space, type UpdateSpace } from "@/lib/partner-api";
import { indexCreatedSpace, indexDeletedSpace, indexUpdatedSpace } from "./index-writes";
import { spaceToRow, toSummary } from "./rows";
import { summaryColumns } from "./tree-query";
import { wouldCreateCycle } from "./tree";
import type { SpaceSummary, SpaceWriteResponse } from "./types";
import type { CreateSpaceInput, DeleteSpaceInput, UpdateSpaceInput } from "./validation";

/** The space is not in the index (unknown id): the handler answers 404. */
export class SpaceNotFoundError extends NotFoundError {
  constructor(readonly spaceId: string) {
    super(`No space with id ${spaceId}.`);
  }
}

/** Upstream result of a failed call, for the audit row (0: no answer). */
const upstreamStatusOf = (error: unknown) => (error instanceof PartnerApiError ? error.status : undefined);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs one upstream write and audits it either way; a failure is audited as `error` and rethrown
 * so the route helper answers the mapped error.
 */
async function audited<T>(
  db: Database,
  entry: { actor: AuditActor; action: string; targetId: string; summary: string; details: Record<string, unknown>; idOf?: (result: T) => string },
  run: () => Promise<T>,
): Promise<T> {
  const base = { actor: entry.actor, action: entry.action, target: { type: "space", id: entry.targetId }, summary: entry.summary, details: entry.details };
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await audit(db, { ...base, outcome: "error", upstreamStatus: upstreamStatusOf(error), errorMessage: messageOf(error) });
    throw error;
  }
  // A create only learns its target's id from the answer.
  await audit(db, { ...base, target: { type: "space", id: entry.idOf?.(result) ?? entry.targetId }, outcome: "ok", upstreamStatus: 200 });
  return result;
}

/** Index upkeep after an upstream write that succeeded: a failure here must not turn it into an error (the next refresh repairs the index). */
async function keepIndex(what: string, run: () => Promise<void>): Promise<void> {
  await run().catch((error: unknown) => console.error(`Space index not updated after ${what}`, error));
}

/** Creates a space at most once per idempotency key, indexes it at once and audits it. */
export async function createSpace(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  input: CreateSpaceInput,
  idempotencyKey: string,
): Promise<SpaceWriteResponse> {
  const { result } = await withIdempotency(db, { scope: "space.create", key: idempotencyKey, actorId: actor.id, request: input }, async () => {
    const body = { ...input, addressLineTwo: input.addressLineTwo || undefined };
    const { spaceId } = await audited(
      db,
      { actor, action: "space.create", targetId: input.parentSpaceId ? `new under ${input.parentSpaceId}` : "new", summary: `Created space "${input.name}"`, details: body, idOf: (r) => r.spaceId },
      () => client.createSpace(body),
    );
    const space: Space = { ...body, id: spaceId, parentSpaceId: body.parentSpaceId ?? null };
    await keepIndex("create", () => indexCreatedSpace(db, space));
    return { space: (await summaryOf(db, spaceId)) ?? fallbackSummary(space) };
  });
  return result;
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
