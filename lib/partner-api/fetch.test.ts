import { afterEach, describe, expect, it } from "vitest";
import { createPartnerClient } from "./client";
import { PartnerApiError } from "./errors";
import { parseRetryAfter, retryDelay } from "./fetch";
import { startFakeApi, type FakeApi, type FakeReply } from "./testing/fake-api";

const spacesPage = { body: { spaces: [], totalNumPages: 1 } };
const newSpace = { name: "Haus 1", addressLineOne: "Hauptstr. 1", postcode: "10115", city: "Berlin", category: "FLAT" } as const;
let fake: FakeApi;
afterEach(() => fake?.close());

/** Fails the first `count` calls with `reply`, then answers `ok`. */
function failFirst(count: number, reply: FakeReply, ok: FakeReply = spacesPage) {
  let seen = 0;
  return () => (seen++ < count ? reply : ok);
}

async function failure(promise: Promise<unknown>): Promise<PartnerApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartnerApiError);
  return error as PartnerApiError;
}

describe("partnerFetch retries", () => {
  it("a GET rides out two 503s", async () => {
    fake = await startFakeApi(failFirst(2, { status: 503, body: { message: "busy" } }));
    await expect(createPartnerClient(fake.config()).getSpaces()).resolves.toEqual({ spaces: [], totalNumPages: 1 });
    expect(fake.callsTo("GET", "/spaces")).toBe(3);
  });

  it("a GET waits as long as Retry-After says on a 429", async () => {
    fake = await startFakeApi(failFirst(1, { status: 429, headers: { "retry-after": "1" }, body: { message: "slow down" } }));
    const started = performance.now();
    await createPartnerClient(fake.config({ retryBaseDelayMs: 1 })).getSpaces();
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(fake.callsTo("GET", "/spaces")).toBe(2);
  });

  it("caps Retry-After at retryMaxDelayMs", async () => {
    fake = await startFakeApi(failFirst(1, { status: 429, headers: { "retry-after": "3600" } }));
    const started = performance.now();
    await createPartnerClient(fake.config({ retryMaxDelayMs: 50 })).getSpaces();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a GET failing more than maxRetries gives a retryable error after maxRetries + 1 attempts", async () => {
    fake = await startFakeApi(() => ({ status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }));
    const error = await failure(createPartnerClient(fake.config({ maxRetries: 2 })).getSpaces());
    expect(error).toMatchObject({ code: "upstream_unavailable", status: 502, retryable: true, operation: "getSpaces" });
    expect(fake.callsTo("GET", "/spaces")).toBe(3);
  });

  it("a POST answered 503 is not retried, so no duplicate is created; it may be retried by the user", async () => {
    fake = await startFakeApi(failFirst(1, { status: 503 }, { body: { spaceId: "s-1" } }));
    const error = await failure(createPartnerClient(fake.config()).createSpace(newSpace));
    expect(error).toMatchObject({ code: "upstream_unavailable", status: 503, retryable: true });
    expect(fake.callsTo("POST", "/spaces")).toBe(1);
  });

  it("a POST answered 500 is not retried and says the change may have been applied", async () => {
    fake = await startFakeApi(failFirst(1, { status: 500 }, { body: { spaceId: "s-1" } }));
    const error = await failure(createPartnerClient(fake.config()).createSpace(newSpace));
    expect(error).toMatchObject({ code: "upstream_unavailable", retryable: false });
    expect(error.message).toMatch(/may have been applied/);
    expect(fake.callsTo("POST", "/spaces")).toBe(1);
  });

  it("a 4xx is not retried", async () => {
    fake = await startFakeApi(() => ({ status: 404, body: { message: "Space not found" } }));
    const error = await failure(createPartnerClient(fake.config()).getUsersInSpace("nope"));
    expect(error).toMatchObject({ code: "not_found", status: 404, message: "Space not found", retryable: false });
    expect(error.httpStatus).toBe(404);
    expect(fake.calls).toHaveLength(1);
  });

  it("Retry-After is read as seconds or as an HTTP date; backoff stays within its cap", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    const config = { retryBaseDelayMs: 250, retryMaxDelayMs: 8_000 };
    expect(retryDelay(config, 0, 20_000)).toBe(8_000);
    for (let retry = 0; retry < 10; retry++) {
      const delay = retryDelay(config, retry);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(8_000, 250 * 2 ** retry));
    }
  });
});

describe("partnerFetch failures", () => {
  it("a slow answer fails with code 'timeout' (status 0), mapped to 504", async () => {
    fake = await startFakeApi(() => ({ ...spacesPage, delayMs: 500 }));
    const error = await failure(createPartnerClient(fake.config({ timeoutMs: 100, maxRetries: 0 })).getSpaces());
    expect(error).toMatchObject({ code: "timeout", status: 0, retryable: true });
    expect(error.httpStatus).toBe(504);
  });

  it("a write that times out is not retried and is not flagged retryable", async () => {
    fake = await startFakeApi(() => ({ body: { spaceId: "s-1" }, delayMs: 300 }));
    const error = await failure(createPartnerClient(fake.config({ timeoutMs: 100 })).createSpace(newSpace));
    expect(error).toMatchObject({ code: "timeout", retryable: false });
    expect(fake.callsTo("POST", "/spaces")).toBe(1);
  });

  it("an unreachable API gives code 'network'", async () => {
    fake = await startFakeApi(() => spacesPage);
    const config = fake.config({ maxRetries: 1 });
    await fake.close();
    const error = await failure(createPartnerClient(config).getSpaces());
    expect(error).toMatchObject({ code: "network", status: 0, retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.httpStatus).toBe(502);
  });

  it("an HTML error body gives a clear message, not the HTML", async () => {
    fake = await startFakeApi(() => ({ status: 400, body: "<!doctype html><title>Bad</title><p>oops</p>" }));
    const error = await failure(createPartnerClient(fake.config()).getAccessRoles());
    expect(error).toMatchObject({ code: "bad_request", status: 400 });
    expect(error.message).toBe("The partner API rejected the request as invalid. (HTTP 400)");
  });

  it("a token echoed back in an error message is redacted", async () => {
    fake = await startFakeApi(() => ({ status: 409, body: { message: "Conflict for caller tok-1" } }));
    const error = await failure(createPartnerClient(fake.config()).deleteSpace("s-1"));
    expect(error).toMatchObject({ code: "conflict", message: "Conflict for caller [redacted]" });
  });

  it("a response failing the schema gives 'invalid_response' naming the field", async () => {
    // A malformed record inside a list is dropped (schemas.test.ts); a malformed answer is an error.
    fake = await startFakeApi(() => ({ body: { spaceId: 7 } }));
    const error = await failure(createPartnerClient(fake.config()).createSpace(newSpace));
    expect(error).toMatchObject({ code: "invalid_response", retryable: false });
    expect(error.message).toContain("spaceId");
    expect(error.httpStatus).toBe(502);
  });

  it("an empty or non-JSON 200 where a body is expected gives 'invalid_response'", async () => {
    fake = await startFakeApi(() => ({}));
    expect((await failure(createPartnerClient(fake.config()).createSpace(newSpace))).message).toContain("empty body");
    fake.handler = () => ({ body: "<html>maintenance</html>" });
    expect((await failure(createPartnerClient(fake.config()).createSpace(newSpace))).message).toContain("not JSON");
  });
});

describe("partnerFetch requests", () => {
  it("operations without a response body accept an empty 200", async () => {
    fake = await startFakeApi(() => ({}));
    const client = createPartnerClient(fake.config());
    await expect(client.deleteSpace("s-1")).resolves.toBeUndefined();
    await expect(client.removeDeviceFromSpace("s-1", "d-1")).resolves.toBeUndefined();
    await expect(client.addDeviceToSpace("s-1", "d-1")).resolves.toBeUndefined();
    expect(fake.calls.map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body)}`)).toEqual([
      "DELETE /spaces/s-1 undefined",
      "DELETE /spaces/s-1/devices/d-1 undefined",
      "POST /spaces/s-1/devices/d-1 undefined",
    ]);
  });

  it("URL-encodes path segments and refuses empty or dot ids without calling the API", async () => {
    fake = await startFakeApi(() => ({}));
    const client = createPartnerClient(fake.config());
    await client.deleteDevice("a/b c?d");
    expect(fake.calls[0].path).toBe("/devices/a%2Fb%20c%3Fd");
    for (const id of ["", " ", "..", "."]) {
      expect(await failure(client.deleteSpace(id))).toMatchObject({ code: "bad_request", operation: "deleteSpace" });
    }
    expect(fake.calls).toHaveLength(1);
  });

  it("a body the contract rejects never leaves the server", async () => {
    fake = await startFakeApi(() => ({ body: { spaceId: "s-1" } }));
    const client = createPartnerClient(fake.config());
    const error = await failure(client.createSpace({ ...newSpace, name: "  " }));
    expect(error).toMatchObject({ code: "bad_request", status: 0, operation: "createSpace" });
    expect(error.message).toContain("name");
    expect(error.httpStatus).toBe(400);
    const millis = await failure(client.storeReadings([{ deviceId: "d-1", readings: [{ obisCode: "1.8.0", timestamp: 1_714_635_961_000, value: 1 }] }]));
    expect(millis.message).toContain("epoch seconds");
    expect(fake.calls).toHaveLength(0);
    expect(fake.tokenRequests).toBe(0);
  });

  it("sends paging and reading queries with defaults applied", async () => {
    fake = await startFakeApi(() => ({ body: [] }));
    const client = createPartnerClient(fake.config({ pageSize: 25 }));
    fake.handler = () => ({ body: { users: [], totalNumPages: 1 } });
    await client.getUsersInSpace("s-1", { page: 2 });
    fake.handler = () => ({ body: [] });
    await client.getReadingsBySpace("s-1", { startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-02T00:00:00Z", resolution: "1_HOUR", measurement: "ENERGY" });
    expect(Object.fromEntries(fake.calls[0].query)).toEqual({ page: "2", pageSize: "25" });
    expect(Object.fromEntries(fake.calls[1].query)).toMatchObject({ medium: "ELECTRICITY", resolution: "1_HOUR" });
    expect(fake.calls.every((c) => c.token === "tok-1")).toBe(true);
  });

  it("ping reports the latency of a one-item getSpaces", async () => {
    fake = await startFakeApi(() => ({ ...spacesPage, delayMs: 30 }));
    const latency = await createPartnerClient(fake.config()).ping();
    expect(latency).toBeGreaterThanOrEqual(25);
    expect(Object.fromEntries(fake.calls[0].query)).toEqual({ page: "0", pageSize: "1" });
  });
});
