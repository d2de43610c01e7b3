import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { getOnboarding } from "@/lib/onboarding/drafts";
import { findDuplicates } from "@/lib/onboarding/duplicates";

/** What exists already for this draft (customer, contract, meter, address), before anything is sent. */
export const GET = route<{ id: string }>("onboarding.write", async ({ params, user }) => {
  const db = await getDb();
  const row = await getOnboarding(db, user, params.id);
  const v = row.values as Record<string, string | undefined>;
  return findDuplicates(db, { customerNumber: v.customerNumber, contractNumber: v.contractNumber, meterId: v.meterId, addressLineOne: v.addressLineOne, postcode: v.postcode, parentSpaceId: v.parentSpaceId || undefined });
});
