import { getDb } from "@/lib/db";
import { DeviceNotFoundError, findDevice } from "@/lib/devices/lookup";
import { parseBody, parseQuery, route } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";
import { storeManualReadings } from "@/lib/readings/server";
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
  if (!detail) throw new DeviceNotFoundError(params.id);
  return storeManualReadings(db, client, user, detail, input);
});
