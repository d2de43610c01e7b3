import { route } from "@/lib/http/route";
import { getIndexStatus, resumeUnfinishedRefresh, startBackgroundRefresh } from "@/lib/spaces/index";
import { spaceDeps } from "@/lib/spaces/http";
import type { IndexStatus } from "@/lib/spaces/types";

/** State and progress of the space index; a refresh a dead instance left unfinished is taken over. */
export const GET = route("spaces.read", async (): Promise<IndexStatus> => {
  const { db, client } = await spaceDeps();
  await resumeUnfinishedRefresh(db, client);
  return getIndexStatus(db);
});

/** "Refresh now": starts a refresh (reading upstream is not a partner write, so spaces.read) and answers the status at once. */
export const POST = route("spaces.read", async (): Promise<IndexStatus> => {
  const { db, client } = await spaceDeps();
  void startBackgroundRefresh(db, client);
  return getIndexStatus(db);
});
