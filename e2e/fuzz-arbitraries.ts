/**
 * fast-check generators for e2e/fuzz.spec.ts: hostile requests against the dashboard's route
 * handlers, its pages and next-auth's endpoints. A request is a compact description (a 1 MB body
 * is a "repeat" until it is sent), so thousands of them fit in memory; `materialize` builds the
 * bytes. Every part carries a short label, so a failure says what was sent.
 */
import fc from "fast-check";

/** Text that may be huge: built only when the request is sent. */
export type Text = string | { repeat: string; times: number; before?: string; after?: string };

export function textOf(t: Text): string {
  return typeof t === "string" ? t : `${t.before ?? ""}${t.repeat.repeat(t.times)}${t.after ?? ""}`;
}

export type Poison = { json: unknown } | { raw: Text } | { drop: true };

export type Body =
  | { kind: "none" }
  /** JSON.stringify'd here, not by Playwright: NUL and lone surrogates become \u0000 / \ud800 escapes. */
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: Text }
  | { kind: "bytes"; hex: string }
  | { kind: "template"; base: Record<string, unknown>; path: string[]; poison: Poison }
  | { kind: "form"; pairs: [string, Text][] };

export interface FuzzRequest {
  /** "METHOD /template", for grouping. */
  target: string;
  method: string;
  /** Already URL-encoded pieces, joined as they are. */
  path: Text[];
  query: [string, Text][];
  headers: Record<string, string>;
  body: Body;
  /** What was sent, in words. */
  sent: string;
}

type Labeled<T> = { value: T; label: string };
const labeled = <T>(value: T, label: string): Labeled<T> => ({ value, label });

/** A short, printable description of a value (NUL, surrogates and huge strings stay readable). */
export function describe(value: unknown, max = 70): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
}

// ---- URL pieces --------------------------------------------------------------------------------

const hex2 = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`;

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate (which encodeURIComponent refuses)
 * becomes its WTF-8 bytes: invalid UTF-8 on the wire, which is the point.
 */
export function encodeSegment(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map(hex2).join("");
    } else {
      out += encodeURIComponent(s[i]);
    }
  }
  return out;
}

/** Characters that break naive code: NUL, lone surrogates, bidi overrides, separators, quotes. */
const NASTY_CHARS = ["\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "\u0085", "\u2028", "/", "\\", "%", ".", "\n", "\r", "\t", "'", '"', "<", "&", "?", "#", "+", ";", " "];

/** Strings of nasty characters, graphemes and any code points (astral, control) mixed. */
export const nastyString = (maxLength = 12): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...NASTY_CHARS), fc.string({ unit: "grapheme", maxLength: 3 }), fc.string({ unit: "binary", maxLength: 2 })), {
      minLength: 1,
      maxLength,
    })
    .map((parts) => parts.join(""));

/** Path segments, already encoded. Never a real id: seeded ids are random UUIDs. */
const HOSTILE_SEGMENTS = [
  "%00", "a%00b", "%", "%zz", "%2", "..", ".", "%2F", "%2f..%2f", "..%2F..%2F..%2Fstatus", "%2e%2e", "%2e%2e%2f", "%252e%252e", "%25",
  "%5C", "%5C..%5C", "%C0%AE%C0%AE", "%ED%A0%80", "%ED%BF%BF", "%FF%FE", "%E2%80%AE", "%EF%BB%BF", "%0A", "%0D%0A", "%20", "+", "%3F",
  "%23", "%26", ";", "'%20OR%20'1'%3D'1", "1)%20OR%20(1%3D1", "%22", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "null", "undefined", "root",
  "orphans", "0", "-1", "NaN", "1e309", "__proto__", "constructor", "prototype", "toString", "%5Bobject%20Object%5D", "%7B%7D", "*",
  "%F0%9F%98%80", "%C3%A4%C3%B6%C3%BC", "x".repeat(201), "CON", "%u0000", "%%30%30",
];

const hugeText = (units: string[], sizes: number[]) =>
  fc
    .record({ unit: fc.constantFrom(...units), size: fc.constantFrom(...sizes) })
    .map(({ unit, size }) => labeled<Text>({ repeat: unit, times: Math.ceil(size / unit.length) }, `${size} chars of ${describe(unit)}`));

export const idArb: fc.Arbitrary<Labeled<Text>> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid().map((u) => labeled<Text>(u, "a generated uuid")) },
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((s) => labeled<Text>(s, `id ${describe(s)}`)) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 }).map((s) => labeled<Text>(encodeSegment(s), `unicode id ${describe(s)}`)) },
  { weight: 3, arbitrary: nastyString().map((s) => labeled<Text>(encodeSegment(s), `id ${describe(s)}`)) },
  { weight: 1, arbitrary: hugeText(["a", "%00", "%F0%9F%98%80", "%2F", "%"], [8_000, 1 << 20]).map((t) => labeled(t.value, `id of ${t.label}`)) },
);

// ---- query strings -----------------------------------------------------------------------------

const SPACE_CATEGORIES = ["APARTMENT_BUILDING", "FLAT", "REGION", "ROOM", "HOTEL", "GROUPING"];

/** The query keys each GET handler reads, with plausible values (so some requests get past validation). */
const QUERY_KEYS: Record<string, Record<string, fc.Arbitrary<string>>> = {
  "/api/spaces": { page: fc.integer({ min: -2, max: 5 }).map(String), pageSize: fc.constantFrom("25", "50", "100", "0", "101") },
  "/api/spaces/search": { q: fc.string({ maxLength: 20 }), limit: fc.integer({ min: -1, max: 60 }).map(String) },
  "/api/spaces/tree": { parent: fc.oneof(fc.constantFrom("root", "orphans"), fc.uuid()), category: fc.constantFrom(...SPACE_CATEGORIES, "") },
  "/api/spaces/tree/path": { id: fc.uuid() },
  "/api/invites": {
    status: fc.constantFrom("pending", "accepted", "revoked", "PENDING"),
    spaceId: fc.uuid(),
    accessRoleId: fc.uuid(),
    createdBy: fc.constantFrom("staff@example.com", "x"),
    olderThanDays: fc.integer({ min: -1, max: 4000 }).map(String),
    q: fc.string({ maxLength: 20 }),
    sort: fc.constantFrom("createdAt", "lastSentAt", "email", "status", "id"),
    dir: fc.constantFrom("asc", "desc", "sideways"),
    page: fc.integer({ min: -1, max: 3 }).map(String),
    pageSize: fc.integer({ min: 0, max: 250 }).map(String),
  },
  "/api/devices/[id]/readings": {
    measurement: fc.constantFrom("POWER", "ENERGY", "METER_READING", "VOLTAGE"),
    resolution: fc.constantFrom("15_MIN", "1_HOUR", "1_DAY", "1_YEAR"),
    start: fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
    end: fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  },
  "/api/spaces/[id]/activity": { before: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), fc.constant("9".repeat(40))) },
  "/api/auth/[...nextauth]": { callbackUrl: fc.constantFrom("/spaces", "//evil.example", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"), error: fc.constantFrom("CredentialsSignin", "Configuration"), csrf: fc.constant("true") },
};
const GENERIC_KEYS = ["q", "id", "parent", "page", "callbackUrl", "__proto__", "constructor", "%00", "a%5B%5D", "a[b]", "%ED%A0%80"];

const HOSTILE_QUERY_VALUES = [
  "%00", "a%00b", "%", "%zz", "%ED%A0%80", "%FF", "", "%20", "+", "-1", "0", "1e309", "NaN", "Infinity", "0x10", "9007199254740993",
  "1.5", "%5B%5D", "root", "orphans", "'%20OR%20'1'%3D'1", "%3Cscript%3E", "%E2%80%AE", "%0D%0ASet-Cookie:%20x=1", "%25", "%2F..%2F..",
];

const hostileQueryValue: fc.Arbitrary<Labeled<Text>> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_QUERY_VALUES).map((v) => labeled<Text>(v, describe(v))) },
  { weight: 3, arbitrary: nastyString().map((s) => labeled<Text>(encodeSegment(s), describe(s))) },
  { weight: 1, arbitrary: hugeText(["a", "%00", "%C3%A4"], [10_000, 1 << 20]) },
);

export function queryArb(template: string): fc.Arbitrary<Labeled<[string, Text][]>> {
  const known = QUERY_KEYS[template] ?? {};
  const keys = Object.keys(known);
  const keyArb = keys.length > 0 ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom(...GENERIC_KEYS) }) : fc.constantFrom(...GENERIC_KEYS);
  const pair = keyArb.chain((key) => {
    const plausible = (Object.hasOwn(known, key) ? known[key] : undefined)?.map((v) => labeled<Text>(encodeSegment(v), describe(v)));
    const value = plausible ? fc.oneof(plausible, hostileQueryValue) : hostileQueryValue;
    return value.map((v) => labeled<[string, Text]>([key, v.value], `${key}=${v.label}`));
  });
  return fc.array(pair, { maxLength: 5 }).map((pairs) => labeled(pairs.map((p) => p.value), pairs.length ? `query ${pairs.map((p) => p.label).join("&")}` : ""));
}

// ---- headers -----------------------------------------------------------------------------------

export type OriginKind = "own" | "sec-fetch-site" | "foreign" | "null" | "none" | "127.0.0.1" | "other-port" | "https";

/**
 * Origin and content type of a state-changing request: mostly the dashboard's own origin and
 * JSON (so requests reach the handlers' validation); a share cross-site or not JSON.
 */
export function writeHeadersArb(baseUrl: string): fc.Arbitrary<Labeled<Record<string, string>>> {
  const url = new URL(baseUrl);
  const origins: Record<OriginKind, Record<string, string>> = {
    own: { origin: url.origin },
    "sec-fetch-site": { "sec-fetch-site": "same-origin" },
    foreign: { origin: "http://evil.example" },
    null: { origin: "null" },
    none: {},
    "127.0.0.1": { origin: `http://127.0.0.1:${url.port}` },
    "other-port": { origin: `http://localhost:${Number(url.port) + 1}` },
    https: { origin: `https://${url.host}` },
  };
  const contentTypes = ["application/json", "application/json; charset=utf-8", "text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=fuzz", "application/x-www-form-urlencoded", "", "application/xml"];
  const build = (origin: OriginKind, contentType: string) =>
    labeled({ ...origins[origin], "content-type": contentType }, `Origin ${origin}, content-type ${contentType === "" ? "(empty)" : contentType}`);
  const good = fc.record({ o: fc.constantFrom<OriginKind>("own", "own", "own", "own", "sec-fetch-site"), c: fc.constantFrom(...contentTypes.slice(0, 2)) });
  const crossSite = fc.record({ o: fc.constantFrom<OriginKind>("foreign", "null", "none", "127.0.0.1", "other-port", "https"), c: fc.constantFrom(...contentTypes.slice(0, 2)) });
  const notJson = fc.record({ o: fc.constantFrom<OriginKind>("own", "sec-fetch-site"), c: fc.constantFrom(...contentTypes.slice(2)) });
  const both = fc.record({ o: fc.constantFrom<OriginKind>("foreign", "none", "null"), c: fc.constantFrom(...contentTypes.slice(2)) });
  return fc
    .oneof({ weight: 14, arbitrary: good }, { weight: 3, arbitrary: crossSite }, { weight: 3, arbitrary: notJson }, { weight: 1, arbitrary: both })
    .map(({ o, c }) => build(o, c));
}

/** GET requests: mostly plain, sometimes with headers a browser would not send together. */
export function readHeadersArb(): fc.Arbitrary<Labeled<Record<string, string>>> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(labeled({}, "")) },
    { weight: 1, arbitrary: fc.constant(labeled({ origin: "http://evil.example", "sec-fetch-site": "cross-site" }, "cross-site headers")) },
    { weight: 1, arbitrary: fc.constant(labeled({ accept: "text/x-component", rsc: "1" }, "RSC headers")) },
    { weight: 1, arbitrary: fc.constant(labeled({ accept: "application/json", "accept-language": "xx-%00;q=zz" }, "odd accept headers")) },
  );
}

/** Idempotency-Key for the handlers that require one: usually fine, sometimes missing or odd. */
export const idempotencyKeyArb: fc.Arbitrary<Labeled<string | undefined>> = fc.oneof(
  { weight: 8, arbitrary: fc.uuid().map((k) => labeled<string | undefined>(k, "")) },
  { weight: 2, arbitrary: fc.constantFrom<string | undefined>(undefined, "", " ", "x".repeat(201), "x".repeat(10_000), "%00", "a b\tc").map((k) => labeled(k, `Idempotency-Key ${k === undefined ? "missing" : describe(k, 30)}`)) },
);

// ---- bodies ------------------------------------------------------------------------------------

/** Valid-looking bodies of the main writes. Every id in them is generated: nothing real is touched. */
export const TEMPLATES: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  // A generated parent: the sandbox refuses the unknown parent, so even a body that passes validation creates nothing.
  "POST /api/spaces": fc.uuid().map((parentSpaceId) => ({ name: "Fuzz Haus", addressLineOne: "Teststraße 1", postcode: "10115", city: "Berlin", category: "APARTMENT_BUILDING", parentSpaceId })),
  "PATCH /api/spaces/[id]": fc.constant({ name: "Fuzz Haus", addressLineOne: "Teststraße 1", postcode: "10115", city: "Berlin", category: "APARTMENT_BUILDING" }),
  "DELETE /api/spaces/[id]": fc.constant({ confirmName: "Fuzz Haus" }),
  "POST /api/spaces/[id]/invites": fc.constant({ email: "fuzz@example.com", accessRoleId: "role-member", sendEmail: false }),
  "POST /api/spaces/[id]/users": fc.uuid().map((userId) => ({ userId, accessRoleId: "role-member" })),
  "POST /api/spaces/[id]/devices": fc.constant({ kind: "external", deviceName: "Fuzz Zähler", deviceMedium: "ELECTRICITY", deviceType: "SMART_METER", isMainDevice: false, excludedFromCost: false, externalDeviceId: "fuzz-1" }),
  "PATCH /api/devices/[id]": fc.uuid().map((spaceId) => ({ spaceId, deviceName: "Fuzz Zähler", serialNumber: "1EMH0012345678" })),
  "POST /api/devices/[id]/links": fc.uuid().map((spaceId) => ({ spaceId, isMainDevice: false, excludedFromCost: false })),
  "POST /api/devices/[id]/readings": fc.constant({ readings: [{ obisCode: "8-1:1.0.0", timestamp: 1_700_000_000, value: 12.5, status: "REAL" }], confirmed: false, correction: false }),
  "POST /api/invites/[id]/resend": fc.constant({ confirmRecent: true }),
  "POST /api/invites/[id]/revoke": fc.constant({ removeUser: false }),
  // next-auth: no such account, so a fuzzed sign-in can neither switch a context's account nor lock a demo account.
  "POST /api/auth/[...nextauth]": fc.constant({ csrfToken: "fuzz-csrf", email: "fuzz-nobody@example.com", password: "not-the-password", callbackUrl: "/spaces", json: "true" }),
};

/** Fields whose removal would turn a refused write into a real one (a top-level space). */
const NEVER_DROP = new Set(["parentSpaceId"]);

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return [...(prefix.length ? [prefix] : []), ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
  }
  return [prefix];
}

const deep = (depth: number, open: string, close: string, inner: string): Text => ({ before: open.repeat(depth) + inner, repeat: close, times: depth });

/** Raw JSON text fragments: what Playwright's `data` could not send as such. */
const rawPoison: fc.Arbitrary<Labeled<Text>> = fc.oneof(
  fc.constantFrom(10_000, 100_000).map((d) => labeled<Text>(deep(d, "[", "]", ""), `array nested ${d} deep`)),
  fc.constantFrom(10_000, 100_000).map((d) => labeled<Text>(deep(d, '{"a":', "}", "null"), `object nested ${d} deep`)),
  fc.constant(labeled<Text>(deep(10_000, '[{"x":', "}]", '"\\u0000"'), "array/object nested 10000 deep around NUL")),
  fc.constantFrom("a", "\\u0000", "\\ud800", "é", "\\\\").map((u) => labeled<Text>({ before: '"', repeat: u, times: Math.ceil((1 << 20) / u.length), after: '"' }, `1 MB string of ${u}`)),
  fc.constant(labeled<Text>({ before: "[", repeat: "1,", times: 500_000, after: "1]" }, "array of 500001 numbers")),
  fc.constantFrom('"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"\\udfff\\ud800"', '"x\\ud800\\u0000y"', '"\\uZZZZ"', '"\\x00"', "1e400", "-0", "NaN", "undefined", "01", '"\u0000"', "9007199254740993", '{"$ne":null}', '{"__proto__":{"polluted":true}}').map((r) => labeled<Text>(r, `raw ${r}`)),
);

const jsonPoison: fc.Arbitrary<Labeled<unknown>> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud800y", "\u202e", "\ufeff", "😀".repeat(60), "<script>alert(1)</script>", "' OR '1'='1", "{{7*7}}", "${7*7}", "../../etc/passwd", "%00", "\r\n", "a".repeat(121), "a".repeat(10_000), [], [""], {}, [null], { length: 1 })
      .map((v) => labeled(v, describe(v))),
  },
  { weight: 3, arbitrary: nastyString(20).map((v) => labeled<unknown>(v, describe(v))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => labeled<unknown>(v, describe(v))) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map((v) => labeled<unknown>(v, describe(v))) },
);

/** One field of a valid-looking body poisoned: a wrong type, hostile text, a raw fragment or gone. */
function poisonedTemplate(base: Record<string, unknown>): fc.Arbitrary<Labeled<Body>> {
  const paths = leafPaths(base);
  return fc.record({ path: fc.constantFrom(...paths), kind: fc.constantFrom("json", "json", "json", "raw", "drop") }).chain(({ path, kind }) => {
    const field = path.join(".");
    if (kind === "raw") return rawPoison.map((p) => labeled<Body>({ kind: "template", base, path, poison: { raw: p.value } }, `valid-looking body, ${field} = ${p.label}`));
    if (kind === "drop" && !NEVER_DROP.has(path[0])) return fc.constant(labeled<Body>({ kind: "template", base, path, poison: { drop: true } }, `valid-looking body without ${field}`));
    return jsonPoison.map((p) => labeled<Body>({ kind: "template", base, path, poison: { json: p.value } }, `valid-looking body, ${field} = ${p.label}`));
  });
}

const INVALID_JSON = ["", "{", "}", "[1,]", "{'a':1}", '{"a":1}garbage', '{"a":1,"a":{"b":[', "NaN", "undefined", "\u0000", "\ufeff{}", "nul", '"unterminated', "{\"a\":\"\\u12\"}", "[]]", "{}{}", "//comment\n{}", '{"a"}', "\u00ff\u00fe{", "\n\n\n"];

function multipartOf(base: Record<string, unknown>): string {
  const parts = Object.entries(base).map(([k, v]) => `--fuzz\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === "string" ? v : JSON.stringify(v)}\r\n`);
  return `${parts.join("")}--fuzz--\r\n`;
}

/** Bodies for a state-changing API request. */
export function bodyArb(templateArb: fc.Arbitrary<Record<string, unknown>> | undefined): fc.Arbitrary<Labeled<Body>> {
  const base = templateArb ?? fc.constant<Record<string, unknown>>({ confirm: true });
  return fc.oneof(
    { weight: templateArb ? 10 : 2, arbitrary: base.chain(poisonedTemplate) },
    { weight: templateArb ? 2 : 0, arbitrary: base.map((b) => labeled<Body>({ kind: "json", value: b }, "valid-looking body")) },
    { weight: templateArb ? 0 : 3, arbitrary: fc.constant(labeled<Body>({ kind: "none" }, "no body")) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => labeled<Body>({ kind: "json", value: v }, `body ${describe(v)}`)) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(nastyString(6), fc.constantFrom("name", "email", "spaceId", "readings", "constructor", "__proto__", "toString", "hasOwnProperty")), fc.oneof(jsonPoison.map((p) => p.value), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 4 }).map((v) => labeled<Body>({ kind: "json", value: v }, `body ${describe(v)}`)) },
    { weight: 2, arbitrary: rawPoison.map((p) => labeled<Body>({ kind: "raw", text: p.value }, `body ${p.label}`)) },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_JSON).map((t) => labeled<Body>({ kind: "raw", text: t }, `invalid JSON ${describe(t)}`)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          labeled<Body>({ kind: "bytes", hex: Buffer.from('{"name":"\xed\xa0\x80"}', "latin1").toString("hex") }, "JSON with a lone surrogate as raw (invalid) UTF-8"),
          labeled<Body>({ kind: "bytes", hex: Buffer.from('{"name":"\xff\xfe\xc0\xaf"}', "latin1").toString("hex") }, "JSON with invalid UTF-8 bytes"),
          labeled<Body>({ kind: "bytes", hex: Buffer.from('{"name":"x"}', "utf16le").toString("hex") }, "JSON in UTF-16LE"),
          labeled<Body>({ kind: "bytes", hex: "efbbbf7b7d" }, "JSON {} with a UTF-8 BOM"),
          labeled<Body>({ kind: "bytes", hex: "1f8b0800000000000003abae050043bfa6a302000000" }, "gzip bytes"),
        ),
    },
    { weight: 1, arbitrary: base.map((b) => labeled<Body>({ kind: "raw", text: multipartOf(b) }, "multipart form of a valid-looking body")) },
    { weight: 1, arbitrary: base.map((b) => labeled<Body>({ kind: "form", pairs: Object.entries(b).map(([k, v]) => [k, encodeSegment(String(v))]) }, "url-encoded form of a valid-looking body")) },
  );
}

/** next-auth's sign-in and callback: a form with one field hostile, JSON, or garbage. */
export function authBodyArb(): fc.Arbitrary<Labeled<Body>> {
  const base = TEMPLATES["POST /api/auth/[...nextauth]"];
  const form = base.chain((b) =>
    fc.record({ field: fc.constantFrom(...Object.keys(b)), value: hostileQueryValue }).map(({ field, value }) =>
      labeled<Body>({ kind: "form", pairs: Object.entries(b).map(([k, v]) => [k, k === field ? value.value : encodeSegment(String(v))]) }, `form, ${field} = ${value.label}`),
    ),
  );
  return fc.oneof({ weight: 4, arbitrary: form }, { weight: 4, arbitrary: bodyArb(base) });
}

/** The bytes of a body, or undefined for none. */
export function bodyBytes(body: Body): Buffer | undefined {
  switch (body.kind) {
    case "none":
      return undefined;
    case "json":
      return Buffer.from(JSON.stringify(body.value) ?? "null", "utf8");
    case "raw":
      return Buffer.from(textOf(body.text), "utf8");
    case "bytes":
      return Buffer.from(body.hex, "hex");
    case "form":
      return Buffer.from(body.pairs.map(([k, v]) => `${encodeSegment(k)}=${textOf(v)}`).join("&"), "utf8");
    case "template": {
      const marker = "\u0001FUZZ-POISON\u0001";
      const copy = structuredClone(body.base);
      let holder: Record<string, unknown> = copy;
      for (const key of body.path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
      const last = body.path[body.path.length - 1];
      const { poison } = body;
      if ("drop" in poison) delete holder[last];
      else if ("json" in poison) Object.defineProperty(holder, last, { value: poison.json, enumerable: true, writable: true, configurable: true });
      else holder[last] = marker;
      const text = JSON.stringify(copy);
      if (!("raw" in poison)) return Buffer.from(text, "utf8");
      const raw = poison.raw;
      const at = text.indexOf(JSON.stringify(marker));
      return Buffer.from(text.slice(0, at) + textOf(raw) + text.slice(at + JSON.stringify(marker).length), "utf8");
    }
  }
}

export function urlOf(request: FuzzRequest): string {
  const path = request.path.map(textOf).join("");
  const query = request.query.map(([k, v]) => `${k}=${textOf(v)}`).join("&");
  return query ? `${path}?${query}` : path;
}
