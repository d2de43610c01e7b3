import "server-only";
import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { auditedCall, auditSafely, type AuditActor } from "@/lib/audit";
import { rememberCustomers } from "@/lib/customers/mirror";
import type { Database } from "@/lib/db";
import { contracts, customerIndex, invites, onboardings, spaceIndex, type OnboardingRow } from "@/lib/db/schema";
import { AppError, codeOf, NotFoundError, ValidationError } from "@/lib/errors";
import { createInvite } from "@/lib/invites/ledger";
import type { PartnerClient, Space } from "@/lib/partner-api";
import { fromBerlinLocal } from "@/lib/readings/time";
import { indexCreatedSpace, keepIndex, rememberDevices } from "@/lib/spaces/index-writes";
import { updateSpace } from "@/lib/spaces/writes";
import { getOnboarding, toView } from "./drafts";
import { findDuplicates } from "./duplicates";
import { crossFieldErrors, meterIdKind, OnboardingValues, TenantChangeValues } from "./schemas";
import type { OnboardingProgress, OnboardingView } from "./types";

/** A run whose instance died is taken over after this long. */
const STALE_RUN_MS = 2 * 60_000;

/**
 * Carries out an onboarding (or a tenant change) step by step. Every step is safe to repeat —
 * upstream by the customer's and contract's external ids, in the dashboard by idempotency keys
 * derived from the onboarding's id — and its result is saved before the next one starts, so a
 * run that stopped half-way (upstream down, a crash) continues where it stopped. Exactly one run
 * at a time: the database claims the row.
 *
 * Steps: [tenant change: end the old contract's time window, remove or schedule its users] →
 * customer → contract (creates the space, and the meter for a MeLo/MaLo) → find that space →
 * move it under the chosen parent → meter (from the contract, or the wizard's device) → ledger →
 * invite (at most one e-mail: the platform's customer invite or the dashboard's space invite).
 */
export async function runOnboarding(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  id: string,
  extra: {
    deviceId?: string;
    /** A bulk import's row: its audit rows name the job; its worker holds the job's lease, so a run of a dead worker is taken over at once. */
    importJob?: { id: string; rowNo: number };
  } = {},
): Promise<OnboardingView> {
  const row = await claim(db, actor, id, extra.importJob ? 0 : STALE_RUN_MS);
  const progress: OnboardingProgress = { ...(row.progress as OnboardingProgress) };
  const save = async (patch: Partial<OnboardingProgress>) => {
    Object.assign(progress, patch);
    await db.update(onboardings).set({ progress: { ...progress }, updatedAt: new Date() }).where(eq(onboardings.id, id));
  };
  try {
    const v = parseValues(row);
    const details = { onboardingId: id, customerNumber: v.customerNumber, contractNumber: v.contractNumber, ...(extra.importJob ? { importJobId: extra.importJob.id, importRow: extra.importJob.rowNo } : {}) };

    if (row.kind === "tenantChange") await endPreviousContract(db, client, actor, v as TenantChangeValues, progress, save);

    if (!progress.contract && !v.confirmDuplicates) {
      // Before anything is sent: a meter already in a space (other than the one a tenant change
      // ends) or the same address under the same parent needs the person's explicit yes.
      const found = await findDuplicates(db, v);
      const previousSpace = row.kind === "tenantChange" ? (await db.select({ spaceId: contracts.spaceId }).from(contracts).where(eq(contracts.id, v.previousContractId)))[0]?.spaceId : null;
      const meterElsewhere = row.kind === "tenantChange" ? [] : found.meterInSpaces.filter((m) => m.spaceId !== previousSpace);
      if (meterElsewhere.length > 0 || found.sameAddressSpaces.filter((s) => s.id !== previousSpace).length > 0) {
        throw new AppError(409, "duplicates_found", "Something like this exists already: check and confirm to go ahead.", { duplicates: { ...found, meterInSpaces: meterElsewhere } });
      }
    }

    if (!progress.customer) {
      const existed = await customerExists(db, v.customerNumber);
      const { customer_id } = await auditedCall(
        db,
        { actor, action: "customer.upsert", target: { type: "customer", id: v.customerNumber }, summary: `Customer ${v.customerNumber}`, details: { ...details, platformInvite: v.inviteChannel === "customer" } },
        () =>
          client.addUpdateCustomer({
            external_id: v.customerNumber,
            name: v.customerName,
            // The platform invites through this e-mail: only when that is the chosen invite.
            ...(v.inviteChannel === "customer" && v.email ? { email: v.email } : {}),
          }),
      );
      await keepIndex("a customer upsert", () => rememberCustomers(db, [{ id: customer_id, external_id: v.customerNumber, name: v.customerName, email: v.email ?? null }]));
      await save({ customer: { customerId: customer_id, existed } });
    }

    if (!progress.contract) {
      // Which top-level spaces with this address exist already: the contract's space is the new one.
      const snapshot = progress.spaceSnapshot ?? (await topLevelSameAddress(db, v.addressLineOne, v.postcode));
      await save({ spaceSnapshot: snapshot });
      const meter = v.meterPath === "contract" && v.meterId ? { [meterIdKind(v.meterId)]: v.meterId } : undefined;
      const { contract_id } = await auditedCall(
        db,
        { actor, action: "contract.create", target: { type: "contract", id: `${v.customerNumber}/${v.contractNumber}` }, summary: `Contract ${v.contractNumber} for ${v.customerNumber}`, details: { ...details, startDate: v.startDate, medium: v.medium, meterId: v.meterId ?? null } },
        () =>
          client.addCustomerContract(v.customerNumber, {
            external_id: v.contractNumber,
            address_line_one: v.addressLineOne,
            ...(v.addressLineTwo ? { address_line_two: v.addressLineTwo } : {}),
            postcode: v.postcode,
            city: v.city,
            start_date: v.startDate,
            medium: v.medium,
            ...(meter ? { custom_attributes: meter } : {}),
          }),
      );
      await save({ contract: { contractId: contract_id } });
    }

    if (!progress.space) {
      // A contract number the dashboard created before (upstream changed nothing): its space is in the ledger.
      const [known] = await db
        .select({ spaceId: contracts.spaceId })
        .from(contracts)
        .where(and(eq(contracts.customerExternalId, v.customerNumber), eq(contracts.externalId, v.contractNumber)));
      if (known?.spaceId) {
        await save({ space: { spaceId: known.spaceId }, moved: true });
      } else {
        const space = await findContractSpace(db, client, v, new Set(progress.spaceSnapshot ?? []));
        await keepIndex("an onboarding", () => indexCreatedSpace(db, space));
        await save({ space: { spaceId: space.id } });
      }
    }
    const spaceId = progress.space!.spaceId;

    if (!progress.moved) {
      // The contract has no parent field: the space is created at the top and moved (only if not there yet).
      const [indexed] = await db.select({ parentId: spaceIndex.parentId }).from(spaceIndex).where(eq(spaceIndex.id, spaceId));
      if (v.parentSpaceId && indexed?.parentId !== v.parentSpaceId) await updateSpace(db, client, actor, spaceId, { parentSpaceId: v.parentSpaceId });
      await save({ moved: true });
    }

    if (!progress.device) {
      if (v.meterPath === "contract" && v.meterId) {
        const devices = await client.getAllDevicesInSpace(spaceId);
        await keepIndex("an onboarding", () => rememberDevices(db, spaceId, devices));
        const meter = devices.find((d) => [d.externalDeviceId, ...(d.externalDeviceIds ?? [])].includes(v.meterId!));
        await save({ device: meter ? { deviceId: meter.id } : { skipped: true } });
      } else if (v.meterPath === "wizard") {
        if (!extra.deviceId) {
          // The wizard registers the meter in the new space; the run continues with its device.
          await save({ needsMeter: true });
          return finish(db, id, "draft");
        }
        await save({ device: { deviceId: extra.deviceId }, needsMeter: false });
      } else {
        await save({ device: { skipped: true } });
      }
    }

    if (!progress.ledger) {
      const deviceId = progress.device && "deviceId" in progress.device ? progress.device.deviceId : null;
      const [ledgerRow] = await db
        .insert(contracts)
        .values({
          customerId: progress.customer!.customerId,
          customerExternalId: v.customerNumber,
          externalId: v.contractNumber,
          contractId: progress.contract!.contractId,
          spaceId,
          deviceId,
          externalDeviceId: v.meterPath === "contract" ? (v.meterId ?? null) : null,
          medium: v.medium,
          startDate: v.startDate,
          createdByEmail: actor.email,
        })
        .onConflictDoUpdate({ target: [contracts.customerExternalId, contracts.externalId], set: { spaceId, deviceId, contractId: progress.contract!.contractId, startDate: v.startDate } })
        .returning({ id: contracts.id });
      await save({ ledger: { contractRowId: ledgerRow.id } });
    }

    if (!progress.invite) {
      if (v.inviteChannel === "space" && v.email) {
        const invite = await createInvite(db, client, actor, spaceId, { email: v.email, accessRoleId: v.accessRoleId, sendEmail: v.sendEmail }, `onboarding-${id}`);
        await save({ invite: { inviteId: invite.id } });
      } else if (v.inviteChannel === "customer" && v.email && !progress.customer!.existed) {
        // The platform sent its own invite with the new customer: record it (there is no link).
        await db
          .insert(invites)
          .values({ id: `customer-${id}`, spaceId, email: v.email, link: null, channel: "customer", createdByEmail: actor.email, lastSentAt: new Date(), sendCount: 1 })
          .onConflictDoNothing();
        await save({ invite: { channel: "customer" } });
      } else {
        await save({ invite: { skipped: true } });
      }
    }

    await auditSafely(db, {
      actor,
      action: row.kind === "tenantChange" ? "tenantChange.complete" : "onboarding.complete",
      target: { type: "customer", id: progress.customer!.customerId },
      summary: `${row.kind === "tenantChange" ? "Tenant change" : "Onboarding"} of ${v.customerNumber}, contract ${v.contractNumber}`,
      details: { ...details, spaceId, customerId: progress.customer!.customerId },
      outcome: "ok",
    });
    return finish(db, id, "done");
  } catch (error) {
    await db.update(onboardings).set({ status: "failed", errorCode: codeOf(error), updatedAt: new Date() }).where(eq(onboardings.id, id));
    throw error;
  }
}

/** Only the owner, only one run at a time (a stale run of a dead instance is taken over). */
async function claim(db: Database, actor: AuditActor, id: string, staleAfterMs: number): Promise<OnboardingRow> {
  await getOnboarding(db, actor, id); // 404 for an unknown or malformed id
  const [claimed] = await db
    .update(onboardings)
    .set({ status: "running", errorCode: null, updatedAt: new Date() })
    .where(
      and(
        eq(onboardings.id, id),
        eq(onboardings.staffId, actor.id),
        or(inArray(onboardings.status, ["draft", "failed"]), and(eq(onboardings.status, "running"), lt(onboardings.updatedAt, new Date(Date.now() - staleAfterMs + 1)))),
      ),
    )
    .returning();
  if (claimed) return claimed;
  const [existing] = await db.select().from(onboardings).where(and(eq(onboardings.id, id), eq(onboardings.staffId, actor.id)));
  if (!existing) throw new NotFoundError(`No onboarding ${id} of yours.`);
  if (existing.status === "done") alreadyDone(existing);
  throw new AppError(409, "in_progress", "This onboarding is being carried out right now.", { retryable: true, retryAfterMs: 1000 });
}

function alreadyDone(row: OnboardingRow): never {
  throw new AppError(409, "onboarding_done", "This onboarding is complete.", { onboarding: toView(row) });
}

async function finish(db: Database, id: string, status: "draft" | "done"): Promise<OnboardingView> {
  const [row] = await db.update(onboardings).set({ status, updatedAt: new Date() }).where(eq(onboardings.id, id)).returning();
  return toView(row);
}

function parseValues(row: OnboardingRow): TenantChangeValues {
  const schema = row.kind === "tenantChange" ? TenantChangeValues : OnboardingValues;
  const parsed = schema.safeParse(row.values);
  const errors: Record<string, string[]> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  const values = (parsed.success ? parsed.data : row.values) as TenantChangeValues;
  Object.assign(errors, parsed.success ? crossFieldErrors(values) : {});
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, "Some steps are not complete.");
  return values;
}

async function customerExists(db: Database, customerNumber: string): Promise<boolean> {
  const [known] = await db.select({ id: customerIndex.id }).from(customerIndex).where(eq(customerIndex.externalId, customerNumber));
  return !!known;
}

async function topLevelSameAddress(db: Database, addressLineOne: string, postcode: string): Promise<string[]> {
  const rows = await db
    .select({ id: spaceIndex.id })
    .from(spaceIndex)
    .where(and(isNull(spaceIndex.parentId), eq(spaceIndex.addressLineOne, addressLineOne), eq(spaceIndex.postcode, postcode)));
  return rows.map((r) => r.id);
}

let pageCountHint = 0;

/**
 * The contract's answer names no space: it is the top-level space with the contract's address
 * that was not there before and belongs to no other contract. New spaces come last in the list,
 * so the last pages are read first; the whole list only if they do not have it.
 */
async function findContractSpace(db: Database, client: PartnerClient, v: TenantChangeValues, before: ReadonlySet<string>): Promise<Space> {
  const candidate = (s: Space) => !s.parentSpaceId && s.addressLineOne === v.addressLineOne && s.postcode === v.postcode && !before.has(s.id);
  // Of the candidates, the one no contract in the ledger has: asked for those ids only (a bulk
  // import runs this per row; reading the whole ledger each time would grow with every row).
  const untaken = async (spaces: Space[]) => {
    const ids = spaces.filter(candidate).map((s) => s.id);
    if (ids.length === 0) return undefined;
    const taken = new Set((await db.select({ spaceId: contracts.spaceId }).from(contracts).where(inArray(contracts.spaceId, ids))).map((r) => r.spaceId));
    return spaces.filter((s) => candidate(s) && !taken.has(s.id)).at(-1);
  };
  // The page count seen last is only a hint (a bulk import runs this per row): asking for that
  // page straight away saves the round trip to learn the count; its answer says the real one.
  const guess = Math.max(0, pageCountHint - 1);
  const probe = await client.getSpaces({ page: guess });
  pageCountHint = probe.totalNumPages;
  const last = probe.totalNumPages - 1;
  for (let page = last; page >= Math.max(0, last - 2); page--) {
    const spaces = page === guess ? probe.spaces : (await client.getSpaces({ page })).spaces;
    const found = await untaken(spaces);
    if (found) return found;
  }
  const found = await untaken(await client.getAllSpaces());
  if (!found) throw new AppError(502, "contract_space_missing", "The partner API created the contract but its space was not found. Try again in a moment.", { retryable: true });
  return found;
}

/** Tenant change: the old customer's view of the meter ends at the move-out date; their users leave now, at that date, or stay. */
async function endPreviousContract(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  v: TenantChangeValues,
  progress: OnboardingProgress,
  save: (patch: Partial<OnboardingProgress>) => Promise<void>,
): Promise<void> {
  const [previous] = await db.select().from(contracts).where(eq(contracts.id, v.previousContractId));
  if (!previous) throw new NotFoundError(`No contract ${v.previousContractId} in the ledger.`);
  const end = berlinMidnight(v.moveOutDate);
  if (!progress.timeWindow) {
    if (!previous.externalDeviceId) throw new ValidationError({ previousContractId: ["noMeter"] }, "The previous contract has no meter whose view could end.");
    await auditedCall(
      db,
      { actor, action: "contract.end", target: { type: "contract", id: `${previous.customerExternalId}/${previous.externalId}` }, summary: `Ended contract ${previous.externalId} on ${v.moveOutDate}`, details: { spaceId: previous.spaceId, moveOutDate: v.moveOutDate } },
      () => client.setCustomerContractTimeWindow(previous.customerExternalId, previous.externalId, { externalDeviceId: previous.externalDeviceId!, timeWindowEnd: end }),
    );
    await db.update(contracts).set({ windowEnd: new Date(end * 1000) }).where(eq(contracts.id, previous.id));
    await save({ timeWindow: { end } });
  }
  if (!progress.users) {
    if (v.removeUsers === "now" && previous.spaceId) {
      await auditedCall(
        db,
        { actor, action: "user.removeAll", target: { type: "space", id: previous.spaceId }, summary: "Removed the previous tenant's users (tenant change)", details: { spaceId: previous.spaceId } },
        () => client.removeAllUsersFromSpace(previous.spaceId!),
      );
      await db.update(contracts).set({ usersRemovedAt: new Date() }).where(eq(contracts.id, previous.id));
      await save({ users: "removed" });
    } else if (v.removeUsers === "atDate") {
      await db.update(contracts).set({ usersRemoveAt: new Date(end * 1000) }).where(eq(contracts.id, previous.id));
      await save({ users: "scheduled" });
    } else {
      await save({ users: "kept" });
    }
  }
}

/** 00:00 Europe/Berlin of a calendar day, in epoch seconds. */
export function berlinMidnight(day: string): number {
  const result = fromBerlinLocal(`${day}T00:00`);
  if (result.kind !== "ok") throw new ValidationError({ moveOutDate: ["invalid"] });
  return result.seconds;
}
