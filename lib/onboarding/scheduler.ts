import "server-only";
import { getDb } from "@/lib/db";
import { getPartnerClient } from "@/lib/partner-api";
import { isShuttingDown, onShutdown } from "@/lib/server/shutdown";
import { removeDueUsers } from "./sweep";

const SWEEP_INTERVAL_MS = 60_000;
const state = ((globalThis as { __zfScheduler?: { timer?: NodeJS.Timeout; running?: Promise<void> } }).__zfScheduler ??= {});

/** Once per process (hot reloads included): the tenant-change user removals that are due. */
export function startScheduledJobs(): void {
  if (state.timer || isShuttingDown()) return;
  state.timer = setInterval(() => {
    if (state.running) return; // the last sweep is still at work
    state.running = getDb()
      .then((db) => removeDueUsers(db, getPartnerClient()))
      .then(
        () => undefined,
        (error: unknown) => console.error("Scheduled user removal failed", error),
      )
      .finally(() => (state.running = undefined));
  }, SWEEP_INTERVAL_MS);
  state.timer.unref();
  onShutdown("scheduled jobs", stopScheduledJobs);
}

/** No further sweeps; resolves once a running one has finished (it uses the database). */
export async function stopScheduledJobs(): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  await state.running;
}
