import { NextResponse } from "next/server";
import { z } from "zod";
import { parseBody, route } from "@/lib/http/route";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";

const LocaleInput = z.object({ locale: z.enum(LOCALES) });

/**
 * Switches the UI language (a cookie); the caller refreshes the router. A route handler, not a
 * server action: the dashboard has no server actions, so the proxy refuses every non-GET page request.
 */
export const POST = route("system.status", async ({ request }) => {
  const { locale } = await parseBody(request, LocaleInput);
  const response = NextResponse.json({ locale });
  response.cookies.set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
  return response;
});
