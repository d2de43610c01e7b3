import { z } from "zod";
import { IMPORT_FIELDS } from "./columns";

/** An upload: the file as base64 in JSON (one CSRF rule for every write), at most 30 MB of file. */
export const MAX_IMPORT_FILE_BYTES = 30 * 1024 * 1024;
export const UploadImportInput = z.object({
  fileName: z.string().trim().min(1, { error: "required" }).max(200, { error: "tooLong" }),
  contentBase64: z.string().min(1, { error: "required" }).max(Math.ceil((MAX_IMPORT_FILE_BYTES * 4) / 3) + 4, { error: "tooLarge" }),
});

/** PATCH /api/imports/:id: the corrected mapping (field → column index) and what to do with existing contracts. */
export const ReplanImportInput = z.object({
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(500)),
  existing: z.enum(["update", "skip"]),
});

export const ControlImportInput = z.object({ action: z.enum(["start", "pause", "resume", "cancel", "retryFailed"]) });

export const ImportRowsQuery = z.object({
  plan: z.enum(["create", "update", "unchanged", "error"]).optional(),
  state: z.enum(["pending", "running", "done", "failed", "skipped"]).optional(),
  after: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ImportCsvQuery = z.object({ kind: z.enum(["errors", "result"]) });

/** POST /api/imports/presets: save a job's current mapping under a name (the same name replaces it). */
export const SavePresetInput = z.object({
  name: z.string().trim().min(1, { error: "required" }).max(80, { error: "tooLong" }),
  jobId: z.uuid(),
  mapping: z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(500)),
});
