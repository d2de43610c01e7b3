import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, ilike, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { audit, auditedCall, type AuditActor } from "@/lib/audit";
import { idempotentWrite } from "@/lib/idempotency";
import type { Database } from "@/lib/db";
import { AppError, NotFoundError } from "@/lib/errors";
import { invites, spaceIndex, type InviteRow } from "@/lib/db/schema";
import { PartnerApiError, type PartnerClient } from "@/lib/partner-api";
import { acceptedInvites } from "./reconcile";
import type { InviteView, InvitesPage } from "./types";
import { RECENT_SEND_MINUTES, type ListInvitesQuery } from "./validation";

export class InviteNotFoundError extends NotFoundError {
  static override readonly kind: string = "InviteNotFoundError";
  constructor(readonly inviteId: string) {
    super(`No invite with id ${inviteId}.`);
  }
}

/** A resend within RECENT_SEND_MINUTES of the last e-mail needs `confirmRecent` (409 "recently_sent"). */
export class RecentlySentError extends AppError {
  static override readonly kind: string = "RecentlySentError";
  constructor(readonly lastSentAt: Date) {
    super(409, "recently_sent", `The last invite e-mail went out less than ${RECENT_SEND_MINUTES} minutes ago; confirm to send another.`, {
      lastSentAt: lastSentAt.toISOString(),
    });
  }
}

/** One upstream call for an invite, audited either way; the link itself is never audited. */
function audited<T>(
  db: Database,
  entry: { actor: AuditActor; action: string; inviteId: string; spaceId: string; email: string; summary: string; details?: Record<string, unknown> },
  run: () => Promise<T>,
): Promise<T> {
  return auditedCall(
    db,
    {
      actor: entry.actor,
      action: entry.action,
      target: { type: "invite", id: entry.inviteId },
      summary: entry.summary,
      details: { spaceId: entry.spaceId, email: entry.email, ...entry.details },
    },
    run,
  );
}

async function roleName(client: PartnerClient, accessRoleId: string | undefined): Promise<string | null> {
  if (!accessRoleId) return null;
  const { accessRoles } = await client.getAccessRoles();
  return accessRoles.find((r) => r.id === accessRoleId)?.name ?? null;
}

/**
 * Creates the invite upstream (e-mail now, or only the link) once per idempotency key and records
 * it in the ledger. The ledger row is written after upstream answered and again on a replay if it
 * is missing, so a database hiccup never loses the link nor reports a sent invite as failed.
 * A lost answer cannot be checked upstream (invites cannot be listed): the person is asked.
 */
export async function createInvite(
  db: Database,
  client: PartnerClient,
  actor: AuditActor,
  spaceId: string,
  input: { email: string; accessRoleId?: string; sendEmail: boolean },
  idempotencyKey: string,
): Promise<InviteView> {
  const email = input.email.trim().toLowerCase();
  const newId = randomUUID();
  const sent = await idempotentWrite(db, {
    idempotency: { scope: `invite.create:${spaceId}`, key: idempotencyKey, actorId: actor.id, request: input },
    audit: {
      actor,
      action: "invite.create",
      target: { type: "invite", id: newId },
      summary: input.sendEmail ? `Invited ${email} by e-mail` : `Created an invite link for ${email}`,
      details: { spaceId, email, accessRoleId: input.accessRoleId ?? null, sendEmail: input.sendEmail },
    },
    targetIdOf: (r) => r.id,
    send: async () => {
      const { inviteLink } = await client.inviteUserToSpace(spaceId, { userEmail: email, sendInviteEmail: input.sendEmail, accessRoleId: input.accessRoleId });
      return { id: newId, inviteLink, sentAt: new Date().toISOString() };
    },
  });
  const row = {
    id: sent.id,
    spaceId,
    email,
    accessRoleId: input.accessRoleId ?? null,
    link: sent.inviteLink,
    createdByEmail: actor.email,
    createdAt: new Date(sent.sentAt),
    lastSentAt: input.sendEmail ? new Date(sent.sentAt) : null,
    sendCount: input.sendEmail ? 1 : 0,
  };
  try {
    const accessRoleName = await roleName(client, input.accessRoleId).catch(() => null);
    await db.insert(invites).values({ ...row, accessRoleName }).onConflictDoNothing({ target: invites.id });
    return (await getInvite(db, sent.id))!;
  } catch (error) {
    console.error(`Invite ${sent.id} sent upstream but not recorded in the ledger yet; a retry with the same key records it`, error);
    return toView({ invite: { ...row, channel: "space", status: "pending", accessRoleName: null, acceptedAt: null, acceptedUserId: null, revokedAt: null, revokedByEmail: null }, spaceName: null });
  }
}

/** Sends the invite e-mail again: a new upstream invite for the same e-mail and role; the ledger row counts it. */
export async function resendInvite(db: Database, client: PartnerClient, actor: AuditActor, id: string, { confirmRecent = false } = {}): Promise<InviteView> {
  const row = await rowOf(db, id);
  // Claim the send in one guarded update before calling upstream, so a double click or two
  // managers at once cannot both pass the 10-minute rule; given back if the call fails.
  const recentBound = new Date(Date.now() - RECENT_SEND_MINUTES * 60_000);
  const claimed = await db
    .update(invites)
    .set({ lastSentAt: new Date(), sendCount: sql`${invites.sendCount} + 1` })
    .where(and(eq(invites.id, id), confirmRecent ? undefined : or(isNull(invites.lastSentAt), lt(invites.lastSentAt, recentBound))))
    .returning({ id: invites.id });
  if (claimed.length === 0) throw new RecentlySentError((await rowOf(db, id)).lastSentAt ?? new Date());
  try {
    const { inviteLink } = await audited(
      db,
      { actor, action: "invite.resend", inviteId: id, spaceId: row.spaceId, email: row.email, summary: `Resent the invite to ${row.email}` },
      () => client.inviteUserToSpace(row.spaceId, { userEmail: row.email, sendInviteEmail: true, accessRoleId: row.accessRoleId ?? undefined }),
    );
    await db.update(invites).set({ link: inviteLink }).where(eq(invites.id, id));
  } catch (error) {
    // Give the claim back only when upstream certainly sent nothing; after a lost answer the
    // e-mail may be out, so the 10-minute rule keeps protecting against a second one.
    if (!(error instanceof PartnerApiError && error.maybeApplied)) {
      await db.update(invites).set({ lastSentAt: row.lastSentAt, sendCount: sql`${invites.sendCount} - 1` }).where(eq(invites.id, id));
    }
    throw error;
  }
  return (await getInvite(db, id))!;
}

/**
 * Revoking cannot withdraw the link upstream: the dashboard stops listing the invite as open.
 * With `removeUser`, a customer who already joined through it is removed from the space.
 */
export async function revokeInvite(db: Database, client: PartnerClient, actor: AuditActor, id: string, { removeUser = false } = {}): Promise<InviteView> {
  const row = await rowOf(db, id);
  if (removeUser && row.acceptedUserId) {
    await audited(
      db,
      { actor, action: "invite.revoke", inviteId: id, spaceId: row.spaceId, email: row.email, summary: `Revoked the invite to ${row.email} and removed the user from the space`, details: { removedUserId: row.acceptedUserId } },
      () => client.removeUserFromSpace(row.spaceId, row.acceptedUserId!),
    );
  } else {
    await audit(db, { actor, action: "invite.revoke", target: { type: "invite", id }, summary: `Revoked the invite to ${row.email}`, details: { spaceId: row.spaceId, email: row.email }, outcome: "ok" });
  }
  await db.update(invites).set({ status: "revoked", revokedAt: new Date(), revokedByEmail: actor.email }).where(eq(invites.id, id));
  return (await getInvite(db, id))!;
}

/** Marks the space's pending invites accepted whose e-mail is among `users` (the complete list). */
export async function reconcileInvites(db: Database, spaceId: string, users: readonly { id: string; email: string }[]): Promise<number> {
  const pending = await db
    .select({ id: invites.id, spaceId: invites.spaceId, email: invites.email, status: invites.status })
    .from(invites)
    .where(and(eq(invites.spaceId, spaceId), eq(invites.status, "pending")));
  const accepted = acceptedInvites(pending, spaceId, users);
  for (const { inviteId, userId } of accepted) {
    await db.update(invites).set({ status: "accepted", acceptedAt: new Date(), acceptedUserId: userId }).where(and(eq(invites.id, inviteId), eq(invites.status, "pending")));
  }
  return accepted.length;
}

const viewColumns = { invite: invites, spaceName: spaceIndex.name };

function toView({ invite, spaceName }: { invite: InviteRow; spaceName: string | null }): InviteView {
  return {
    id: invite.id,
    spaceId: invite.spaceId,
    spaceName,
    email: invite.email,
    accessRoleId: invite.accessRoleId,
    accessRoleName: invite.accessRoleName,
    link: invite.link,
    channel: invite.channel,
    status: invite.status,
    createdBy: invite.createdByEmail,
    createdAt: invite.createdAt.toISOString(),
    lastSentAt: invite.lastSentAt?.toISOString() ?? null,
    sendCount: invite.sendCount,
    acceptedAt: invite.acceptedAt?.toISOString() ?? null,
    revokedAt: invite.revokedAt?.toISOString() ?? null,
  };
}

async function rowOf(db: Database, id: string): Promise<InviteRow> {
  const [row] = await db.select().from(invites).where(eq(invites.id, id));
  if (!row) throw new InviteNotFoundError(id);
  return row;
}

export async function getInvite(db: Database, id: string): Promise<InviteView | null> {
  const [row] = await db.select(viewColumns).from(invites).leftJoin(spaceIndex, eq(spaceIndex.id, invites.spaceId)).where(eq(invites.id, id));
  return row ? toView(row) : null;
}

/** The invites page: filtered, searched by e-mail, sorted and paginated in the database. */
export async function listInvites(db: Database, query: ListInvitesQuery): Promise<InvitesPage> {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(invites.status, query.status));
  if (query.spaceId) conditions.push(eq(invites.spaceId, query.spaceId));
  if (query.accessRoleId) conditions.push(eq(invites.accessRoleId, query.accessRoleId));
  if (query.createdBy) conditions.push(eq(invites.createdByEmail, query.createdBy.toLowerCase()));
  if (query.olderThanDays !== undefined) conditions.push(lte(invites.createdAt, new Date(Date.now() - query.olderThanDays * 86_400_000)));
  if (query.q) conditions.push(ilike(invites.email, `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const where = conditions.length ? and(...conditions) : undefined;
  const column = { createdAt: invites.createdAt, lastSentAt: invites.lastSentAt, email: invites.email, status: invites.status }[query.sort];
  const order = query.dir === "asc" ? asc(column) : desc(column);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(viewColumns)
      .from(invites)
      .leftJoin(spaceIndex, eq(spaceIndex.id, invites.spaceId))
      .where(where)
      .orderBy(order, desc(invites.id))
      .limit(query.pageSize)
      .offset(query.page * query.pageSize),
    db.select({ total: sql<number>`count(*)::int` }).from(invites).where(where),
  ]);
  return { invites: rows.map(toView), total: Number(total), page: query.page, pageSize: query.pageSize };
}

/** One space's invites, newest first (the space page's invites tab). */
export async function spaceInvites(db: Database, spaceId: string): Promise<InviteView[]> {
  const rows = await db
    .select(viewColumns)
    .from(invites)
    .leftJoin(spaceIndex, eq(spaceIndex.id, invites.spaceId))
    .where(eq(invites.spaceId, spaceId))
    .orderBy(desc(invites.createdAt));
  return rows.map(toView);
}

/** Who has invited anyone, for the inviter filter. */
export async function inviters(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ email: invites.createdByEmail }).from(invites).orderBy(asc(invites.createdByEmail));
  return rows.map((r) => r.email);
}

