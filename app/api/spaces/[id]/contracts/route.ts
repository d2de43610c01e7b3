import { contractsOfSpace } from "@/lib/customers/queries";
import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";

/** The customer contracts of a space (from the contract ledger), for its page and the tenant change. */
export const GET = route<{ id: string }>("customers.read", async ({ params }) => ({ contracts: await contractsOfSpace(await getDb(), params.id) }));
