import { z } from "zod";
import { Id } from "@/lib/input/id";

/** Resending sooner than this after the last e-mail asks first (issue 6). */
export const RECENT_SEND_MINUTES = 10;

export const INVITE_STATUSES = ["pending", "accepted", "revoked"] as const;

/** The invite form, in the browser and again in POST /api/spaces/:id/invites. */
export const CreateInviteInput = z.object({
  email: z
    .string()
    .trim()
    .min(1, "required")
    .pipe(z.email("email")),
  // Empty: the partner's default role.
  accessRoleId: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), Id.optional()),
  sendEmail: z.boolean(),
});
export type CreateInviteInput = z.input<typeof CreateInviteInput>;

export const ResendInviteInput = z.object({
  // Needed when the last e-mail went out less than RECENT_SEND_MINUTES ago.
  confirmRecent: z.boolean().optional(),
});

export const RevokeInviteInput = z.object({
  // The customer already joined: also remove them from the space.
  removeUser: z.boolean().optional(),
});

export const INVITE_SORTS = ["createdAt", "lastSentAt", "email", "status"] as const;

/** GET /api/invites */
export const ListInvitesQuery = z.object({
  status: z.enum(INVITE_STATUSES).optional(),
  spaceId: Id.optional(),
  accessRoleId: Id.optional(),
  createdBy: Id.optional(),
  // Only invites created at least this many days ago ("older than").
  olderThanDays: z.coerce.number().int().min(0).max(3650).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(INVITE_SORTS).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(0).default(0),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListInvitesQuery = z.infer<typeof ListInvitesQuery>;
