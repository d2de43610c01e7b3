import { z } from "zod";
import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { Id } from "@/lib/input/id";
import { runOnboarding } from "@/lib/onboarding/run";
import { getPartnerClient } from "@/lib/partner-api";

const RunInput = z.object({ deviceId: Id.optional() });

/** Carries out (or continues) the onboarding; every step is safe to repeat. `deviceId`: the wizard registered the meter. */
export const POST = route<{ id: string }>("onboarding.write", async ({ params, request, user }) => {
  const { deviceId } = await parseBody(request, RunInput);
  return { onboarding: await runOnboarding(await getDb(), getPartnerClient(), user, params.id, { deviceId }) };
});
