import "server-only";
import { asc, sql } from "drizzle-orm";
import type { AuditActor } from "@/lib/audit";
import type { Database } from "@/lib/db";
import { importPresets } from "@/lib/db/schema";
import { IMPORT_FIELDS, type ImportField } from "./columns";

export interface ImportPreset {
  id: string;
  name: string;
  /** Field → header name in the file. */
  columns: Partial<Record<ImportField, string>>;
  createdBy: string;
}

/** Every saved mapping, shared by all staff (an ERP's export looks the same whoever uploads it). */
export async function listPresets(db: Database): Promise<ImportPreset[]> {
  const rows = await db.select().from(importPresets).orderBy(asc(importPresets.name));
  return rows.map((r) => ({ id: r.id, name: r.name, columns: r.columns as ImportPreset["columns"], createdBy: r.createdByEmail }));
}

/** Saves (or, under the same name, replaces) a mapping as header names. */
export async function savePreset(db: Database, actor: AuditActor, name: string, headers: readonly string[], mapping: Partial<Record<ImportField, number>>): Promise<ImportPreset> {
  const columns: Partial<Record<ImportField, string>> = {};
  for (const field of IMPORT_FIELDS) {
    const index = mapping[field];
    if (index !== undefined && headers[index] !== undefined) columns[field] = headers[index];
  }
  const [row] = await db
    .insert(importPresets)
    .values({ name, columns, createdByEmail: actor.email })
    .onConflictDoUpdate({ target: importPresets.name, set: { columns, createdByEmail: actor.email, updatedAt: sql`now()` } })
    .returning();
  return { id: row.id, name: row.name, columns, createdBy: row.createdByEmail };
}
