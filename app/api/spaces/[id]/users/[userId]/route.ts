import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";
import { removeUserFromSpace } from "@/lib/users/writes";

/** Removes one user from the space (managers); their account and other spaces stay. */
export const DELETE = route<{ id: string; userId: string }>("users.remove", async ({ params, user }) =>
  removeUserFromSpace(await getDb(), getPartnerClient(), user, params.id, params.userId),
);
