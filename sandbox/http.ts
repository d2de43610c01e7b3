/** Tiny JSON-over-node:http helpers: errors are always `{ "message": "..." }`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message: string) => new HttpError(404, message);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** 200 without a body: the spec's write operations document none. */
export function sendEmpty(res: ServerResponse): void {
  res.writeHead(200, { "content-length": 0 });
  res.end();
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendJson(res, error.status, { message: error.message }, error.headers);
    return;
  }
  console.error("sandbox: unexpected error", error);
  sendJson(res, 500, { message: "Internal sandbox error" });
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The raw body; always read in full so keep-alive connections stay usable whatever we answer. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The parsed JSON body, or undefined when there is none. */
export function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("body: invalid JSON");
  }
}

/** `readings[0].timestamp: <problem>`, one clause per issue, so a client can show it as is. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
        .join("");
      return `${path || "body"}: ${issue.message}`;
    })
    .join("; ");
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(formatIssues(result.error));
  return result.data;
}
