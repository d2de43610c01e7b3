import { NextResponse } from "next/server";
import { setPasswordWithLink } from "@/lib/auth/password-links";
import { SetPasswordInput } from "@/lib/auth/set-password-schema";
import { getDb } from "@/lib/db";
import { errorResponse } from "@/lib/http/errors";
import { assertSameOrigin } from "@/lib/http/origin";
import { parseBody } from "@/lib/http/route";
import { auditSafely } from "@/lib/audit";

/**
 * Sets a password through a one-time link: no session (the person has none yet), but only from
 * the dashboard's own page, and the 256-bit token is the credential. The link works once.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request);
    const input = await parseBody(request, SetPasswordInput);
    const db = await getDb();
    const { email } = await setPasswordWithLink(db, input.token, input.password);
    await auditSafely(db, { actor: null, action: "staff.setPassword", target: { type: "staff", id: email }, summary: "Password set through a one-time link", outcome: "ok" });
    return NextResponse.json({ email });
  } catch (error) {
    return errorResponse(error, request);
  }
}
