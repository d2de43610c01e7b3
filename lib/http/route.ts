import "server-only";
import { NextResponse } from "next/server";
import { z, type ZodType } from "zod";
import { AuthError, requirePermission, type SessionUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { PartnerApiError } from "@/lib/partner-api";
import { IdempotencyConflictError, IdempotencyMismatchError } from "@/lib/idempotency";

/**
 * Every route handler is built with `route()`, so each one reads like a sentence:
 * who is calling, may they, is the input valid, call the library, answer.
 * The session and permission check comes first and cannot be forgotten.
 */
export interface RouteContext<P> {
  user: SessionUser;
  params: P;
  request: Request;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export function route<P extends Record<string, string> = Record<string, never>>(
  permission: Permission,
  handler: (ctx: RouteContext<P>) => Promise<unknown>,
) {
  return async (request: Request, context: NextRouteContext): Promise<Response> => {
    try {
      const user = await requirePermission(permission);
      const params = ((await context?.params) ?? {}) as P;
      const result = await handler({ user, params, request });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A 400 whose field errors the form shows at each field. */
export class ValidationError extends Error {
  constructor(readonly fieldErrors: Record<string, string[]>, message = "The input is not valid.") {
    super(message);
  }
}

export function parseWith<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  return parsed.data;
}

export function parseQuery<T>(request: Request, schema: ZodType<T>): T {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams));
}

export async function parseBody<T>(request: Request, schema: ZodType<T>): Promise<T> {
  const body: unknown = await request.json().catch(() => {
    throw new ValidationError({}, "The request body is not valid JSON.");
  });
  return parseWith(schema, body);
}

function json(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return NextResponse.json({ error: { code, message, ...extra } }, { status });
}

/** Turn any failure into a clear JSON error; an upstream problem is never a 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AuthError) {
    return json(error.status, error.status === 401 ? "unauthorized" : "forbidden", error.message);
  }
  if (error instanceof ValidationError) {
    return json(400, "invalid_input", error.message, { fieldErrors: error.fieldErrors });
  }
  if (error instanceof PartnerApiError) {
    const { status, body } = error.toHttpError();
    return NextResponse.json(body, { status });
  }
  if (error instanceof IdempotencyConflictError) return json(409, "in_progress", error.message, { retryable: true });
  if (error instanceof IdempotencyMismatchError) return json(422, "idempotency_mismatch", error.message);
  console.error("Unexpected error in a route handler", error);
  return json(500, "internal", "An unexpected error occurred. It has been logged.");
}
