import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { addStaff, listStaff } from "@/lib/staff/admin";
import { AddStaffInput } from "@/lib/staff/schemas";

/** Every staff account (managers). */
export const GET = route("staff.manage", async () => ({ staff: await listStaff(await getDb()) }));

/** Adds a colleague; the answer carries their one-time set-password link, shown once. */
export const POST = route("staff.manage", async ({ request, user }) => {
  const input = await parseBody(request, AddStaffInput);
  return addStaff(await getDb(), user, input, process.env.NEXTAUTH_URL || new URL(request.url).origin);
});
