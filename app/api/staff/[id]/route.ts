import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { updateStaff } from "@/lib/staff/admin";
import { UpdateStaffInput } from "@/lib/staff/schemas";

/** Changes the role or disables/enables the account; never the last enabled manager (409 last_manager). */
export const PATCH = route<{ id: string }>("staff.manage", async ({ params, request, user }) => {
  const change = await parseBody(request, UpdateStaffInput);
  return { staff: await updateStaff(await getDb(), user, params.id, change) };
});
