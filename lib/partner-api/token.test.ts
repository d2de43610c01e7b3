import { afterEach, describe, expect, it } from "vitest";
import { createPartnerClient } from "./client";
import { PartnerApiError } from "./errors";
import { FAKE_SECRET, fakeJwt, startFakeApi, type FakeApi } from "./testing/fake-api";
import { TokenManager, jwtExpiry } from "./token";

const page = { body: { spaces: [], totalNumPages: 1 } };
let fake: FakeApi;
afterEach(() => fake?.close());

describe("TokenManager", () => {
  it("50 concurrent calls without a token make exactly one token request", async () => {
    fake = await startFakeApi(() => ({ ...page, delayMs: 5 }));
    fake.tokenReply = (n) => ({ body: { accessToken: `tok-${n}` }, delayMs: 50 });
    const client = createPartnerClient(fake.config());
    await Promise.all(Array.from({ length: 50 }, () => client.getSpaces()));
    expect(fake.tokenRequests).toBe(1);
    expect(new Set(fake.calls.map((c) => c.token))).toEqual(new Set(["tok-1"]));
  });

  it("reuses a token until tokenRefreshMarginSeconds before its exp, then fetches a new one first", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    let now = t0;
    fake = await startFakeApi(() => page);
    fake.tokenReply = (n) => ({ body: { accessToken: fakeJwt({ exp: Math.floor(now / 1000) + 3600, n }) } });
    const tokens = new TokenManager(fake.config({ tokenRefreshMarginSeconds: 300 }), () => now);
    const first = await tokens.getToken();
    now = t0 + 3_299_000;
    expect(await tokens.getToken()).toBe(first);
    now = t0 + 3_301_000;
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(fake.tokenRequests).toBe(2);
  });

  it("assumes 24 h when the token has no readable exp", async () => {
    const t0 = Date.UTC(2026, 0, 1);
    let now = t0;
    fake = await startFakeApi(() => page);
    const tokens = new TokenManager(fake.config({ tokenRefreshMarginSeconds: 300 }), () => now);
    await tokens.getToken();
    now = t0 + 23 * 3600_000;
    await tokens.getToken();
    expect(fake.tokenRequests).toBe(1);
    now = t0 + 24 * 3600_000 - 299_000;
    await tokens.getToken();
    expect(fake.tokenRequests).toBe(2);
  });

  it("a token that is already past its exp is replaced before the next call uses it", async () => {
    fake = await startFakeApi(() => page);
    // The first token is dead on arrival (server clock ahead, or a very short lifetime).
    const issued: string[] = [];
    fake.tokenReply = (n) => {
      issued.push(fakeJwt({ exp: Math.floor(Date.now() / 1000) + (n === 1 ? -10 : 3600), n }));
      return { body: { accessToken: issued[n - 1] } };
    };
    const client = createPartnerClient(fake.config());
    await client.getSpaces();
    await client.getSpaces();
    await client.getSpaces();
    expect(fake.tokenRequests).toBe(2);
    expect(fake.calls.map((c) => c.token)).toEqual([issued[0], issued[1], issued[1]]);
  });

  it("a revoked token (401) is refreshed once and the call succeeds", async () => {
    fake = await startFakeApi((call) => (call.token === "tok-1" ? { status: 401, body: { message: "Token revoked" } } : page));
    const client = createPartnerClient(fake.config());
    await expect(client.getSpaces()).resolves.toEqual({ spaces: [], totalNumPages: 1 });
    expect(fake.tokenRequests).toBe(2);
    expect(fake.calls.map((c) => c.token)).toEqual(["tok-1", "tok-2"]);
  });

  it("a 401 on a POST is also refreshed and retried once (the request was refused, not executed)", async () => {
    fake = await startFakeApi((call) => (call.token === "tok-1" ? { status: 401 } : { body: { spaceId: "s-1" } }));
    const client = createPartnerClient(fake.config());
    await expect(client.createSpace({ name: "A", addressLineOne: "B 1", postcode: "10115", city: "Berlin", category: "FLAT" })).resolves.toEqual({
      spaceId: "s-1",
    });
    expect(fake.callsTo("POST", "/spaces")).toBe(2);
  });

  it("50 concurrent 401s with the same old token cause ONE refresh", async () => {
    fake = await startFakeApi((call) => (call.token === "tok-1" ? { status: 401, delayMs: 20 } : page));
    const client = createPartnerClient(fake.config());
    await Promise.all(Array.from({ length: 50 }, () => client.getSpaces()));
    expect(fake.tokenRequests).toBe(2); // tok-1, refused by all 50, then exactly one refresh
    expect(fake.calls).toHaveLength(100);
    expect(fake.calls.filter((c) => c.token === "tok-2")).toHaveLength(50);
  });

  it("a permanently-401 API does not loop: one refresh, then a clear error mapped to 502", async () => {
    fake = await startFakeApi(() => ({ status: 401, body: { message: "Token invalid" } }));
    const client = createPartnerClient(fake.config());
    const error = await client.getSpaces().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerApiError);
    expect(error).toMatchObject({ code: "unauthorized", status: 401, operation: "getSpaces", retryable: false });
    expect(fake.tokenRequests).toBe(2);
    expect(fake.calls).toHaveLength(2);
    expect((error as PartnerApiError).httpStatus).toBe(502);
  });

  it("wrong credentials give 'credentials_rejected' without the secret in the message", async () => {
    fake = await startFakeApi(() => page);
    // A careless server echoing the secret back must not make us leak it.
    fake.tokenReply = () => ({ status: 401, body: { message: `Invalid client secret ${FAKE_SECRET}` } });
    const client = createPartnerClient(fake.config());
    const error = await client.getSpaces().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerApiError);
    const apiError = error as PartnerApiError;
    expect(apiError.code).toBe("credentials_rejected");
    expect(apiError.message).toMatch(/ZF_CLIENT_ID \/ ZF_CLIENT_SECRET/);
    expect(JSON.stringify({ message: apiError.publicMessage, extra: apiError.extra })).not.toContain(FAKE_SECRET);
    expect(apiError.message).not.toContain(FAKE_SECRET);
    expect(apiError.httpStatus).toBe(502);
    expect(fake.calls).toHaveLength(0);
    expect(fake.tokenRequests).toBe(1); // a rejection is not retried
  });

  it("reads exp from a JWT payload and ignores tokens that are not JWTs", () => {
    expect(jwtExpiry(fakeJwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
    expect(jwtExpiry("opaque-token")).toBeUndefined();
    expect(jwtExpiry("a.!!!not-base64-json.c")).toBeUndefined();
    expect(jwtExpiry(fakeJwt({ exp: "soon" }))).toBeUndefined();
  });
});
