import { parseBody, route } from "@/lib/http/route";
import { getSpaceDetail } from "@/lib/spaces/detail";
import { freshSpaceDeps, spaceDeps, spaceNotFound } from "@/lib/spaces/http";
import { deleteSpace, SpaceNotFoundError, updateSpace } from "@/lib/spaces/writes";
import { DeleteSpaceInput, UpdateSpaceInput } from "@/lib/spaces/validation";

type Params = { id: string };

/** The space page: index data plus live devices and users (null with upstreamError if upstream fails). */
export const GET = route<Params>("spaces.read", async ({ params }) => {
  const { db, client } = await freshSpaceDeps();
  return (await getSpaceDetail(db, client, params.id)) ?? spaceNotFound(params.id);
});

/** Only the changed fields; a move is refused (400) when it would create a cycle or the parent is unknown. */
export const PATCH = route<Params>("spaces.write", async ({ params, request, user }) => {
  const input = await parseBody(request, UpdateSpaceInput);
  const { db, client } = await spaceDeps();
  return notFoundAs404(params.id, () => updateSpace(db, client, user, params.id, input));
});

/** Needs the space's name typed again; an upstream 409 (sub-spaces left) passes through. */
export const DELETE = route<Params>("spaces.delete", async ({ params, request, user }) => {
  const input = await parseBody(request, DeleteSpaceInput);
  const { db, client } = await spaceDeps();
  return notFoundAs404(params.id, async () => {
    await deleteSpace(db, client, user, params.id, input);
    return { ok: true as const };
  });
});

async function notFoundAs404<T>(id: string, run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SpaceNotFoundError) return spaceNotFound(id);
    throw error;
  }
}
