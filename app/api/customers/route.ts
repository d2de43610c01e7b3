import { ListCustomersQuery } from "@/lib/customers/schemas";
import { listCustomers } from "@/lib/customers/queries";
import { parseQuery, route } from "@/lib/http/route";
import { freshSpaceDeps } from "@/lib/spaces/http";

/** Every customer (mirrored from upstream with the space index), searched and paged here. */
export const GET = route("customers.read", async ({ request }) => {
  const query = parseQuery(request, ListCustomersQuery);
  const { db } = await freshSpaceDeps();
  return listCustomers(db, query);
});
