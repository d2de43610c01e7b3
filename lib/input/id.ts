import { z } from "zod";

/**
 * The shape of every id the dashboard accepts from a browser: the partner API's ids (UUIDs in
 * the sandbox) and the ledger's own. Checked before any lookup, so a NUL, a slash or a 1 MB "id"
 * never reaches the database or the partner API. No `server-only`: forms use it too.
 */
export const ID_MAX_LENGTH = 128;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

/** Ids the dashboard makes itself (staff accounts, onboardings, contracts) are UUIDs: check before a uuid column sees them. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export function isId(value: string): boolean {
  return value.length <= ID_MAX_LENGTH && ID_PATTERN.test(value);
}

/** A required id in a body or query (error codes as the forms translate them). */
export const Id = z
  .string({ error: "required" })
  .trim()
  .min(1, { error: "required" })
  .max(ID_MAX_LENGTH, { error: "invalidId" })
  .regex(ID_PATTERN, { error: "invalidId" });
