import "server-only";
import { getDb } from "@/lib/db";
import { getPartnerClient } from "@/lib/partner-api";
import { removeDueUsers } from "./sweep";

const SWEEP_INTERVAL_MS = 60_000;
const state = ((globalThis as { __zfScheduler?: { timer?: NodeJS.Timeout } }).__zfScheduler ??= {});

/** Once per process (hot reloads included): the tenant-change user removals that are due. */
export function startScheduledJobs(): void {
  if (state.timer) return;
  state.timer = setInterval(() => {
    void getDb()
      .then((db) => removeDueUsers(db, getPartnerClient()))
      .catch((error: unknown) => console.error("Scheduled user removal failed", error));
  }, SWEEP_INTERVAL_MS);
  state.timer.unref();
}
