import { NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import { findDevice } from "@/lib/devices/lookup";
import { parseBody, parseQuery, route } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";
import { NeedsConfirmationError, storeManualReadings } from "@/lib/readings/server";
import { ReadingsRangeQuery, SubmitReadingsInput } from "@/lib/readings/validation";

type Params = { id: string };

/** One series of the device (POWER, ENERGY or METER_READING at a resolution) over a range, from the API. */
export const GET = route<Params>("readings.read", async ({ params, request }) => {
  const query = parseQuery(request, ReadingsRangeQuery);
  const points = await getPartnerClient().getReadingsByDevice(params.id, {
    measurement: query.measurement,
    resolution: query.resolution,
    startTime: new Date(query.start).toISOString(),
    endTime: new Date(query.end).toISOString(),
  });
  return { points };
});

/** Manually entered readings; 409 `needs_confirmation` with the warnings unless confirmed. */
export const POST = route<Params>("readings.write", async ({ params, request, user }) => {
  const input = await parseBody(request, SubmitReadingsInput);
  const db = await getDb();
  const client = getPartnerClient();
  const detail = await findDevice(db, client, params.id);
  if (!detail) return NextResponse.json({ error: { code: "not_found", message: `No space known to the dashboard holds device ${params.id}.` } }, { status: 404 });
  try {
    return await storeManualReadings(db, client, user, detail, input);
  } catch (error) {
    if (error instanceof NeedsConfirmationError) {
      return NextResponse.json({ error: { code: "needs_confirmation", message: error.message, findings: error.findings } }, { status: 409 });
    }
    throw error;
  }
});
