import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { createOnboarding, listOpenOnboardings } from "@/lib/onboarding/drafts";
import { CreateOnboardingInput } from "@/lib/onboarding/schemas";

/** The caller's unfinished onboardings and tenant changes, to resume. */
export const GET = route("onboarding.write", async ({ user }) => ({ onboardings: await listOpenOnboardings(await getDb(), user) }));

/** A new draft (a tenant change starts from the contract that ends). */
export const POST = route("onboarding.write", async ({ request, user }) => {
  const input = await parseBody(request, CreateOnboardingInput);
  return { onboarding: await createOnboarding(await getDb(), user, input.kind, input.previousContractId) };
});
