import type { AuditLogEntry } from "./types";

/** What describeAudit needs of a translator of all messages, no namespace (next-intl's, client or server). */
export interface MessageTranslator {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
}

const text = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "");

/**
 * One sentence in the reader's language for an audit row, from its action and details: the log
 * stores facts, not English prose. Every summary message may use only these values, which are
 * always given (empty when the row lacks them).
 */
export function describeAudit(t: MessageTranslator, entry: Pick<AuditLogEntry, "action" | "targetId" | "details" | "outcome">): string {
  const key = entry.action.replace(/\./g, "_");
  const d = entry.details ?? {};
  const values = {
    name: text(d.name ?? d.deviceName),
    email: text(d.email),
    role: d.role ? roleLabel(t, text(d.role)) : "",
    count: typeof d.count === "number" ? d.count : 0,
    method: text(d.method),
    target: entry.targetId,
    customer: text(d.customerNumber),
    contract: text(d.contractNumber),
    file: text(d.fileName),
  };
  // A failed attempt reads differently where the messages say how ("Failed sign-in").
  const failed = `activity.summaries.${key}_failed`;
  if (entry.outcome === "error" && t.has(failed)) return t(failed, values);
  const summary = `activity.summaries.${key}`;
  if (t.has(summary)) return t(summary, values);
  const label = `activity.actions.${key}`;
  return t.has(label) ? t(label) : entry.action;
}

function roleLabel(t: MessageTranslator, role: string): string {
  return t.has(`roles.${role}`) ? t(`roles.${role}`) : role;
}

/** The dashboard page of an audit row's object, where there is one. */
export function auditObjectHref(entry: Pick<AuditLogEntry, "targetType" | "targetId" | "details">): string | null {
  const spaceId = typeof entry.details?.spaceId === "string" ? entry.details.spaceId : null;
  const id = encodeURIComponent(entry.targetId);
  switch (entry.targetType) {
    case "space":
      return entry.targetId.startsWith("new") ? null : `/spaces/${id}`;
    case "device":
      return spaceId ? `/spaces/${encodeURIComponent(spaceId)}?tab=devices` : null;
    case "invite":
      return spaceId ? `/spaces/${encodeURIComponent(spaceId)}?tab=invites` : "/invites";
    case "user":
      return spaceId ? `/spaces/${encodeURIComponent(spaceId)}?tab=users` : null;
    case "customer":
      return `/customers/${id}`;
    case "contract": {
      const customer = entry.targetId.split("/")[0];
      return customer ? `/customers/${encodeURIComponent(customer)}` : null;
    }
    case "staff":
      return "/staff";
    case "import":
      return `/onboarding/import/${id}`;
    default:
      return null;
  }
}
