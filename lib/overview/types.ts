/** GET /api/overview: the key figures and what needs attention, from the index and the ledgers. */
export interface Overview {
  figures: {
    customers: number;
    spaces: number;
    devices: { total: number; connected: number; connecting: number; failed: number; other: number };
    users: number;
    openInvites: number;
  };
  attention: AttentionItem[];
  /** How much of the partner's data the figures cover: spaces whose devices and users are indexed. */
  coverage: { crawledSpaces: number; spaces: number };
  settings: { connectingHours: number; readingDays: number; inviteDays: number };
}

export type AttentionKind =
  | "devicesFailed"
  | "devicesConnecting"
  | "staleReadings"
  | "spacesWithoutMain"
  | "invitesPending"
  | "onboardingsFailed"
  | "importsWithErrors"
  | "indexProblem";

export interface AttentionItem {
  kind: AttentionKind;
  count: number;
  /** The filtered list it links to; null until that list exists (the devices list, issue 14). */
  href: string | null;
}
