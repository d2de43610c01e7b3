import { z } from "zod";
import { Id } from "@/lib/input/id";
import { linkDevice } from "@/lib/devices/writes";
import { parseBody, route } from "@/lib/http/route";
import { spaceDeps } from "@/lib/spaces/http";

const LinkInput = z.object({ spaceId: Id, isMainDevice: z.boolean().optional(), excludedFromCost: z.boolean().optional() });

/** Links the device to another space as well. */
export const POST = route<{ id: string }>("devices.write", async ({ params, request, user }) => {
  const { spaceId, ...link } = await parseBody(request, LinkInput);
  const { db, client } = await spaceDeps();
  await linkDevice(db, client, user, params.id, spaceId, link);
  return { ok: true };
});
