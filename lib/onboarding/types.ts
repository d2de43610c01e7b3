/** What the browser gets for an onboarding (GET /api/onboardings/:id and the run). */
export interface OnboardingProgress {
  customer?: { customerId: string; existed: boolean };
  spaceSnapshot?: string[];
  contract?: { contractId: string };
  space?: { spaceId: string };
  moved?: boolean;
  device?: { deviceId: string } | { skipped: true };
  /** The meter path "wizard": the run waits for the device registration wizard in the new space. */
  needsMeter?: boolean;
  ledger?: { contractRowId: string };
  invite?: { inviteId: string } | { channel: "customer" } | { skipped: true };
  /** Tenant change. */
  timeWindow?: { end: number };
  users?: "removed" | "scheduled" | "kept";
}

export interface OnboardingView {
  id: string;
  kind: "customer" | "tenantChange";
  status: "draft" | "running" | "done" | "failed";
  step: number;
  values: Record<string, unknown>;
  progress: OnboardingProgress;
  errorCode: string | null;
  staffEmail: string;
  createdAt: string;
  updatedAt: string;
}
