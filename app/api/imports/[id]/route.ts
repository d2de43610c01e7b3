import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { getImportJob, replanImportJob } from "@/lib/imports/jobs";
import { ReplanImportInput } from "@/lib/imports/schemas";
import { getPartnerClient } from "@/lib/partner-api";

export const GET = route<{ id: string }>("onboarding.write", async ({ params, user }) => ({ job: await getImportJob(await getDb(), user, params.id) }));

/** A corrected column mapping or "update/skip existing": every row is checked again (drafts only). */
export const PATCH = route<{ id: string }>("onboarding.write", async ({ params, request, user }) => {
  const input = await parseBody(request, ReplanImportInput);
  return { job: await replanImportJob(await getDb(), getPartnerClient(), user, params.id, input) };
});
