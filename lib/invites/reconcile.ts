/**
 * An invite counts as accepted once a user with its e-mail (case-insensitive) is among the
 * space's users (partner-api README point 5). Pure, so the rule is tested without a database.
 */
export interface ReconcilableInvite {
  id: string;
  spaceId: string;
  email: string;
  status: "pending" | "accepted" | "revoked";
}

export interface SpaceUser {
  id: string;
  email: string;
}

/** The pending invites of `spaceId` that `users` (the space's complete user list) accept, with the user. */
export function acceptedInvites(
  invites: readonly ReconcilableInvite[],
  spaceId: string,
  users: readonly SpaceUser[],
): { inviteId: string; userId: string }[] {
  const byEmail = new Map(users.map((u) => [u.email.trim().toLowerCase(), u.id]));
  return invites.flatMap((invite) => {
    if (invite.spaceId !== spaceId || invite.status !== "pending") return [];
    const userId = byEmail.get(invite.email.trim().toLowerCase());
    return userId ? [{ inviteId: invite.id, userId }] : [];
  });
}
