import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { resetStaffPassword } from "@/lib/staff/admin";

/** A new one-time set-password link for the account (earlier links stop working). */
export const POST = route<{ id: string }>("staff.manage", async ({ params, request, user }) =>
  resetStaffPassword(await getDb(), user, params.id, process.env.NEXTAUTH_URL || new URL(request.url).origin),
);
