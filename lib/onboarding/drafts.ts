import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { contracts, onboardings, spaceIndex, type OnboardingRow } from "@/lib/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/input/id";
import { STEP_SCHEMAS } from "./schemas";
import type { OnboardingProgress, OnboardingView } from "./types";

/**
 * Onboarding drafts live on the server, per staff member: a reload, another browser or an
 * upstream failure loses nothing, and an unfinished one can be resumed from the list.
 */
export function toView(row: OnboardingRow): OnboardingView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    step: Number((row.values as { _step?: number })._step ?? 0),
    values: Object.fromEntries(Object.entries(row.values).filter(([k]) => k !== "_step")),
    progress: row.progress as OnboardingProgress,
    errorCode: row.errorCode,
    staffEmail: row.staffEmail,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A new draft; a tenant change starts prefilled with the space, address and meter of the contract that ends. */
export async function createOnboarding(db: Database, actor: AuditActor, kind: "customer" | "tenantChange", previousContractId?: string): Promise<OnboardingView> {
  let values: Record<string, unknown> = { medium: "ELECTRICITY", meterPath: "contract", inviteChannel: "space", sendEmail: true, removeUsers: "atDate" };
  if (kind === "tenantChange") {
    if (!previousContractId) throw new ValidationError({ previousContractId: ["required"] });
    const [row] = await db
      .select({ contract: contracts, parentId: spaceIndex.parentId })
      .from(contracts)
      .leftJoin(spaceIndex, eq(spaceIndex.id, contracts.spaceId))
      .where(eq(contracts.id, previousContractId));
    if (!row) throw new NotFoundError(`No contract ${previousContractId} in the ledger.`);
    const [space] = row.contract.spaceId ? await db.select().from(spaceIndex).where(eq(spaceIndex.id, row.contract.spaceId)) : [];
    values = {
      ...values,
      previousContractId,
      meterPath: "contract",
      meterId: row.contract.externalDeviceId ?? "",
      medium: row.contract.medium,
      parentSpaceId: row.parentId ?? "",
      addressLineOne: space?.addressLineOne ?? "",
      addressLineTwo: space?.addressLineTwo ?? "",
      postcode: space?.postcode ?? "",
      city: space?.city ?? "",
    };
  }
  const [row] = await db.insert(onboardings).values({ kind, staffId: actor.id, staffEmail: actor.email, values: { ...values, _step: 0 } }).returning();
  return toView(row);
}

export async function getOnboarding(db: Database, actor: AuditActor, id: string): Promise<OnboardingRow> {
  // Onboarding ids are UUIDs: anything else is unknown (and must not reach a uuid column).
  if (!isUuid(id)) throw new NotFoundError(`No onboarding ${id} of yours.`);
  const [row] = await db.select().from(onboardings).where(and(eq(onboardings.id, id), eq(onboardings.staffId, actor.id)));
  if (!row) throw new NotFoundError(`No onboarding ${id} of yours.`);
  return row;
}

/** Saves what was typed; with `validate`, that step must be valid first (field errors otherwise, nothing lost: the values are saved either way). */
export async function saveDraft(
  db: Database,
  actor: AuditActor,
  id: string,
  input: { values: Record<string, unknown>; step: number; validate?: keyof typeof STEP_SCHEMAS },
): Promise<OnboardingView> {
  const row = await getOnboarding(db, actor, id);
  if (row.status === "done" || row.status === "running") throw new ValidationError({ status: ["notEditable"] }, "This onboarding is no longer a draft.");
  // Fields the server prefilled for a tenant change stay as they are.
  const locked = row.kind === "tenantChange" ? { previousContractId: row.values.previousContractId, meterId: row.values.meterId, meterPath: "contract" } : {};
  const values = { ...row.values, ...input.values, ...locked };
  const errors = input.validate ? stepErrors(input.validate, values) : {};
  const step = Object.keys(errors).length > 0 ? Number(row.values._step ?? 0) : input.step;
  const [saved] = await db
    .update(onboardings)
    .set({ values: { ...values, _step: step }, updatedAt: new Date() })
    .where(eq(onboardings.id, id))
    .returning();
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return toView(saved);
}

export function stepErrors(step: keyof typeof STEP_SCHEMAS, values: Record<string, unknown>): Record<string, string[]> {
  const parsed = STEP_SCHEMAS[step].safeParse(values);
  if (parsed.success) return {};
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return errors;
}

/** The staff member's unfinished onboardings, newest first. */
export async function listOpenOnboardings(db: Database, actor: AuditActor): Promise<OnboardingView[]> {
  const rows = await db
    .select()
    .from(onboardings)
    .where(and(eq(onboardings.staffId, actor.id), inArray(onboardings.status, ["draft", "failed", "running"])))
    .orderBy(desc(onboardings.updatedAt))
    .limit(100);
  return rows.map(toView);
}

export async function discardOnboarding(db: Database, actor: AuditActor, id: string): Promise<void> {
  const row = await getOnboarding(db, actor, id);
  if (row.status === "running") throw new ValidationError({ status: ["running"] }, "This onboarding is running.");
  await db.delete(onboardings).where(eq(onboardings.id, id));
}
