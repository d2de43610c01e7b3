import { getDb } from "@/lib/db";
import { parseBody, route } from "@/lib/http/route";
import { discardOnboarding, getOnboarding, saveDraft, toView } from "@/lib/onboarding/drafts";
import { SaveDraftInput } from "@/lib/onboarding/schemas";

type Params = { id: string };

export const GET = route<Params>("onboarding.write", async ({ params, user }) => ({ onboarding: toView(await getOnboarding(await getDb(), user, params.id)) }));

/** Saves the draft; with `validate`, that step's fields must be valid (400 with field errors, values saved anyway). */
export const PATCH = route<Params>("onboarding.write", async ({ params, request, user }) => {
  const input = await parseBody(request, SaveDraftInput);
  return { onboarding: await saveDraft(await getDb(), user, params.id, input) };
});

export const DELETE = route<Params>("onboarding.write", async ({ params, user }) => {
  await discardOnboarding(await getDb(), user, params.id);
  return { ok: true };
});
