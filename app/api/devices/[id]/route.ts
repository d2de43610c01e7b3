import { DeviceNotFoundError, findDevice } from "@/lib/devices/lookup";
import { EditDeviceInput } from "@/lib/devices/schemas";
import { deleteDevice, editDevice } from "@/lib/devices/writes";
import { parseBody, route } from "@/lib/http/route";
import { freshSpaceDeps, spaceDeps } from "@/lib/spaces/http";

type Params = { id: string };

/** One device, live, with the spaces it is linked to; 404 when no indexed space holds it. */
export const GET = route<Params>("devices.read", async ({ params }) => {
  const { db, client } = await freshSpaceDeps();
  const detail = await findDevice(db, client, params.id);
  if (!detail) throw new DeviceNotFoundError(params.id);
  return detail;
});

/** Edits name, main device, grid, external id, MeLo or serial number (through the space given). */
export const PATCH = route<Params>("devices.write", async ({ params, request, user }) => {
  const input = await parseBody(request, EditDeviceInput);
  const { db, client } = await spaceDeps();
  await editDevice(db, client, user, params.id, input);
  return { ok: true };
});

/** Deletes the device and its readings (managers). */
export const DELETE = route<Params>("devices.delete", async ({ params, user }) => {
  const { db, client } = await spaceDeps();
  const detail = await findDevice(db, client, params.id);
  if (!detail) throw new DeviceNotFoundError(params.id);
  await deleteDevice(db, client, user, params.id, detail.spaces.map((s) => s.id));
  return { ok: true };
});
