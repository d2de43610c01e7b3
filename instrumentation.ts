/**
 * Next calls register() once when a server instance starts. Periodic work that must happen
 * even when nobody looks at a page starts here; each job decides in the database (advisory lock
 * and guarded updates) so several instances never do it twice.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.SCHEDULED_JOBS === "off") return;
  const { startScheduledJobs } = await import("./lib/onboarding/scheduler");
  startScheduledJobs();
  const { startImportWorker } = await import("./lib/imports/runner");
  startImportWorker();
}
