import { NextResponse } from "next/server";
import { readiness } from "@/lib/db/readiness";
import { isShuttingDown } from "@/lib/server/shutdown";

/**
 * Readiness, what a load balancer probes before sending traffic: the database answers and every
 * migration is applied. 503 otherwise, and at once from SIGTERM on while the instance drains
 * (lib/server/shutdown.ts). No session; the answer names no host, URL or error text.
 */
export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  if (isShuttingDown()) return NextResponse.json({ ok: false, shuttingDown: true }, { status: 503, headers });
  const ready = await readiness();
  return NextResponse.json(ready, { status: ready.ok ? 200 : 503, headers });
}
