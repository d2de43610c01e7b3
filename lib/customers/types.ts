/** Customers and contracts as the browser sees them (GET /api/customers, /api/customers/:id). */
export interface CustomerSummary {
  id: string;
  externalId: string;
  name: string | null;
  email: string | null;
  contracts: number;
  spaces: number;
  /** Of the newest invite to this customer's e-mail in the ledger; null when none was sent through the dashboard. */
  inviteStatus: "pending" | "accepted" | "revoked" | null;
}

export interface CustomersPage {
  customers: CustomerSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ContractView {
  id: string;
  customerId: string;
  customerExternalId: string;
  customerName: string | null;
  externalId: string;
  contractId: string;
  spaceId: string | null;
  spaceName: string | null;
  deviceId: string | null;
  externalDeviceId: string | null;
  medium: string;
  startDate: string | null;
  windowEnd: string | null;
  usersRemoveAt: string | null;
  usersRemovedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface CustomerDetail {
  customer: CustomerSummary;
  contracts: ContractView[];
  devices: { deviceId: string; spaceId: string; name: string; status: string; externalIds: string[]; medium: string }[];
  users: { userId: string; spaceId: string; email: string; name: string | null }[];
  /** Invites the ledger holds for the customer's e-mail or spaces, newest first. */
  invites: { id: string; email: string; spaceId: string; channel: "space" | "customer"; status: "pending" | "accepted" | "revoked"; lastSentAt: string | null; createdAt: string }[];
  /** Null unless the caller may read the audit log. */
  activity: { id: number; at: string; actor: string | null; action: string; summary: string | null; outcome: "ok" | "error" }[] | null;
}

/** A customer in the header search. */
export interface CustomerHit {
  id: string;
  externalId: string;
  name: string | null;
  email: string | null;
  matched: "externalId" | "name" | "email";
}
