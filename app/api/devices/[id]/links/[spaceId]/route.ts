import { unlinkDevice } from "@/lib/devices/writes";
import { route } from "@/lib/http/route";
import { spaceDeps } from "@/lib/spaces/http";

/** Unlinks the device from one space (managers); the device and its readings stay. */
export const DELETE = route<{ id: string; spaceId: string }>("devices.delete", async ({ params, user }) => {
  const { db, client } = await spaceDeps();
  await unlinkDevice(db, client, user, params.id, params.spaceId);
  return { ok: true };
});
