import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { getImportJob } from "@/lib/imports/jobs";
import { listPresets, savePreset } from "@/lib/imports/presets";
import { SavePresetInput } from "@/lib/imports/schemas";

/** Saved column mappings, shared by all staff. */
export const GET = route("onboarding.write", async () => ({ presets: await listPresets(await getDb()) }));

/** Saves the mapping shown for a job under a name, as header names (so it fits the next export of the same ERP). */
export const POST = route("onboarding.write", async ({ request, user }) => {
  const input = await parseBody(request, SavePresetInput);
  const db = await getDb();
  const job = await getImportJob(db, user, input.jobId);
  return { preset: await savePreset(db, user, input.name, job.headers, input.mapping) };
});
