/**
 * The client against the real sandbox (sandbox/server.ts) over HTTP, as the dashboard uses
 * production: token lifecycle, fault injection, pagination and one round trip per area.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_FAULTS, startSandbox, type RunningSandbox } from "@/sandbox/server";
import { createPartnerClient } from "./client";
import { CONFIG_DEFAULTS, type PartnerClientConfig } from "./config";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./defaults";
import { PartnerApiError } from "./errors";

let sandbox: RunningSandbox;
const SPACES = 40;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, spaces: SPACES, readingDays: 2, seed: 7, quiet: true });
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.setFaults(DEFAULT_FAULTS);
  sandbox.resetStats();
});

const config = (overrides: Partial<PartnerClientConfig> = {}): PartnerClientConfig => ({
  ...CONFIG_DEFAULTS,
  baseUrl: sandbox.apiBaseUrl,
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 2_000,
  ...overrides,
});
const requests = (operation: string) => sandbox.stats().requests[operation] ?? 0;
const newSpace = { name: "Integration Haus", addressLineOne: "Teststr. 1", postcode: "10115", city: "Berlin", category: "APARTMENT_BUILDING" } as const;

async function failure(promise: Promise<unknown>): Promise<PartnerApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartnerApiError);
  return error as PartnerApiError;
}

describe("tokens against the sandbox", () => {
  it("50 concurrent calls without a token make exactly one POST /auth/token", async () => {
    const client = createPartnerClient(config());
    await Promise.all(Array.from({ length: 50 }, () => client.getSpaces({ pageSize: 1 })));
    expect(sandbox.stats().tokenRequests).toBe(1);
    expect(requests("getSpaces")).toBe(50);
  });

  it("a short-lived token is replaced before it expires, without a 401 round trip", async () => {
    sandbox.setFaults({ tokenLifetimeSeconds: 2 });
    const client = createPartnerClient(config());
    await client.getAccessRoles();
    await sleep(1_100);
    await client.getAccessRoles();
    expect(sandbox.stats().tokenRequests).toBe(2);
    expect(requests("getAccessRoles")).toBe(2);
  });

  it("a revoked token is refreshed once and the call succeeds", async () => {
    const client = createPartnerClient(config());
    await client.getAccessRoles();
    const revoked = await fetch(`${sandbox.url}/__sandbox/tokens/revoke`, { method: "POST" });
    expect(revoked.ok).toBe(true);
    await expect(client.getAccessRoles()).resolves.toMatchObject({ accessRoles: expect.any(Array) });
    expect(sandbox.stats().tokenRequests).toBe(2);
    expect(requests("getAccessRoles")).toBe(3);
  });

  it("50 concurrent calls with a revoked token cause one refresh", async () => {
    const client = createPartnerClient(config());
    await client.getAccessRoles();
    await fetch(`${sandbox.url}/__sandbox/tokens/revoke`, { method: "POST" });
    await Promise.all(Array.from({ length: 50 }, () => client.getSpaces({ pageSize: 1 })));
    expect(sandbox.stats().tokenRequests).toBe(2);
  });

  it("a permanently-401 API gives one refresh, then a clear error", async () => {
    sandbox.setFaults({ failNext: { status: 401, count: 100, operations: ["getSpaces"] } });
    const error = await failure(createPartnerClient(config()).getSpaces());
    expect(error).toMatchObject({ code: "unauthorized", status: 401, retryable: false });
    expect(requests("getSpaces")).toBe(2);
    expect(sandbox.stats().tokenRequests).toBe(2);
  });

  it("a wrong secret gives 'credentials_rejected' without the secret in the message", async () => {
    const secret = "definitely-wrong-secret-4711";
    const error = await failure(createPartnerClient(config({ clientSecret: secret })).getSpaces());
    expect(error.code).toBe("credentials_rejected");
    expect(JSON.stringify({ message: error.message, body: error.publicMessage, extra: error.extra })).not.toContain(secret);
    expect(requests("getSpaces")).toBe(0);
  });
});

describe("faults against the sandbox", () => {
  it("a GET rides out two 503s", async () => {
    sandbox.setFaults({ failNext: { status: 503, count: 2, operations: ["getSpaces"] } });
    await expect(createPartnerClient(config()).getSpaces({ pageSize: 5 })).resolves.toMatchObject({ spaces: expect.any(Array) });
    expect(requests("getSpaces")).toBe(3);
  });

  it("a GET honours Retry-After on two 429s", async () => {
    sandbox.setFaults({ retryAfterSeconds: 1, failNext: { status: 429, count: 2, operations: ["getAccessRoles"] } });
    const started = performance.now();
    await createPartnerClient(config()).getAccessRoles();
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_990);
    expect(requests("getAccessRoles")).toBe(3);
  });

  it("a GET failing more than maxRetries gives a retryable error", async () => {
    sandbox.setFaults({ failNext: { status: 503, count: 10, operations: ["getAccessRoles"] } });
    const error = await failure(createPartnerClient(config({ maxRetries: 2 })).getAccessRoles());
    expect(error).toMatchObject({ code: "upstream_unavailable", status: 503, retryable: true });
    expect(error.message).toContain("Sandbox fault injection");
    expect(requests("getAccessRoles")).toBe(3);
  });

  it("a POST answered 503 is sent once and creates nothing", async () => {
    const client = createPartnerClient(config());
    const before = (await client.getAllSpaces()).length;
    sandbox.setFaults({ failNext: { status: 503, count: 1, operations: ["createSpace"] } });
    const error = await failure(client.createSpace(newSpace));
    expect(error).toMatchObject({ code: "upstream_unavailable", operation: "createSpace" });
    expect(requests("createSpace")).toBe(1);
    expect((await client.getAllSpaces()).length).toBe(before);
  });

  it("a slow sandbox gives code 'timeout'", async () => {
    sandbox.setFaults({ latencyMs: 400 });
    const client = createPartnerClient(config({ timeoutMs: 150, maxRetries: 0 }));
    expect(await failure(client.getAccessRoles())).toMatchObject({ code: "timeout", status: 0 });
  });

  it("an upstream 404 passes through as a 404 with the sandbox's message", async () => {
    const error = await failure(createPartnerClient(config()).deleteSpace("00000000-0000-4000-8000-000000000000"));
    expect(error).toMatchObject({ code: "not_found", status: 404 });
    expect(error.httpStatus).toBe(404);
  });
});

describe("operations against the sandbox", () => {
  it("getAllSpaces returns every space once, in page order, reporting progress", async () => {
    const client = createPartnerClient(config({ pageSize: 7, pageConcurrency: 3 }));
    const progress: Array<[number, number]> = [];
    const spaces = await client.getAllSpaces((done, total) => progress.push([done, total]));
    const pages = Math.ceil(spaces.length / 7);
    expect(spaces.length).toBeGreaterThanOrEqual(SPACES);
    expect(new Set(spaces.map((s) => s.id)).size).toBe(spaces.length);
    expect(requests("getSpaces")).toBe(pages);
    expect(progress.at(-1)).toEqual([pages, pages]);
    const firstPage = await client.getSpaces({ page: 0, pageSize: 7 });
    expect(spaces.slice(0, 7)).toEqual(firstPage.spaces);
  });

  it("space, device, readings, invite and users: one round trip each", async () => {
    const client = createPartnerClient(config());
    const { spaceId } = await client.createSpace(newSpace);
    await expect(client.updateSpace(spaceId, { name: "Umbenannt", addressLineTwo: null })).resolves.toEqual({ spaceId });

    const { deviceId } = await client.registerExternalDevice(spaceId, {
      deviceName: "Zähler 1",
      isMainDevice: true,
      deviceType: "SMART_METER",
      deviceMedium: "ELECTRICITY",
      externalDeviceId: `ext-${spaceId}`,
    });
    await client.updateDeviceDetails(spaceId, deviceId, { deviceName: "Zähler 1 (Keller)" });
    const devices = await client.getAllDevicesInSpace(spaceId);
    expect(devices.map((d) => [d.id, d.name])).toEqual([[deviceId, "Zähler 1 (Keller)"]]);

    const hour = Math.floor(Date.UTC(2026, 0, 1) / 1000);
    await client.storeReadings([
      {
        deviceId,
        readings: [
          { obisCode: "1.8.0", timestamp: hour, value: 100 },
          { obisCode: "1.8.0", timestamp: hour + 3600, value: 101.5 },
        ],
      },
    ]);
    const window = { startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T03:00:00Z", resolution: "1_HOUR", measurement: "METER_READING" } as const;
    expect((await client.getReadingsByDevice(deviceId, window)).length).toBeGreaterThan(0);
    expect(Array.isArray(await client.getReadingsBySpace(spaceId, window))).toBe(true);

    const { accessRoles } = await client.getAccessRoles();
    const invite = await client.inviteUserToSpace(spaceId, { sendInviteEmail: false, userEmail: "mieterin@example.de", accessRoleId: accessRoles[0]?.id });
    expect(invite.inviteLink).toMatch(/^https?:\/\//);
    await expect(client.getAllUsersInSpace(spaceId)).resolves.toEqual(expect.any(Array));
    await expect(client.removeAllUsersFromSpace(spaceId)).resolves.toEqual({ spaceId });

    await client.removeDeviceFromSpace(spaceId, deviceId);
    await client.addDeviceToSpace(spaceId, deviceId, { isMainDevice: true });
    await client.deleteDevice(deviceId);
    await client.deleteSpace(spaceId);
    expect((await client.getAllSpaces()).some((s) => s.id === spaceId)).toBe(false);
  });

  it("ping measures a real call", async () => {
    const latency = await createPartnerClient(config()).ping();
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(requests("getSpaces")).toBe(1);
  });
});
