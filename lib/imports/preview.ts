import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { contracts, spaceDeviceIndex, spaceIndex } from "@/lib/db/schema";
import type { PartnerClient } from "@/lib/partner-api";
import type { ImportField } from "./columns";
import { rowValues, type FieldErrors, type RowValues } from "./rows";

export type RowPlan = "create" | "update" | "unchanged" | "error";

export interface PlannedRow {
  rowNo: number;
  cells: string[];
  /** Ready for an onboarding run (lib/onboarding/schemas.ts OnboardingValues) when valid. */
  values: Record<string, unknown> | null;
  errors: FieldErrors | null;
  plan: RowPlan;
}

/**
 * The preview of a whole file: every row checked on its own, against the other rows (a contract
 * or a meter twice: the later rows are marked) and against what exists (a contract the dashboard
 * created before: update or unchanged as chosen; a meter in another space; the parent).
 * Everything is read once up front, so 50,000 rows take a few hundred milliseconds.
 */
export async function planRows(
  db: Database,
  client: PartnerClient,
  rows: readonly string[][],
  mapping: Partial<Record<ImportField, number>>,
  existing: "update" | "skip",
): Promise<PlannedRow[]> {
  const parsed = rows.map((cells) => rowValues(cells, mapping));
  const context = await loadContext(db, client, parsed.some((p) => p.values?.accessRole));
  const seenContracts = new Set<string>();
  const seenMeters = new Set<string>();
  return parsed.map(({ values, errors }, i): PlannedRow => {
    const rowNo = i + 1;
    const cells = [...rows[i]];
    if (!values) return { rowNo, cells, values: null, errors, plan: "error" };
    const more: FieldErrors = {};
    const fail = (field: ImportField, code: string) => (more[field] ??= []).push(code);

    // Contract numbers are the partner's, unique across customers: the same one twice is an error.
    const contractKey = values.contractNumber.toLowerCase();
    if (seenContracts.has(contractKey)) fail("contractNumber", "duplicateInFile");
    seenContracts.add(contractKey);
    if (values.meterId) {
      if (seenMeters.has(values.meterId)) fail("meterId", "duplicateInFile");
      seenMeters.add(values.meterId);
    }

    const known = context.ledger.get(`${values.customerNumber}/${values.contractNumber}`);
    if (values.meterId) {
      const spaces = context.meterSpaces.get(values.meterId) ?? [];
      if (spaces.some((s) => s !== known?.spaceId)) fail("meterId", "meterElsewhere");
    }
    const parentSpaceId = values.parent ? resolveParent(context, values.parent, fail) : undefined;
    const accessRoleId = values.accessRole ? resolveRole(context, values.accessRole, fail) : undefined;

    if (Object.keys(more).length > 0) return { rowNo, cells, values: null, errors: more, plan: "error" };
    const plan: RowPlan = known ? (existing === "update" ? "update" : "unchanged") : "create";
    const ready = onboardingValues(values, parentSpaceId, accessRoleId);
    // An update sends the customer and contract again, never a second invite.
    if (plan === "update") ready.inviteChannel = "none";
    return { rowNo, cells, values: ready, errors: null, plan };
  });
}

/** What an onboarding run needs; the preview has checked duplicates, so none is asked about again. */
function onboardingValues(v: RowValues, parentSpaceId: string | undefined, accessRoleId: string | undefined): Record<string, unknown> {
  return {
    customerNumber: v.customerNumber,
    customerName: v.customerName,
    email: v.email,
    contractNumber: v.contractNumber,
    addressLineOne: v.addressLineOne,
    addressLineTwo: v.addressLineTwo,
    postcode: v.postcode,
    city: v.city,
    parentSpaceId,
    medium: v.medium,
    startDate: v.startDate,
    meterId: v.meterId,
    meterPath: v.meterId ? "contract" : "none",
    inviteChannel: v.sendInvite ? "space" : "none",
    accessRoleId,
    sendEmail: true,
    confirmDuplicates: true,
  };
}

interface Context {
  ledger: Map<string, { spaceId: string | null }>;
  meterSpaces: Map<string, string[]>;
  spaceIds: Set<string>;
  /** Lowercased full name path ("nürnberg / hauptstr. 5") → ids. */
  byPath: Map<string, string[]>;
  /** Lowercased name → ids. */
  byName: Map<string, string[]>;
  /** Contract number (lowercased) → its space. */
  contractSpaces: Map<string, string>;
  roles: Map<string, string> | null;
}

async function loadContext(db: Database, client: PartnerClient, needsRoles: boolean): Promise<Context> {
  const [ledgerRows, meterRows, spaceRows, roles] = await Promise.all([
    db.select({ customer: contracts.customerExternalId, contract: contracts.externalId, spaceId: contracts.spaceId }).from(contracts),
    db.select({ spaceId: spaceDeviceIndex.spaceId, externalIds: spaceDeviceIndex.externalIds }).from(spaceDeviceIndex).where(sql`cardinality(${spaceDeviceIndex.externalIds}) > 0`),
    db.select({ id: spaceIndex.id, name: spaceIndex.name, parentId: spaceIndex.parentId }).from(spaceIndex),
    needsRoles ? client.getAccessRoles() : Promise.resolve(null),
  ]);
  const ledger = new Map(ledgerRows.map((r) => [`${r.customer}/${r.contract}`, { spaceId: r.spaceId }]));
  const contractSpaces = new Map(ledgerRows.filter((r) => r.spaceId).map((r) => [r.contract.toLowerCase(), r.spaceId!]));
  const meterSpaces = new Map<string, string[]>();
  for (const r of meterRows) for (const id of r.externalIds) meterSpaces.set(id, [...(meterSpaces.get(id) ?? []), r.spaceId]);

  const spaces = new Map(spaceRows.map((s) => [s.id, s]));
  const pathOf = (id: string): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let s = spaces.get(id); s && !seen.has(s.id); s = s.parentId ? spaces.get(s.parentId) : undefined) {
      seen.add(s.id);
      names.unshift(s.name.trim().toLowerCase());
    }
    return names.join(" / ");
  };
  const byPath = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, id: string) => map.set(key, [...(map.get(key) ?? []), id]);
  for (const s of spaceRows) {
    add(byPath, pathOf(s.id), s.id);
    add(byName, s.name.trim().toLowerCase(), s.id);
  }
  const roleMap = roles ? new Map<string, string>() : null;
  for (const role of roles?.accessRoles ?? []) {
    if (!role.id) continue;
    roleMap!.set(role.id.toLowerCase(), role.id);
    roleMap!.set(role.name.trim().toLowerCase(), role.id);
  }
  return { ledger, meterSpaces, spaceIds: new Set(spaces.keys()), byPath, byName, contractSpaces, roles: roleMap };
}

/** A parent by id, by name path ("Nürnberg / Hauptstr. 5", also with ">"), by contract number, or by a unique name. */
function resolveParent(context: Context, value: string, fail: (field: ImportField, code: string) => void): string | undefined {
  if (context.spaceIds.has(value)) return value;
  const key = value.toLowerCase();
  const byContract = context.contractSpaces.get(key);
  if (byContract) return byContract;
  const candidates = /[/>]/.test(value) ? context.byPath.get(key.split(/\s*[/>]\s*/).join(" / ")) : context.byName.get(key.trim());
  if (!candidates || candidates.length === 0) fail("parent", "parentUnknown");
  else if (candidates.length > 1) fail("parent", "parentAmbiguous");
  else return candidates[0];
  return undefined;
}

function resolveRole(context: Context, value: string, fail: (field: ImportField, code: string) => void): string | undefined {
  const id = context.roles?.get(value.trim().toLowerCase());
  if (!id) fail("accessRole", "accessRoleUnknown");
  return id;
}

/** The counts the preview's summary shows. */
export function summarise(rows: readonly Pick<PlannedRow, "plan">[]): Record<RowPlan, number> {
  const counts: Record<RowPlan, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.plan]++;
  return counts;
}
