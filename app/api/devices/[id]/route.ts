import { NextResponse } from "next/server";
import { findDevice } from "@/lib/devices/lookup";
import { route } from "@/lib/http/route";
import { freshSpaceDeps } from "@/lib/spaces/http";

type Params = { id: string };

/** One device, live, with the spaces it is linked to; 404 when no indexed space holds it. */
export const GET = route<Params>("devices.read", async ({ params }) => {
  const { db, client } = await freshSpaceDeps();
  const detail = await findDevice(db, client, params.id);
  if (detail) return detail;
  return NextResponse.json({ error: { code: "not_found", message: `No space known to the dashboard holds device ${params.id}.` } }, { status: 404 });
});
