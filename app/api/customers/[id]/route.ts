import { getCustomerDetail } from "@/lib/customers/queries";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";

/** One customer by platform id or customer number: contracts, spaces, devices, users. */
export const GET = route<{ id: string }>("customers.read", async ({ params }) => {
  const detail = await getCustomerDetail(await getDb(), params.id);
  if (!detail) throw new NotFoundError(`No customer ${params.id}.`);
  return detail;
});
