import { NextResponse } from "next/server";

/**
 * Liveness for a load balancer or orchestrator: the process answers. No session, no detail
 * (nothing about the database, the partner API or the version).
 */
export function GET(): Response {
  return NextResponse.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
