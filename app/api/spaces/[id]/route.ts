import { parseBody, route } from "@/lib/http/route";
import { getSpaceDetail } from "@/lib/spaces/detail";
import { freshSpaceDeps, spaceDeps } from "@/lib/spaces/http";
import { deleteSpace, SpaceNotFoundError, updateSpace } from "@/lib/spaces/writes";
import { DeleteSpaceInput, UpdateSpaceInput } from "@/lib/spaces/validation";

type Params = { id: string };

/** The space page: index data plus live devices and users (null with upstreamError if upstream fails). */
export const GET = route<Params>("spaces.read", async ({ params }) => {
  const { db, client } = await freshSpaceDeps();
  const detail = await getSpaceDetail(db, client, params.id);
  if (!detail) throw new SpaceNotFoundError(params.id);
  return detail;
});

/** Only the changed fields; a move is refused (400) when it would create a cycle or the parent is unknown. */
export const PATCH = route<Params>("spaces.write", async ({ params, request, user }) => {
  const input = await parseBody(request, UpdateSpaceInput);
  const { db, client } = await spaceDeps();
  return updateSpace(db, client, user, params.id, input);
});

/** Needs the space's name typed again; an upstream 409 (sub-spaces left) passes through. */
export const DELETE = route<Params>("spaces.delete", async ({ params, request, user }) => {
  const input = await parseBody(request, DeleteSpaceInput);
  const { db, client } = await spaceDeps();
  await deleteSpace(db, client, user, params.id, input);
  return { ok: true as const };
});
