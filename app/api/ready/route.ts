import { NextResponse } from "next/server";
import { readiness } from "@/lib/db/readiness";

/**
 * Readiness, what a load balancer probes before sending traffic: the database answers and every
 * migration is applied. 503 otherwise. No session; the answer names no host, URL or error text.
 */
export async function GET(): Promise<Response> {
  const ready = await readiness();
  return NextResponse.json(ready, { status: ready.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
