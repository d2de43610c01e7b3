import { z } from "zod";
import { AUDIT_TARGET_TYPES } from "./types";

// An empty form field arrives as "": that means "no filter", not "match the empty string".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");

/**
 * The audit log's filter, as query parameters of /api/audit and /api/audit/export and as the
 * page's form. `action` is either a whole action ("space.create") or its object ("space").
 * `from` and `to` are calendar days in Berlin, both included.
 */
export const AuditFilter = z
  .object({
    actor: optional(z.string().trim().toLowerCase().max(320)),
    action: optional(z.string().regex(/^[a-zA-Z]{1,30}(\.[a-zA-Z]{1,30})?$/, "action")),
    targetType: optional(z.enum(AUDIT_TARGET_TYPES)),
    targetId: optional(z.string().trim().max(200)),
    outcome: optional(z.enum(["ok", "error"])),
    from: optional(day),
    to: optional(day),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "range" });
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditPageQuery = z.intersection(AuditFilter, z.object({ before: optional(z.coerce.number().int().positive()) }));

/** The filter as URL query parameters (only the set ones), for links and the export. */
export function auditFilterParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== "") params.set(key, String(value));
  return params;
}
