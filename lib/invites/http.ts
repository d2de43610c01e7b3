import "server-only";
import { NextResponse } from "next/server";
import { InviteNotFoundError, RecentlySentError } from "./ledger";

/** The invite errors a person can act on, as JSON: 404, or 409 "recently_sent" (confirm to resend). */
export async function inviteErrors<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InviteNotFoundError) return NextResponse.json({ error: { code: "not_found", message: error.message } }, { status: 404 });
    if (error instanceof RecentlySentError) {
      return NextResponse.json({ error: { code: "recently_sent", message: error.message, lastSentAt: error.lastSentAt.toISOString() } }, { status: 409 });
    }
    throw error;
  }
}
