import { getDb } from "@/lib/db";
import { registerDevice } from "@/lib/devices/register";
import { RegisterDeviceInput } from "@/lib/devices/schemas";
import { parseBody, route, ValidationError } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";

/** Registers a device of one of the five kinds in the space, once per Idempotency-Key. */
export const POST = route<{ id: string }>("devices.write", async ({ params, request, user }) => {
  const key = request.headers.get("idempotency-key")?.trim();
  if (!key || key.length > 200) throw new ValidationError({ idempotencyKey: ["required"] }, "The Idempotency-Key header is required.");
  const registration = await parseBody(request, RegisterDeviceInput);
  return registerDevice(await getDb(), getPartnerClient(), user, params.id, registration, key);
});
