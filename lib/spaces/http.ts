import "server-only";
import { getDb, type Database } from "@/lib/db";
import { getPartnerClient, type PartnerClient } from "@/lib/partner-api";
import { ensureIndexFresh } from "./index";

/** What every spaces handler needs: the process-wide database and partner client. */
export async function spaceDeps(): Promise<{ db: Database; client: PartnerClient }> {
  return { db: await getDb(), client: getPartnerClient() };
}

/** For read handlers: the dependencies, with the index built (first time) or refreshing in the background (stale). */
export async function freshSpaceDeps(): Promise<{ db: Database; client: PartnerClient }> {
  const deps = await spaceDeps();
  await ensureIndexFresh(deps.db, deps.client);
  return deps;
}
