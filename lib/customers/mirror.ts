import "server-only";
import { notInArray, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { customerIndex } from "@/lib/db/schema";
import { cleanRecord } from "@/lib/input/text";
import type { Customer, PartnerClient } from "@/lib/partner-api";
import { foldSearch } from "@/lib/spaces/rows";

/**
 * The customer list mirrored from GET /customers, so /customers and the header search answer from
 * the database. Refreshed after every space index refresh; every customer the dashboard upserts is
 * written through at once. Upstream data is cleaned like space records.
 */
export function customerToRow(upstream: Customer) {
  const c = cleanRecord(upstream).value;
  const email = c.email?.trim().toLowerCase() || null;
  return {
    id: c.id,
    externalId: c.external_id,
    name: c.name?.trim() || null,
    email,
    searchText: foldSearch([c.external_id, c.name ?? "", email ?? ""].join(" ")),
  };
}

export async function rememberCustomers(db: Database, customers: readonly Customer[]): Promise<void> {
  const rows = [...new Map(customers.map((c) => [c.id, customerToRow(c)])).values()];
  if (rows.length === 0) return;
  await db
    .insert(customerIndex)
    .values(rows)
    .onConflictDoUpdate({
      target: customerIndex.id,
      set: { externalId: sql`excluded.external_id`, name: sql`excluded.name`, email: sql`excluded.email`, searchText: sql`excluded.search_text`, seenAt: sql`now()` },
    });
}

/** The whole list from upstream; customers no longer listed are removed. */
export async function refreshCustomers(db: Database, client: PartnerClient): Promise<number> {
  const customers = await client.getAllCustomers();
  // A customer number reused by another id (deleted and created again upstream): the newest wins.
  await db.delete(customerIndex).where(notInArray(customerIndex.id, customers.length ? customers.map((c) => c.id) : [""]));
  const byExternal = new Map(customers.map((c) => [c.external_id, c]));
  await db.delete(customerIndex).where(notInArray(customerIndex.externalId, [...byExternal.keys(), ""]));
  await rememberCustomers(db, [...byExternal.values()]);
  return byExternal.size;
}
