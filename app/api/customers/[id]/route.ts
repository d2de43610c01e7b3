import { getCustomerDetail } from "@/lib/customers/queries";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/route";

/** One customer by platform id or customer number: contracts, spaces, devices, users. */
export const GET = route<{ id: string }>("customers.read", async ({ params, user }) => {
  const detail = await getCustomerDetail(await getDb(), params.id, { withActivity: can(user.role, "audit.read") });
  if (!detail) throw new NotFoundError(`No customer ${params.id}.`);
  return detail;
});
