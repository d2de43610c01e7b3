import "server-only";
import { auditedCall, type AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import type { PartnerClient, User } from "@/lib/partner-api";
import { keepIndex, rememberUsers } from "@/lib/spaces/index-writes";

/**
 * After a change, the space's users as upstream now has them, remembered for search and invites.
 * Null when that read fails: the change itself went through and must not be reported as failed.
 */
async function currentUsers(db: Database, client: PartnerClient, spaceId: string): Promise<User[] | null> {
  try {
    const users = await client.getAllUsersInSpace(spaceId);
    await keepIndex("a user change", () => rememberUsers(db, spaceId, users));
    return users;
  } catch (error) {
    console.error("Users not re-read after a change; the space page reads them again", error);
    return null;
  }
}

/** Gives an existing user access to the space with a role. */
export async function addUserToSpace(db: Database, client: PartnerClient, actor: AuditActor, spaceId: string, input: { userId: string; accessRoleId: string }) {
  await auditedCall(
    db,
    { actor, action: "user.add", target: { type: "user", id: input.userId }, summary: `Added user ${input.userId} to the space`, details: { spaceId, accessRoleId: input.accessRoleId } },
    () => client.addUserToSpace(spaceId, input.userId, { accessRoleId: input.accessRoleId }),
  );
  return { users: await currentUsers(db, client, spaceId) };
}

/** Takes one user's access to the space away (their account stays). */
export async function removeUserFromSpace(db: Database, client: PartnerClient, actor: AuditActor, spaceId: string, userId: string, email?: string) {
  await auditedCall(
    db,
    { actor, action: "user.remove", target: { type: "user", id: userId }, summary: `Removed ${email ?? userId} from the space`, details: { spaceId } },
    () => client.removeUserFromSpace(spaceId, userId),
  );
  return { users: await currentUsers(db, client, spaceId) };
}

/** Takes every user's access to the space away. */
export async function removeAllUsersFromSpace(db: Database, client: PartnerClient, actor: AuditActor, spaceId: string) {
  await auditedCall(
    db,
    { actor, action: "user.removeAll", target: { type: "space", id: spaceId }, summary: "Removed all users from the space", details: { spaceId } },
    () => client.removeAllUsersFromSpace(spaceId),
  );
  return { users: await currentUsers(db, client, spaceId) };
}
