import "server-only";
import { getDb } from "@/lib/db";
import { getPartnerClient } from "@/lib/partner-api";
import { isShuttingDown, onShutdown } from "@/lib/server/shutdown";
import { workOnImports } from "./worker";

const POLL_MS = 2_000;
const state = ((globalThis as { __zfImports?: { timer?: NodeJS.Timeout; running?: Promise<void>; abort?: AbortController } }).__zfImports ??= {});

/**
 * Every instance looks for import work every two seconds (and at once when a job is started
 * here); which instance works on which job is decided in the database (lib/imports/worker.ts).
 */
export function startImportWorker(): void {
  if (state.timer || isShuttingDown()) return;
  state.timer = setInterval(kickImportWorker, POLL_MS);
  state.timer.unref();
  onShutdown("import worker", stopImportWorker);
}

/** Works on imports now unless this process already does. Never throws. */
export function kickImportWorker(): void {
  if (state.running || isShuttingDown()) return;
  state.abort = new AbortController();
  const signal = state.abort.signal;
  state.running = getDb()
    .then((db) => workOnImports(db, getPartnerClient(), { signal }))
    .then(
      () => undefined,
      (error: unknown) => console.error("Import worker failed; the next round tries again", error),
    )
    .finally(() => (state.running = undefined));
}

/** Stops between two rows (their progress is saved; another instance or the next start continues). */
export async function stopImportWorker(): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  state.abort?.abort();
  await state.running;
}
