import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { auditLog, contracts, customerIndex, invites, spaceDeviceIndex, spaceIndex, spaceUserIndex, type ContractRow, type CustomerIndexRow } from "@/lib/db/schema";
import { foldSearch } from "@/lib/spaces/rows";
import type { ListCustomersQuery } from "./schemas";
import type { ContractView, CustomerDetail, CustomerHit, CustomerSummary, CustomersPage } from "./types";

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The /customers table: searched by number, name or e-mail, paged in the database. */
export async function listCustomers(db: Database, query: ListCustomersQuery): Promise<CustomersPage> {
  const q = query.q ? foldSearch(query.q) : "";
  const where = q ? ilike(customerIndex.searchText, `%${escapeLike(q)}%`) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(customerIndex).where(where).orderBy(asc(customerIndex.externalId)).limit(query.pageSize).offset(query.page * query.pageSize),
    db.select({ total: count() }).from(customerIndex).where(where),
  ]);
  return { customers: await summarize(db, rows), total, page: query.page, pageSize: query.pageSize };
}

/** Contract and space counts and the newest invite status, for a page of customers at once. */
async function summarize(db: Database, rows: CustomerIndexRow[]): Promise<CustomerSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const emails = rows.map((r) => r.email).filter((e): e is string => !!e);
  const [counts, inviteRows] = await Promise.all([
    db
      .select({ customerId: contracts.customerId, contracts: count(), spaces: sql<number>`count(distinct ${contracts.spaceId})::int` })
      .from(contracts)
      .where(inArray(contracts.customerId, ids))
      .groupBy(contracts.customerId),
    emails.length
      ? db.select({ email: invites.email, status: invites.status, createdAt: invites.createdAt }).from(invites).where(inArray(invites.email, emails)).orderBy(desc(invites.createdAt))
      : Promise.resolve([]),
  ]);
  const byCustomer = new Map(counts.map((c) => [c.customerId, c]));
  const newestInvite = new Map<string, CustomerSummary["inviteStatus"]>();
  for (const i of inviteRows) if (!newestInvite.has(i.email)) newestInvite.set(i.email, i.status);
  return rows.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    name: r.name,
    email: r.email,
    contracts: byCustomer.get(r.id)?.contracts ?? 0,
    spaces: byCustomer.get(r.id)?.spaces ?? 0,
    inviteStatus: r.email ? (newestInvite.get(r.email) ?? null) : null,
  }));
}

/** By the platform's id or the partner's customer number. */
export async function findCustomer(db: Database, idOrNumber: string): Promise<CustomerIndexRow | null> {
  const [row] = await db.select().from(customerIndex).where(or(eq(customerIndex.id, idOrNumber), eq(customerIndex.externalId, idOrNumber)));
  return row ?? null;
}

export async function getCustomerDetail(db: Database, idOrNumber: string, { withActivity = false } = {}): Promise<CustomerDetail | null> {
  const row = await findCustomer(db, idOrNumber);
  if (!row) return null;
  const [summary] = await summarize(db, [row]);
  const contractViews = await contractViewsWhere(db, eq(contracts.customerId, row.id));
  const spaceIds = [...new Set(contractViews.map((c) => c.spaceId).filter((id): id is string => !!id))];
  const [devices, users] = spaceIds.length
    ? await Promise.all([
        db
          .select({ deviceId: spaceDeviceIndex.deviceId, spaceId: spaceDeviceIndex.spaceId, name: spaceDeviceIndex.name, status: spaceDeviceIndex.status, externalIds: spaceDeviceIndex.externalIds, medium: spaceDeviceIndex.medium })
          .from(spaceDeviceIndex)
          .where(inArray(spaceDeviceIndex.spaceId, spaceIds)),
        db.select({ userId: spaceUserIndex.userId, spaceId: spaceUserIndex.spaceId, email: spaceUserIndex.email, name: spaceUserIndex.name }).from(spaceUserIndex).where(inArray(spaceUserIndex.spaceId, spaceIds)),
      ])
    : [[], []];
  // The customer's slice of the audit log (managers): its onboardings, contracts and upserts.
  const activity = withActivity
    ? (
        await db
          .select()
          .from(auditLog)
          .where(or(sql`${auditLog.details} ->> 'customerNumber' = ${row.externalId}`, and(eq(auditLog.targetType, "customer"), or(eq(auditLog.targetId, row.id), eq(auditLog.targetId, row.externalId)))))
          .orderBy(desc(auditLog.id))
          .limit(30)
      ).map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actorEmail, action: r.action, summary: r.summary, outcome: r.outcome }))
    : null;
  const inviteWhere = [row.email ? eq(invites.email, row.email) : undefined, spaceIds.length ? inArray(invites.spaceId, spaceIds) : undefined].filter((c): c is SQL => !!c);
  const inviteRows = inviteWhere.length
    ? await db.select().from(invites).where(or(...inviteWhere)).orderBy(desc(invites.createdAt)).limit(50)
    : [];
  return {
    customer: summary,
    contracts: contractViews,
    devices,
    users,
    invites: inviteRows.map((i) => ({ id: i.id, email: i.email, spaceId: i.spaceId, channel: i.channel, status: i.status, lastSentAt: i.lastSentAt?.toISOString() ?? null, createdAt: i.createdAt.toISOString() })),
    activity,
  };
}

export async function contractsOfSpace(db: Database, spaceId: string): Promise<ContractView[]> {
  return contractViewsWhere(db, eq(contracts.spaceId, spaceId));
}

async function contractViewsWhere(db: Database, where: SQL): Promise<ContractView[]> {
  const rows = await db
    .select({ contract: contracts, spaceName: spaceIndex.name, customerName: customerIndex.name })
    .from(contracts)
    .leftJoin(spaceIndex, eq(spaceIndex.id, contracts.spaceId))
    .leftJoin(customerIndex, eq(customerIndex.id, contracts.customerId))
    .where(where)
    .orderBy(desc(contracts.createdAt));
  return rows.map((r) => toContractView(r.contract, r.spaceName, r.customerName));
}

export function toContractView(c: ContractRow, spaceName: string | null, customerName: string | null): ContractView {
  return {
    id: c.id,
    customerId: c.customerId,
    customerExternalId: c.customerExternalId,
    customerName,
    externalId: c.externalId,
    contractId: c.contractId,
    spaceId: c.spaceId,
    spaceName,
    deviceId: c.deviceId,
    externalDeviceId: c.externalDeviceId,
    medium: c.medium,
    startDate: c.startDate,
    windowEnd: c.windowEnd?.toISOString() ?? null,
    usersRemoveAt: c.usersRemoveAt?.toISOString() ?? null,
    usersRemovedAt: c.usersRemovedAt?.toISOString() ?? null,
    createdBy: c.createdByEmail,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Customers for the header search: number prefix first, then name or e-mail containing the words. */
export async function searchCustomers(db: Database, q: string, limit = 5): Promise<CustomerHit[]> {
  const folded = foldSearch(q);
  if (folded.length < 2) return [];
  const rows = await db
    .select()
    .from(customerIndex)
    .where(
      and(
        ...folded.split(" ").map((word) => ilike(customerIndex.searchText, `%${escapeLike(word)}%`)),
      ),
    )
    .orderBy(sql`case when lower(${customerIndex.externalId}) = ${folded} then 0 when lower(${customerIndex.externalId}) like ${`${escapeLike(folded)}%`} then 1 else 2 end`, asc(customerIndex.externalId))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    externalId: r.externalId,
    name: r.name,
    email: r.email,
    matched: r.externalId.toLowerCase().includes(folded) ? "externalId" : r.email?.includes(folded) ? "email" : "name",
  }));
}
