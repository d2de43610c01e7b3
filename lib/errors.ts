/**
 * The dashboard's one error type (../shared/DESIGN.md, "Errors"): an HTTP status, a stable code
 * that the UI translates, and a message that is safe to show anybody. Domain code throws these;
 * `route()` (lib/http/route.ts) answers them as JSON. Anything that is not an AppError becomes a
 * 500 with an error id that the server log carries next to the full cause.
 *
 * No `server-only` and no HTTP imports: the browser bundles the type for `instanceof`-free code
 * sharing, and domain code must not depend on the HTTP layer.
 */
/** Where an AppError keeps the kinds it is (its class and every AppError class above it). */
const KINDS = Symbol.for("zf.AppError.kinds");

export class AppError extends Error {
  /**
   * Each AppError class names itself here. `instanceof` compares these names when the prototypes
   * differ: Next compiles `instrumentation.ts` (the background jobs) into its own bundle with its own
   * copy of this module, and an error thrown by the shared partner client from one copy must still
   * be a PartnerApiError to the other (a 404 upstream is a 404 here, not a 500).
   */
  static readonly kind: string = "AppError";

  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kinds = value !== null && typeof value === "object" ? (value as Record<symbol, unknown>)[KINDS] : undefined;
    return Array.isArray(kinds) && Object.hasOwn(this, "kind") && kinds.includes(this.kind);
  }

  constructor(
    /** What the dashboard answers the browser with. */
    readonly httpStatus: number,
    /** Stable, machine-readable: the UI translates it (messages "errors.<code>"). */
    readonly code: string,
    /** Safe for the browser: never SQL, a stack, an upstream body, a token or a secret. */
    message: string,
    /** More safe fields for the JSON body (e.g. `fieldErrors`, `retryAfterMs`). */
    readonly extra: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }

  /** What the browser reads; subclasses whose message carries internal detail override it. */
  get publicMessage(): string {
    return this.message;
  }
}

function kindsOf(ctor: unknown): string[] {
  const kinds: string[] = [];
  for (let c = ctor as { kind?: string } | null; c && c !== Error; c = Object.getPrototypeOf(c)) if (Object.hasOwn(c, "kind") && typeof c.kind === "string") kinds.push(c.kind);
  return kinds;
}

/** 400 with errors keyed by the form's own field names (dots for nested: `readings.0.value`). */
export class ValidationError extends AppError {
  static override readonly kind: string = "ValidationError";
  constructor(
    readonly fieldErrors: Record<string, string[]>,
    message = "The input is not valid.",
  ) {
    super(400, "invalid_input", message, { fieldErrors });
  }
}

/** 404: the record is unknown (or gone). */
export class NotFoundError extends AppError {
  static override readonly kind: string = "NotFoundError";
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

/**
 * What a person may read about any failure: an AppError's safe message, otherwise a generic
 * sentence. For status fields that outlive a request (index state, live-data banners); the full
 * error belongs in the server log.
 */
export function publicMessageOf(error: unknown): string {
  return error instanceof AppError ? error.publicMessage : "An unexpected error occurred. It has been logged.";
}

/** The stable code of any failure, for the UI to translate. */
export function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : "internal";
}
