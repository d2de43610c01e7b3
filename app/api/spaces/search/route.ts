import { NextResponse } from "next/server";
import { searchCustomers } from "@/lib/customers/queries";
import { parseQuery, route } from "@/lib/http/route";
import { freshSpaceDeps } from "@/lib/spaces/http";
import { searchSpaces } from "@/lib/spaces/search";
import type { SearchResponse } from "@/lib/spaces/types";
import { SearchQuery } from "@/lib/spaces/validation";

/** Lookup by name, address, identifiers, device or user e-mail. */
export const GET = route("spaces.read", async ({ request }) => {
  const { q, limit, customers } = parseQuery(request, SearchQuery);
  const { db } = await freshSpaceDeps();
  const started = performance.now();
  const [hits, customerHits] = await Promise.all([searchSpaces(db, q, limit), customers === "1" ? searchCustomers(db, q) : undefined]);
  const tookMs = Math.round((performance.now() - started) * 10) / 10;
  const body: SearchResponse = { query: q, hits, tookMs, ...(customerHits ? { customers: customerHits } : {}) };
  return NextResponse.json(body, { headers: { "Server-Timing": `search;dur=${tookMs}` } });
});
