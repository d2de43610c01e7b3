import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { controlImportJob } from "@/lib/imports/jobs";
import { kickImportWorker } from "@/lib/imports/runner";
import { ControlImportInput } from "@/lib/imports/schemas";

/** Start, pause, resume, cancel, or retry the failed rows; the worker picks a queued job up at once. */
export const POST = route<{ id: string }>("onboarding.write", async ({ params, request, user }) => {
  const { action } = await parseBody(request, ControlImportInput);
  const job = await controlImportJob(await getDb(), user, params.id, action);
  if (job.status === "queued") kickImportWorker();
  return { job };
});
