import { getDb } from "@/lib/db";
import { registerDevice } from "@/lib/devices/register";
import { RegisterDeviceInput } from "@/lib/devices/schemas";
import { parseBody, route } from "@/lib/http/route";
import { getPartnerClient } from "@/lib/partner-api";

/** Registers a device of one of the five kinds in the space, once per Idempotency-Key. */
export const POST = route<{ id: string }>({ permission: "devices.write", idempotent: true }, async ({ params, request, user, idempotencyKey }) => {
  // The declaration of consent is a base64 PDF of up to 2 MB; every other field is short.
  const registration = await parseBody(request, RegisterDeviceInput, { longFields: new Set(["declarationOfConsent"]) });
  return registerDevice(await getDb(), getPartnerClient(), user, params.id, registration, idempotencyKey);
});
