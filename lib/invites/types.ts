/** One invite as the browser sees it (GET /api/invites, GET /api/spaces/:id/invites). */
export interface InviteView {
  id: string;
  spaceId: string;
  spaceName: string | null;
  email: string;
  accessRoleId: string | null;
  accessRoleName: string | null;
  /** Null when the platform invited through the customer's e-mail (no link comes back). */
  link: string | null;
  channel: "space" | "customer";
  status: "pending" | "accepted" | "revoked";
  createdBy: string;
  createdAt: string;
  lastSentAt: string | null;
  sendCount: number;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface InvitesPage {
  invites: InviteView[];
  total: number;
  page: number;
  pageSize: number;
}
