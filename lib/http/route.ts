import "server-only";
import { NextResponse } from "next/server";
import { z, type ZodType } from "zod";
import { requirePermission, type SessionUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { AppError, ValidationError } from "@/lib/errors";
import { isId } from "@/lib/input/id";
import { trackRequest } from "@/lib/server/shutdown";
import { findTextProblems, type InputRules } from "@/lib/input/text";
import { errorResponse } from "./errors";
import { assertSameOrigin } from "./origin";

/**
 * Every route handler is built with `route()`, so each one reads like a sentence:
 * who is calling, may they, is the input valid, call the library, answer.
 * Before the handler runs, in this order: a state-changing request must come from the
 * dashboard's own pages (CSRF), the caller must hold the permission, every path id must have
 * the shape of an id, and an idempotent route must carry an Idempotency-Key.
 */
export interface RouteContext<P> {
  user: SessionUser;
  params: P;
  request: Request;
}

export interface RouteOptions {
  permission: Permission;
  /** The route creates something upstream: it needs an `Idempotency-Key` header (ctx.idempotencyKey). */
  idempotent?: boolean;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };
type Handler<P, K> = (ctx: RouteContext<P> & { idempotencyKey: K }) => Promise<unknown>;
type NextHandler = (request: Request, context: NextRouteContext) => Promise<Response>;
type Params = Record<string, string>;

export function route<P extends Params = Record<string, never>>(permission: Permission, handler: Handler<P, null>): NextHandler;
export function route<P extends Params = Record<string, never>>(options: RouteOptions & { idempotent: true }, handler: Handler<P, string>): NextHandler;
export function route<P extends Params = Record<string, never>>(
  spec: Permission | RouteOptions,
  handler: Handler<P, null> | Handler<P, string>,
): NextHandler {
  const options: RouteOptions = typeof spec === "string" ? { permission: spec } : spec;
  // Counted while the handler runs, so a shutdown without Next's own signal handling still
  // waits for it (lib/server/shutdown.ts); Next itself waits for the connection.
  return (request, context) => trackRequest(async () => {
    try {
      assertSameOrigin(request);
      const user = await requirePermission(options.permission);
      const params = checkParams<P>((await context?.params) ?? {});
      const idempotencyKey = options.idempotent ? readIdempotencyKey(request) : null;
      // The overloads tie idempotencyKey's type to `idempotent`.
      const result = await (handler as Handler<P, string | null>)({ user, params, request, idempotencyKey });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error, request);
    }
  });
}

/** Path ids are checked before any lookup: a NUL, a 1 MB id or a slash never reaches the database or upstream. */
function checkParams<P>(raw: Record<string, string | string[]>): P {
  const bad = Object.entries(raw).filter(([, value]) => typeof value !== "string" || !isId(value));
  if (bad.length > 0) throw new ValidationError(Object.fromEntries(bad.map(([name]) => [name, ["invalidId"]])), "The address contains an invalid id.");
  return raw as P;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

function readIdempotencyKey(request: Request): string {
  const key = request.headers.get("idempotency-key")?.trim();
  if (!key || !IDEMPOTENCY_KEY.test(key)) throw new ValidationError({ idempotencyKey: ["required"] }, "An Idempotency-Key header (1–200 letters, digits, - _ . :) is required.");
  return key;
}

export function parseWith<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  return parsed.data;
}

/** Hygiene first (control characters, lengths), then the schema: both answer 400 with field errors. */
function parseInput<T>(schema: ZodType<T>, input: unknown, rules?: InputRules): T {
  const problems = findTextProblems(input, rules);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems, "Some fields contain characters or lengths that are not allowed.");
  return parseWith(schema, input);
}

export function parseQuery<T>(request: Request, schema: ZodType<T>): T {
  return parseInput(schema, Object.fromEntries(new URL(request.url).searchParams));
}

/** Largest request body: a 2 MB PDF as base64 and the rest of a registration fit. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function parseBody<T>(request: Request, schema: ZodType<T>, rules?: InputRules, options: { maxBytes?: number } = {}): Promise<T> {
  const text = await readText(request, options.maxBytes ?? MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
  return parseInput(schema, body, rules);
}

/** The body as text, refusing more than `limit` bytes without reading it all into memory. */
async function readText(request: Request, limit: number): Promise<string> {
  const tooLarge = () => new AppError(413, "too_large", `The request body is larger than ${limit / 1024 / 1024} MB.`);
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  // fatal: invalid UTF-8 is refused instead of being turned into U+FFFD silently.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid UTF-8.");
  }
}

export { errorResponse } from "./errors";
