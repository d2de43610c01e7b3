import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";
import { AddUserInput } from "@/lib/users/validation";
import { addUserToSpace, removeAllUsersFromSpace } from "@/lib/users/writes";

type Params = { id: string };

/** Adds an existing user with a role; answers the space's users as they are now. */
export const POST = route<Params>("users.add", async ({ params, request, user }) => {
  const input = await parseBody(request, AddUserInput);
  return addUserToSpace(await getDb(), getPartnerClient(), user, params.id, input);
});

/** Removes every user from the space (managers). */
export const DELETE = route<Params>("users.remove", async ({ params, user }) => removeAllUsersFromSpace(await getDb(), getPartnerClient(), user, params.id));
