import "server-only";
import { randomBytes } from "node:crypto";
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { PartnerApiError } from "@/lib/partner-api";

/**
 * Any failure as JSON `{ error: { code, message, errorId, … } }`. The browser only ever gets an
 * AppError's safe message; everything else is a 500 "internal". The short error id is in the
 * answer and in the server log line that carries the full error (SQL, stack, upstream body), so
 * a person can quote it and an operator can find the cause.
 */
export function errorResponse(error: unknown, request?: Request): Response {
  const errorId = randomBytes(4).toString("hex");
  const where = request ? `${request.method} ${safePath(request)}` : "";
  if (error instanceof AppError) {
    const status = error.httpStatus;
    // The caller's own mistakes (4xx but upstream ones) are routine: one short line, no stack.
    if (status >= 500 || error instanceof PartnerApiError) console.error(`[error ${errorId}] ${where} → ${status} ${error.code}`, error);
    else if (status !== 401) console.warn(`[error ${errorId}] ${where} → ${status} ${error.code}`);
    const retryAfterMs = typeof error.extra.retryAfterMs === "number" ? error.extra.retryAfterMs : undefined;
    return NextResponse.json(
      { error: { ...error.extra, code: error.code, message: error.publicMessage, errorId } },
      { status, headers: retryAfterMs === undefined ? undefined : { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) } },
    );
  }
  console.error(`[error ${errorId}] ${where} → 500 internal`, error);
  return NextResponse.json({ error: { code: "internal", message: "An unexpected error occurred. It has been logged.", errorId } }, { status: 500 });
}

/** The path for the log, without the query (it may hold an e-mail) and cut short. */
function safePath(request: Request): string {
  try {
    return new URL(request.url).pathname.slice(0, 200);
  } catch {
    return "?";
  }
}
