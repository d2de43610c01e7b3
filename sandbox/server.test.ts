import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID } from "../lib/partner-api/defaults";
import type { AccessRoles, Customers, DeviceReading, Devices, NewSpace, Spaces, SupportContact, Users } from "../lib/partner-api/schemas";
import { isValidMalo, isValidMelo } from "../lib/domain/identifiers";
import { startSandbox, type RunningSandbox } from "./server";
import { epoch, sandboxClient, type SandboxClient } from "./test-client";

let sandbox: RunningSandbox;
let client: SandboxClient;

const PAGE_SIZE_MAX = 20;
const SPACES = 30;

beforeAll(async () => {
  sandbox = await startSandbox({ spaces: SPACES, readingDays: 2, pageSizeMax: PAGE_SIZE_MAX, quiet: true });
  client = sandboxClient(sandbox);
});
afterAll(() => sandbox?.close());

const newSpace = (overrides: Partial<NewSpace> = {}): NewSpace => ({
  name: "Testhaus",
  addressLineOne: "Lindenstraße 12",
  postcode: "10115",
  city: "Berlin",
  category: "FLAT",
  ...overrides,
});

async function createSpace(overrides: Partial<NewSpace> = {}): Promise<string> {
  const res = await client.api<{ spaceId: string }>("POST", "/spaces", newSpace(overrides));
  expect(res.status).toBe(200);
  return res.body.spaceId;
}

const externalDevice = (name: string, isMainDevice = true) => ({
  deviceName: name,
  isMainDevice,
  deviceType: "SMART_METER",
  deviceMedium: "ELECTRICITY",
});

async function registerExternal(spaceId: string, body: Record<string, unknown> = externalDevice("Stromzähler")) {
  const res = await client.api<{ deviceId: string }>("POST", `/spaces/${spaceId}/devices`, body);
  expect(res.status).toBe(200);
  return res.body.deviceId;
}

async function devicesOf(spaceId: string) {
  const res = await client.api<Devices>("GET", `/spaces/${spaceId}/devices`);
  expect(res.status).toBe(200);
  return res.body.devices;
}

async function allSpaces(c: SandboxClient = client) {
  const first = await c.api<Spaces>("GET", `/spaces?page=0&pageSize=${PAGE_SIZE_MAX}`);
  const spaces = [...first.body.spaces];
  for (let page = 1; page < first.body.totalNumPages; page++) {
    spaces.push(...(await c.api<Spaces>("GET", `/spaces?page=${page}&pageSize=${PAGE_SIZE_MAX}`)).body.spaces);
  }
  return spaces;
}

describe("auth", () => {
  it("issues a JWT for good credentials and refuses wrong ones", async () => {
    const good = await client.newToken();
    expect(good.status).toBe(200);
    const [, payload] = good.body.accessToken!.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    expect(claims).toMatchObject({ sub: DEFAULT_CLIENT_ID });
    expect(claims.exp - claims.iat).toBe(86_400);
    expect(typeof claims.jti).toBe("string");

    const bad = await client.newToken(DEFAULT_CLIENT_ID, "wrong");
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ message: "Invalid client credentials" });
  });

  it("rejects a missing, forged or revoked token", async () => {
    expect((await client.api("GET", "/spaces", undefined, null)).status).toBe(401);
    const forged = await client.api<{ message: string }>("GET", "/spaces", undefined, "a.b.c");
    expect(forged.status).toBe(401);
    expect(forged.body.message).toMatch(/signature/);

    const own = sandboxClient(sandbox);
    expect((await own.api("GET", "/spaces")).status).toBe(200);
    expect((await own.control("POST", "/tokens/revoke")).status).toBe(200);
    const revoked = await own.api<{ message: string }>("GET", "/spaces");
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toBe("Token revoked");
    own.forgetToken();
    expect((await own.api("GET", "/spaces")).status).toBe(200);
    client.forgetToken();
  });

  it("expires tokens after tokenLifetimeSeconds", async () => {
    sandbox.setFaults({ tokenLifetimeSeconds: 1 });
    try {
      const own = sandboxClient(sandbox);
      const token = await own.token();
      await new Promise((r) => setTimeout(r, 1100));
      const res = await own.api<{ message: string }>("GET", "/spaces", undefined, token);
      expect(res.status).toBe(401);
      expect(res.body.message).toBe("Token expired");
    } finally {
      sandbox.setFaults({ tokenLifetimeSeconds: 86_400 });
    }
  });

  it("lists every issued token under /__sandbox/tokens", async () => {
    const token = await client.token();
    const res = await client.control<{ tokens: string[] }>("GET", "/tokens");
    expect(res.body.tokens).toContain(token);
  });
});

describe("spaces", () => {
  it("paginates from page 0 in a stable order and caps pageSize", async () => {
    const page0 = await client.api<Spaces>("GET", "/spaces?page=0&pageSize=7");
    expect(page0.body.spaces).toHaveLength(7);
    const page1 = await client.api<Spaces>("GET", "/spaces?page=1&pageSize=7");
    expect(page1.body.spaces[0].id).not.toBe(page0.body.spaces[0].id);
    const again = await client.api<Spaces>("GET", "/spaces?page=0&pageSize=7");
    expect(again.body.spaces.map((s) => s.id)).toEqual(page0.body.spaces.map((s) => s.id));

    const capped = await client.api<Spaces>("GET", "/spaces?pageSize=1000");
    expect(capped.body.spaces).toHaveLength(PAGE_SIZE_MAX);
    const all = await allSpaces();
    expect(capped.body.totalNumPages).toBe(Math.ceil(all.length / PAGE_SIZE_MAX));
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);

    const beyond = await client.api<Spaces>("GET", "/spaces?page=99&pageSize=10");
    expect(beyond.body.spaces).toEqual([]);
  });

  it("seeds a German utility tree with valid MeLo and MaLo ids", async () => {
    const all = (await allSpaces()).slice(0, SPACES);
    const byId = new Map(all.map((s) => [s.id, s]));
    expect(all.some((s) => s.category === "REGION" && s.name.startsWith("Region "))).toBe(true);
    const flat = all.find((s) => s.category === "FLAT")!;
    expect(flat.name).toMatch(/^Wohnung /);
    expect(byId.get(flat.parentSpaceId!)?.category).toBe("APARTMENT_BUILDING");
    for (const grouping of all.filter((s) => s.category === "GROUPING")) {
      expect(all.some((s) => s.parentSpaceId === grouping.id)).toBe(true);
    }
    const [meter] = await devicesOf(flat.id);
    expect(meter).toMatchObject({ deviceType: "SMART_METER", provider: "EXTERNAL", isMainDevice: true, medium: "ELECTRICITY" });
    const [melo, malo, serial] = meter.externalDeviceIds!;
    expect(isValidMelo(melo)).toBe(true);
    expect(melo.slice(8, 13)).toBe(flat.postcode);
    expect(isValidMalo(malo)).toBe(true);
    expect(serial).toMatch(/^1EMH00\d{8}$/);
    expect(meter.metaData).toContainEqual({ label: "MaLo", value: malo });
  });

  it("creates, updates and deletes a space; deleting cascades to its devices", async () => {
    const parent = await createSpace({ name: "Parent", category: "APARTMENT_BUILDING" });
    const id = await createSpace({ addressLineTwo: "2. OG links", parentSpaceId: parent });
    const deviceId = await registerExternal(id);

    const upd = await client.api<{ spaceId: string }>("PUT", `/spaces/${id}`, { name: "Umbenannt", addressLineTwo: null });
    expect(upd).toMatchObject({ status: 200, body: { spaceId: id } });
    const updated = (await allSpaces()).find((s) => s.id === id)!;
    expect(updated).toMatchObject({ name: "Umbenannt", addressLineOne: "Lindenstraße 12", parentSpaceId: parent });
    expect(updated.addressLineTwo).toBeUndefined();

    expect((await client.api("PUT", `/spaces/${parent}`, { parentSpaceId: id })).status).toBe(400);
    expect((await client.api("DELETE", `/spaces/${parent}`)).status).toBe(409);

    const del = await client.api("DELETE", `/spaces/${id}`);
    expect(del.status).toBe(200);
    expect((await client.api("GET", `/spaces/${id}/devices`)).status).toBe(404);
    expect((await client.api("DELETE", `/devices/${deviceId}`)).status).toBe(404);
    expect((await allSpaces()).some((s) => s.id === id)).toBe(false);
    expect((await client.api("DELETE", `/spaces/${parent}`)).status).toBe(200);
  });

  it("answers 404 with a JSON message for unknown ids", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const [method, path] of [
      ["PUT", `/spaces/${unknown}`],
      ["DELETE", `/spaces/${unknown}`],
      ["GET", `/spaces/${unknown}/devices`],
      ["GET", `/spaces/${unknown}/users`],
      ["DELETE", `/devices/${unknown}`],
      ["GET", `/devices/${unknown}/readings?startTime=2024-01-01T00:00:00Z&endTime=2024-01-02T00:00:00Z&resolution=1_DAY&measurement=ENERGY`],
    ]) {
      const res = await client.api<{ message: string }>(method, path, method === "PUT" ? { name: "x" } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.message).toMatch(/not found/i);
    }
  });

  it("answers 400 with the field path and the problem", async () => {
    const missing = await client.api<{ message: string }>("POST", "/spaces", { ...newSpace(), name: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/^name: /);
    const category = await client.api<{ message: string }>("POST", "/spaces", newSpace({ category: "CASTLE" as never }));
    expect(category.body.message).toMatch(/^category: /);
    const json = await client.api<{ message: string }>("POST", "/spaces", "{not json");
    expect(json).toMatchObject({ status: 400, body: { message: "body: invalid JSON" } });
    const parent = await client.api<{ message: string }>("POST", "/spaces", newSpace({ parentSpaceId: "nope" }));
    expect(parent.body.message).toMatch(/^parentSpaceId: /);
  });
});

describe("invites and users", () => {
  it("invite → outbox → accept → the user appears in the space", async () => {
    const spaceId = await createSpace({ name: "Wohnung 3. OG links" });
    const email = `Erika.Mustermann+${Date.now()}@example.org`;
    const invite = await client.api<{ inviteLink: string }>("POST", `/spaces/${spaceId}/invites`, {
      sendInviteEmail: true,
      userEmail: email,
    });
    expect(invite.status).toBe(200);
    expect(invite.body.inviteLink).toMatch(new RegExp(`^${sandbox.url}/__sandbox/invites/[\\w-]+$`));

    const outbox = await client.control<{ emails: { to: string; subject: string; body: string; inviteLink: string; inviteToken: string; accessRoleId: string }[] }>(
      "GET",
      `/outbox?to=${encodeURIComponent(email.toLowerCase())}`,
    );
    expect(outbox.body.emails).toHaveLength(1);
    const mail = outbox.body.emails[0];
    expect(mail.subject).toContain("Wohnung 3. OG links");
    expect(mail.body).toContain(invite.body.inviteLink);
    expect(mail.body).toMatch(/Einladung annehmen/);
    const roles = (await client.api<AccessRoles>("GET", "/access-roles")).body.accessRoles;
    expect(roles.map((r) => r.name)).toEqual(["Bewohner", "Hausmeister", "Verwalter"]);
    expect(mail.accessRoleId).toBe(roles[0].id);

    const accepted = await client.control<{ userId: string; spaceId: string }>("POST", `/invites/${mail.inviteToken}/accept`, { name: "Erika Mustermann" });
    expect(accepted).toMatchObject({ status: 200, body: { spaceId } });
    const again = await client.control<{ userId: string }>("POST", `/invites/${mail.inviteToken}/accept`);
    expect(again.body.userId).toBe(accepted.body.userId);

    const users = await client.api<Users>("GET", `/spaces/${spaceId}/users`);
    expect(users.body.users).toHaveLength(1);
    expect(users.body.users[0]).toMatchObject({ id: accepted.body.userId, email, name: "Erika Mustermann" });
    const space = (await allSpaces()).find((s) => s.id === spaceId)!;
    expect(space.associatedUsersId).toEqual([accepted.body.userId]);
  });

  it("invites without e-mail, refuses unknown roles and tokens", async () => {
    const spaceId = await createSpace();
    const before = (await client.control<{ emails: unknown[] }>("GET", "/outbox")).body.emails.length;
    const quiet = await client.api("POST", `/spaces/${spaceId}/invites`, { sendInviteEmail: false, userEmail: "still@example.org" });
    expect(quiet.status).toBe(200);
    expect((await client.control<{ emails: unknown[] }>("GET", "/outbox")).body.emails).toHaveLength(before);
    const role = await client.api<{ message: string }>("POST", `/spaces/${spaceId}/invites`, {
      sendInviteEmail: true,
      userEmail: "x@example.org",
      accessRoleId: "no-such-role",
    });
    expect(role.status).toBe(400);
    expect(role.body.message).toMatch(/^accessRoleId: /);
    expect((await client.control("POST", "/invites/unknown-token/accept")).status).toBe(404);
  });

  it("adds, re-roles and removes users", async () => {
    const roles = (await client.api<AccessRoles>("GET", "/access-roles")).body.accessRoles;
    const spaceId = await createSpace();
    const invite = await client.api<{ inviteLink: string }>("POST", `/spaces/${spaceId}/invites`, { sendInviteEmail: false, userEmail: "hm@example.org" });
    const token = invite.body.inviteLink.split("/").pop()!;
    const { userId } = (await client.control<{ userId: string }>("POST", `/invites/${token}/accept`)).body;

    const other = await createSpace();
    expect((await client.api("POST", `/spaces/${other}/users/${userId}`, { accessRoleId: roles[1].id })).status).toBe(200);
    expect((await client.api("POST", `/spaces/${other}/users/unknown-user`, { accessRoleId: roles[1].id })).status).toBe(404);
    expect((await client.api("POST", `/spaces/${other}/users/${userId}`, { accessRoleId: "nope" })).status).toBe(400);
    expect((await client.api<Users>("GET", `/spaces/${other}/users`)).body.users.map((u) => u.id)).toEqual([userId]);

    expect((await client.api("DELETE", `/spaces/${other}/users/${userId}`)).status).toBe(200);
    expect((await client.api("DELETE", `/spaces/${other}/users/${userId}`)).status).toBe(404);
    const all = await client.api<{ spaceId: string }>("DELETE", `/spaces/${spaceId}/users`);
    expect(all.body).toEqual({ spaceId });
    expect((await client.api<Users>("GET", `/spaces/${spaceId}/users`)).body).toEqual({ users: [], totalNumPages: 0 });
  });
});

describe("devices", () => {
  it("registers all five kinds with realistic provider, status and ids", async () => {
    const spaceId = await createSpace();
    const base = (name: string) => ({ ...externalDevice(name, false) });
    await registerExternal(spaceId, { ...base("Extern"), externalDeviceId: "EXT-1", meteringLocationId: "DE0005626680200000000000000000001", serialNumber: "1EMH0011111111" });
    const post = (kind: string, body: unknown) => client.api<{ deviceId: string }>("POST", `/spaces/${spaceId}/devices/${kind}`, body);
    expect((await post("inexogy", { ...base("inexogy"), serialNumber: "1ESY1161234567" })).status).toBe(200);
    expect((await post("bluemetering", { ...base("BlueMetering"), meteringLocationId: "DE0005626680200000000000000000002", bluemeteringApiKey: "secret-key", meterNumber: "1EMH0022222222" })).status).toBe(200);
    expect(
      (
        await post("esa", {
          ...base("ESA"),
          malo: "41373559241",
          bdewCode: "9900000000001",
          customerName: "Erika Mustermann",
          declarationOfConsent: Buffer.from("%PDF-1.4").toString("base64"),
          sendInviteOnSuccessTo: "erika@example.org",
        })
      ).status,
    ).toBe(200);
    const nsm = await post("nonSmartMeter", {
      deviceName: "Gaszähler Keller",
      isMainDevice: true,
      deviceType: "NON_SMART_METER",
      deviceMedium: "GAS",
      readingMeasurementTime: epoch("2024-05-01T08:00:00Z"),
      readingUnit: "CUBIC_METRE",
      consumptionReadingValue: 1234.5,
      serialNumber: "7ZR12345678",
    });
    expect(nsm.status).toBe(200);

    const devices = await devicesOf(spaceId);
    const byName = Object.fromEntries(devices.map((d) => [d.name, d]));
    expect(byName.Extern).toMatchObject({ provider: "EXTERNAL", status: "CONNECTED", externalDeviceId: "EXT-1" });
    expect(byName.Extern.externalDeviceIds).toEqual(["EXT-1", "DE0005626680200000000000000000001", "1EMH0011111111"]);
    expect(byName.inexogy).toMatchObject({ provider: "DISCOVERGY", status: "CONNECTING", externalDeviceIds: ["1ESY1161234567"] });
    expect(byName.BlueMetering).toMatchObject({ provider: "BLUEMETERING", status: "CONNECTING" });
    expect(JSON.stringify(byName.BlueMetering)).not.toContain("secret-key");
    expect(byName.ESA).toMatchObject({ provider: "EDA", status: "CONNECTING", externalDeviceIds: ["41373559241"] });
    expect(byName.ESA.metaData).toContainEqual({ label: "BDEW-Code", value: "9900000000001" });
    expect(byName["Gaszähler Keller"]).toMatchObject({
      provider: "NON_SMART_METER_PROVIDER",
      status: "CONNECTED",
      medium: "GAS",
      isMainDevice: true,
      firstReadingTime: "2024-05-01T08:00:00.000Z",
    });

    const wrongUnit = await post("nonSmartMeter", {
      deviceName: "Strom",
      isMainDevice: false,
      deviceType: "NON_SMART_METER",
      deviceMedium: "ELECTRICITY",
      readingMeasurementTime: epoch("2024-05-01T08:00:00Z"),
      readingUnit: "CUBIC_METRE",
      consumptionReadingValue: 1,
    });
    expect(wrongUnit.status).toBe(400);
  });

  it("stores a non-smart meter's readings and replaces one with isReadingUpdate", async () => {
    const spaceId = await createSpace();
    const body = {
      deviceName: "Stromzähler Altbau",
      isMainDevice: true,
      deviceType: "NON_SMART_METER",
      deviceMedium: "ELECTRICITY",
      isBidirectional: true,
      readingMeasurementTime: epoch("2024-05-01T00:00:00Z"),
      readingUnit: "KILO_WATT_HOUR",
      consumptionReadingValue: 4711,
      ingestionReadingValue: 815,
      serialNumber: "1APX0012345678",
    };
    const { deviceId } = (await client.api<{ deviceId: string }>("POST", `/spaces/${spaceId}/devices/nonSmartMeter`, body)).body;
    const update = await client.api<{ deviceId: string }>("POST", `/spaces/${spaceId}/devices/nonSmartMeter`, {
      ...body,
      consumptionReadingValue: 4712,
      ingestionReadingValue: undefined,
      isReadingUpdate: true,
    });
    expect(update.body.deviceId).toBe(deviceId);
    const q = "startTime=2024-05-01T00:00:00Z&endTime=2024-05-02T00:00:00Z&resolution=1_DAY&measurement=METER_READING";
    const readings = (await client.api<DeviceReading[]>("GET", `/devices/${deviceId}/readings?${q}`)).body;
    expect(readings.map((r) => [r.direction, r.value, r.unit])).toEqual([
      ["IN", 4712, "kWh"],
      ["OUT", 815, "kWh"],
    ]);
    expect((await devicesOf(spaceId))[0].directions).toEqual(["IN", "OUT"]);
  });

  it("keeps one main device per medium in a space", async () => {
    const spaceId = await createSpace();
    const a = await registerExternal(spaceId, externalDevice("A"));
    const b = await registerExternal(spaceId, externalDevice("B"));
    const main = async () => Object.fromEntries((await devicesOf(spaceId)).map((d) => [d.id, d.isMainDevice]));
    expect(await main()).toEqual({ [a]: false, [b]: true });

    expect((await client.api("POST", `/spaces/${spaceId}/devices/${a}/details`, { isMainDevice: true, deviceName: "A2" })).status).toBe(200);
    expect(await main()).toEqual({ [a]: true, [b]: false });

    // Unlink keeps the device; link it elsewhere as main.
    const other = await createSpace();
    expect((await client.api("DELETE", `/spaces/${spaceId}/devices/${b}`)).status).toBe(200);
    expect((await client.api("DELETE", `/spaces/${spaceId}/devices/${b}`)).status).toBe(404);
    expect((await client.api("POST", `/spaces/${other}/devices/${b}`, { isMainDevice: true })).status).toBe(200);
    expect((await devicesOf(other)).map((d) => [d.id, d.isMainDevice])).toEqual([[b, true]]);
    expect((await client.api("DELETE", `/devices/${b}`)).status).toBe(200);
    expect(await devicesOf(other)).toEqual([]);
  });
});

describe("readings", () => {
  const T0 = "2024-05-01T00:00:00Z";
  const at = (minutes: number) => epoch(T0) + minutes * 60;
  const query = (measurement: string, resolution: string, end = "2024-05-01T02:00:00Z") =>
    `startTime=${T0}&endTime=${end}&resolution=${resolution}&measurement=${measurement}`;
  const series = async (deviceId: string, measurement: string, resolution: string) => {
    const res = await client.api<DeviceReading[]>("GET", `/devices/${deviceId}/readings?${query(measurement, resolution)}`);
    expect(res.status).toBe(200);
    return res.body.map((r) => [r.timeStamp.slice(11, 16), r.direction, r.value]);
  };

  let spaceId: string;
  let deviceId: string;
  beforeAll(async () => {
    spaceId = await createSpace();
    deviceId = await registerExternal(spaceId, { ...externalDevice("Zähler"), externalDeviceId: "READ-TEST-1" });
    const store = await client.api("POST", "/devices/readings", [
      {
        deviceId,
        readings: [
          [0, 100],
          [15, 100.5],
          [30, 101.5],
          [45, 102],
          [60, 103],
        ].map(([m, value]) => ({ obisCode: "1.8.0", timestamp: at(m), value })),
      },
      {
        externalDeviceId: "READ-TEST-1",
        readings: [
          { obisCode: "1-1:2.8.0", timestamp: at(0), value: 50 },
          { obisCode: "1-1:2.8.0", timestamp: at(60), value: 52 },
        ],
      },
    ]);
    expect(store.status).toBe(200);
  });

  it("derives METER_READING as the last register value per bucket", async () => {
    expect(await series(deviceId, "METER_READING", "15_MIN")).toEqual([
      ["00:00", "IN", 100],
      ["00:00", "OUT", 50],
      ["00:15", "IN", 100.5],
      ["00:30", "IN", 101.5],
      ["00:45", "IN", 102],
      ["01:00", "IN", 103],
      ["01:00", "OUT", 52],
    ]);
    expect(await series(deviceId, "METER_READING", "1_HOUR")).toEqual([
      ["00:00", "IN", 102],
      ["00:00", "OUT", 50],
      ["01:00", "IN", 103],
      ["01:00", "OUT", 52],
    ]);
  });

  it("derives ENERGY as register increase per bucket and POWER as its average in kW", async () => {
    expect(await series(deviceId, "ENERGY", "15_MIN")).toEqual([
      ["00:00", "IN", 0.5],
      ["00:15", "IN", 1],
      ["00:30", "IN", 0.5],
      ["00:45", "IN", 1],
      ["00:45", "OUT", 2],
    ]);
    expect(await series(deviceId, "ENERGY", "1_HOUR")).toEqual([
      ["00:00", "IN", 3],
      ["00:00", "OUT", 2],
    ]);
    expect(await series(deviceId, "POWER", "15_MIN")).toEqual([
      ["00:00", "IN", 2],
      ["00:15", "IN", 4],
      ["00:30", "IN", 2],
      ["00:45", "IN", 4],
      ["00:45", "OUT", 8],
    ]);
    const res = await client.api<DeviceReading[]>("GET", `/devices/${deviceId}/readings?${query("POWER", "1_HOUR")}`);
    expect(res.body[0]).toMatchObject({ unit: "kW", label: "Bezug", deviceType: "SMART_METER", deviceProvider: "EXTERNAL", medium: "ELECTRICITY" });
  });

  it("replaces a reading at the same device, code and timestamp", async () => {
    const other = await registerExternal(spaceId, externalDevice("Ersatz", false));
    const post = (value: number) =>
      client.api("POST", "/devices/readings", [
        { deviceId: other, readings: [{ obisCode: "1.8.0", timestamp: at(0), value: 10 }, { obisCode: "1-1:1.8.0", timestamp: at(15), value }] },
      ]);
    await post(11);
    await post(12.25);
    const res = await client.api<DeviceReading[]>("GET", `/devices/${other}/readings?${query("ENERGY", "1_HOUR")}`);
    expect(res.body.map((r) => r.value)).toEqual([2.25]);
  });

  it("sums interval codes for ENERGY", async () => {
    const id = await registerExternal(spaceId, externalDevice("Lastgang", false));
    await client.api("POST", "/devices/readings", [
      { deviceId: id, readings: [0, 15, 30, 45, 60].map((m, i) => ({ obisCode: "1.29.0", timestamp: at(m), value: i + 1, meteringInterval: 900 })) },
    ]);
    expect(await series(id, "ENERGY", "1_HOUR")).toEqual([
      ["00:00", "IN", 10],
      ["01:00", "IN", 5],
    ]);
    expect(await series(id, "METER_READING", "1_HOUR")).toEqual([]);
  });

  it("serves a space's readings from its main device", async () => {
    const res = await client.api<DeviceReading[]>("GET", `/spaces/${spaceId}/readings?${query("ENERGY", "1_HOUR")}&medium=ELECTRICITY`);
    expect(res.body.map((r) => [r.deviceId, r.value])).toEqual([
      [deviceId, 3],
      [deviceId, 2],
    ]);
    const gas = await client.api<DeviceReading[]>("GET", `/spaces/${spaceId}/readings?${query("ENERGY", "1_HOUR")}&medium=GAS`);
    expect(gas).toMatchObject({ status: 200, body: [] });
  });

  it("rejects millisecond timestamps, foreign OBIS codes and unknown devices", async () => {
    const ms = await client.api<{ message: string }>("POST", "/devices/readings", [
      { deviceId, readings: [{ obisCode: "1.8.0", timestamp: at(0) * 1000, value: 1 }] },
    ]);
    expect(ms.status).toBe(400);
    expect(ms.body.message).toBe("[0].readings[0].timestamp: timestamp must be epoch seconds, not milliseconds");

    const gas = await client.api<{ message: string }>("POST", "/devices/readings", [
      { deviceId, readings: [{ obisCode: "1.8.0", timestamp: at(120), value: 200 }, { obisCode: "7-1:3.1.0", timestamp: at(0), value: 1 }] },
    ]);
    expect(gas.status).toBe(400);
    expect(gas.body.message).toMatch(/^\[0\]\.readings\[1\]\.obisCode: 7-1:3\.1\.0 is a GAS code/);
    // All or nothing: the valid reading in the refused batch was not stored.
    expect((await series(deviceId, "METER_READING", "1_HOUR")).at(-1)).toEqual(["01:00", "OUT", 52]);

    expect((await client.api("POST", "/devices/readings", [{ externalDeviceId: "nobody", readings: [{ obisCode: "1.8.0", timestamp: 1, value: 1 }] }])).status).toBe(404);
    const range = await client.api<{ message: string }>("GET", `/devices/${deviceId}/readings?${query("ENERGY", "1_HOUR", T0)}`);
    expect(range.body.message).toMatch(/^endTime: /);
  });
});

describe("master data: customers and contracts", () => {
  type Outbox = { emails: { to: string; subject: string; body: string; inviteLink: string; inviteToken: string; spaceId: string; accessRoleId: string }[] };
  let n = 0;
  /** Unique per call: the sandbox is shared by every test in this file. */
  const unique = (prefix: string) => `${prefix}-${Date.now()}-${++n}`;
  const melo = () => `DE0005621011500000${String(Date.now()).slice(-9)}${String(++n).padStart(6, "0")}`;
  const outboxOf = async (email: string) => (await client.control<Outbox>("GET", `/outbox?to=${encodeURIComponent(email)}`)).body.emails;

  async function addCustomer(body: Record<string, unknown>) {
    const res = await client.api<{ customer_id: string }>("POST", "/customers", body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.customer_id;
  }
  const contractBody = (overrides: Record<string, unknown> = {}) => ({
    external_id: unique("V"),
    address_line_one: "Lindenstraße 12",
    address_line_two: "3. OG links",
    postcode: "10115",
    city: "Berlin",
    ...overrides,
  });
  async function addContract(customerId: string, body: Record<string, unknown>) {
    const res = await client.api<{ contract_id: string }>("POST", `/customers/${encodeURIComponent(customerId)}/contracts`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.contract_id;
  }
  /** A new customer (with e-mail) whose invite is accepted: its id, external id and the user's id. */
  async function acceptedCustomer(name: string) {
    const externalId = unique("K");
    const email = `${externalId.toLowerCase()}@example.org`;
    const customerId = await addCustomer({ external_id: externalId, email, name });
    const [mail] = await outboxOf(email);
    const accepted = await client.control<{ userId: string; customerId: string }>("POST", `/customer-invites/${mail.inviteToken}/accept`);
    expect(accepted).toMatchObject({ status: 200, body: { customerId } });
    return { customerId, externalId, userId: accepted.body.userId };
  }
  /** Every device of every space, once per link. */
  async function allDeviceLinks() {
    const links: { spaceId: string; device: Devices["devices"][number] }[] = [];
    for (const space of await allSpaces()) for (const device of await devicesOf(space.id)) links.push({ spaceId: space.id, device });
    return links;
  }

  it("upserts a customer by external_id and invites an e-mail once", async () => {
    const externalId = unique("K");
    const email = `${externalId.toLowerCase()}@example.org`;
    const id = await addCustomer({ external_id: externalId });
    expect(await addCustomer({ external_id: externalId, name: "Erika Mustermann" })).toBe(id);
    expect(await outboxOf(email)).toHaveLength(0);

    expect(await addCustomer({ external_id: externalId, email })).toBe(id);
    expect(await addCustomer({ external_id: externalId, email })).toBe(id);
    expect(await addCustomer({ external_id: externalId, email: `other-${email}`, name: "Erika M." })).toBe(id);
    const mails = await outboxOf(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].inviteLink).toMatch(new RegExp(`^${sandbox.url}/__sandbox/customer-invites/[\\w-]+$`));
    expect(mails[0].body).toContain(mails[0].inviteLink);
    expect(mails[0].body).toMatch(/^Hallo Erika Mustermann,/);
    expect(await outboxOf(`other-${email}`)).toHaveLength(0);
    const invite = await client.control<{ customerId: string; email: string; acceptedUserId: null }>("GET", `/customer-invites/${mails[0].inviteToken}`);
    expect(invite.body).toMatchObject({ customerId: id, email, acceptedUserId: null });

    const customers = await client.api<Customers>("GET", `/customers?pageSize=${PAGE_SIZE_MAX}&page=0`);
    const all = [...customers.body.customers];
    for (let page = 1; page < customers.body.totalNumPages; page++) {
      all.push(...(await client.api<Customers>("GET", `/customers?pageSize=${PAGE_SIZE_MAX}&page=${page}`)).body.customers);
    }
    expect(all.filter((c) => c.external_id === externalId)).toEqual([{ id, external_id: externalId, email, name: "Erika M." }]);

    const bad = await client.api<{ message: string }>("POST", "/customers", { email });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^external_id: /);
  });

  it("pages customers from page 0 in creation order and caps pageSize", async () => {
    const before = (await client.api<Customers>("GET", "/customers?pageSize=1")).body.totalNumPages;
    const ids: string[] = [];
    for (let i = 0; i < PAGE_SIZE_MAX + 5; i++) ids.push(await addCustomer({ external_id: unique("P") }));
    const total = before + ids.length;

    const capped = await client.api<Customers>("GET", "/customers?pageSize=1000");
    expect(capped.status).toBe(200);
    expect(capped.body.customers).toHaveLength(PAGE_SIZE_MAX);
    expect(capped.body.totalNumPages).toBe(Math.ceil(total / PAGE_SIZE_MAX));

    const pageSize = 7;
    const listed: string[] = [];
    const first = await client.api<Customers>("GET", `/customers?page=0&pageSize=${pageSize}`);
    expect(first.body.totalNumPages).toBe(Math.ceil(total / pageSize));
    listed.push(...first.body.customers.map((c) => c.id));
    for (let page = 1; page < first.body.totalNumPages; page++) {
      listed.push(...(await client.api<Customers>("GET", `/customers?page=${page}&pageSize=${pageSize}`)).body.customers.map((c) => c.id));
    }
    expect(listed).toHaveLength(total);
    expect(listed.slice(-ids.length)).toEqual(ids);
    expect((await client.api<Customers>("GET", `/customers?page=${first.body.totalNumPages}&pageSize=${pageSize}`)).body.customers).toEqual([]);
  });

  it("creates one top-level space and one external device per contract, idempotently", async () => {
    const customerExternalId = unique("K");
    const customerId = await addCustomer({ external_id: customerExternalId });
    const meterId = melo();
    const body = contractBody({ start_date: "2026-01-15", custom_attributes: { melo: meterId, tariff: "basic" } });
    const spacesBefore = (await allSpaces()).length;

    const contractId = await addContract(customerId, body);
    const spaces = await allSpaces();
    expect(spaces).toHaveLength(spacesBefore + 1);
    const space = spaces[spaces.length - 1];
    expect(space).toMatchObject({ name: "Lindenstraße 12, 3. OG links", addressLineOne: "Lindenstraße 12", addressLineTwo: "3. OG links", postcode: "10115", city: "Berlin", category: "FLAT" });
    expect(space.parentSpaceId).toBeUndefined();
    const devices = await devicesOf(space.id);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      name: `Zähler ${meterId}`,
      deviceType: "SMART_METER",
      provider: "EXTERNAL",
      status: "CONNECTED",
      medium: "ELECTRICITY",
      isMainDevice: true,
      externalDeviceId: meterId,
    });
    expect(devices[0].metaData).toContainEqual({ label: "MeLo", value: meterId });

    // The same contract again, also addressed by the customer's external id: nothing new.
    expect(await addContract(customerId, body)).toBe(contractId);
    expect(await addContract(customerExternalId, { ...body, address_line_one: "Lindenstraße 12a" })).toBe(contractId);
    expect(await allSpaces()).toHaveLength(spacesBefore + 1);
    expect(await devicesOf(space.id)).toHaveLength(1);

    // A contract without MeLo/MaLo gets a space but no device; the medium is the contract's.
    const plain = await addContract(customerExternalId, contractBody({ address_line_two: undefined, medium: "GAS" }));
    expect(plain).not.toBe(contractId);
    const latest = (await allSpaces()).at(-1)!;
    expect(latest).toMatchObject({ name: "Lindenstraße 12", category: "FLAT" });
    expect(await devicesOf(latest.id)).toEqual([]);
    const gasMeter = melo();
    await addContract(customerId, contractBody({ medium: "GAS", custom_attributes: { malo: gasMeter } }));
    const [gas] = await devicesOf((await allSpaces()).at(-1)!.id);
    expect(gas).toMatchObject({ medium: "GAS", externalDeviceId: gasMeter });
    expect(gas.metaData).toContainEqual({ label: "MaLo", value: gasMeter });
  });

  it("lists the contracts of the customers whose external id starts with a prefix under /__sandbox/contracts", async () => {
    type Listed = { contracts: { id: string; customerExternalId: string; externalId: string; spaceId: string }[] };
    const prefix = `${unique("Kp")}_%-`;
    const first = await addCustomer({ external_id: `${prefix}1` });
    const second = await addCustomer({ external_id: `${prefix}2` });
    // Not of the prefix: `_` and `%` are plain characters, not LIKE wildcards.
    const other = await addCustomer({ external_id: `${prefix.slice(0, -3)}xx-1` });
    const a = await addContract(first, contractBody({ external_id: "V-1" }));
    const b = await addContract(second, contractBody({ external_id: "V-1" }));
    const c = await addContract(second, contractBody({ external_id: "V-2" }));
    await addContract(other, contractBody({ external_id: "V-1" }));
    // Sent again: still one contract.
    await addContract(first, contractBody({ external_id: "V-1" }));

    const listed = await client.control<Listed>("GET", `/contracts?customerPrefix=${encodeURIComponent(prefix)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.contracts.map((x) => [x.id, x.customerExternalId, x.externalId])).toEqual([
      [a, `${prefix}1`, "V-1"],
      [b, `${prefix}2`, "V-1"],
      [c, `${prefix}2`, "V-2"],
    ]);
    expect(new Set(listed.body.contracts.map((x) => x.spaceId)).size).toBe(3);
    expect((await client.control<Listed>("GET", "/contracts?customerPrefix=nobody-has-this-")).body).toEqual({ contracts: [] });
    expect((await client.control("GET", "/contracts")).status).toBe(400);
    // Read-only.
    expect((await client.control("POST", "/contracts?customerPrefix=x")).status).toBe(404);
  });

  it("answers 404 for unknown customers and contracts, 400 for a wrong externalDeviceId", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const missing = await client.api<{ message: string }>("POST", `/customers/${unknown}/contracts`, contractBody());
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/not found/i);
    expect((await client.api("GET", `/customers/${unknown}/support-contact`)).status).toBe(404);
    expect((await client.api("PUT", `/customers/${unknown}/contracts/${unknown}/time-window`, { externalDeviceId: "x" })).status).toBe(404);

    const externalId = unique("K");
    const customerId = await addCustomer({ external_id: externalId });
    const meterId = melo();
    const contract = contractBody({ custom_attributes: { melo: meterId } });
    const contractId = await addContract(externalId, contract);
    const path = (c: string, k: string) => `/customers/${encodeURIComponent(c)}/contracts/${encodeURIComponent(k)}/time-window`;
    expect((await client.api("PUT", path(externalId, unknown), { externalDeviceId: meterId })).status).toBe(404);

    const wrong = await client.api<{ message: string }>("PUT", path(customerId, contractId), { externalDeviceId: "DE-NOT-THIS-METER" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/^externalDeviceId: /);
    const millis = await client.api<{ message: string }>("PUT", path(customerId, contractId), { externalDeviceId: meterId, timeWindowStart: Date.now() });
    expect(millis.status).toBe(400);
    expect(millis.body.message).toMatch(/^timeWindowStart: .*seconds/);
    const backwards = await client.api("PUT", path(customerId, contractId), { externalDeviceId: meterId, timeWindowStart: 2000, timeWindowEnd: 1000 });
    expect(backwards.status).toBe(400);

    for (const [c, k] of [[customerId, contractId], [externalId, contract.external_id]]) {
      const ok = await client.api("PUT", path(c, k), { externalDeviceId: meterId, timeWindowStart: epoch("2026-01-01T00:00:00Z") });
      expect(ok).toMatchObject({ status: 200, body: undefined });
    }

    const support = await client.api<SupportContact>("GET", `/customers/${externalId}/support-contact`);
    expect(support.status).toBe(200);
    expect(support.body).toEqual({
      id: expect.any(String),
      full_name: expect.any(String),
      email: expect.stringContaining("@"),
      phone: expect.stringMatching(/^\+49 /),
      picture_url: expect.stringMatching(/^https:\/\//),
    });
  });

  it("links the existing device when a second customer's contract has the same MeLo (a tenant change)", async () => {
    const meterId = melo();
    const first = await addCustomer({ external_id: unique("K") });
    const second = await addCustomer({ external_id: unique("K") });
    await addContract(first, contractBody({ start_date: "2026-01-01", custom_attributes: { melo: meterId } }));
    const firstSpace = (await allSpaces()).at(-1)!;
    const [device] = await devicesOf(firstSpace.id);

    await addContract(second, contractBody({ start_date: "2026-06-01", custom_attributes: { melo: meterId } }));
    const secondSpace = (await allSpaces()).at(-1)!;
    expect(secondSpace.id).not.toBe(firstSpace.id);
    expect(secondSpace.parentSpaceId).toBeUndefined();
    expect(await devicesOf(secondSpace.id)).toEqual([expect.objectContaining({ id: device.id, isMainDevice: true, externalDeviceId: meterId })]);

    const links = (await allDeviceLinks()).filter((l) => l.device.externalDeviceIds?.includes(meterId));
    expect(new Set(links.map((l) => l.device.id))).toEqual(new Set([device.id]));
    expect(links.map((l) => l.spaceId).sort()).toEqual([firstSpace.id, secondSpace.id].sort());
    // Exactly one device answers to the MeLo, so readings can be pushed with it.
    expect((await client.api("POST", "/devices/readings", [{ externalDeviceId: meterId, readings: [{ obisCode: "1.8.0", timestamp: epoch("2026-06-02T00:00:00Z"), value: 1 }] }])).status).toBe(200);
  });

  it("accepting a customer invite makes the user a member of its contracts' spaces, also of later ones", async () => {
    const externalId = unique("K");
    const email = `${externalId.toLowerCase()}@example.org`;
    const customerId = await addCustomer({ external_id: externalId, email, name: "Max Mustermann" });
    await addContract(customerId, contractBody({ custom_attributes: { melo: melo() } }));
    const before = (await allSpaces()).at(-1)!;
    expect(before.associatedUsersId).toEqual([]);

    const [mail] = await outboxOf(email);
    const accepted = await client.control<{ userId: string; spaceIds: string[] }>("POST", `/customer-invites/${mail.inviteToken}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.spaceIds).toEqual([before.id]);
    const { userId } = accepted.body;
    const users = (await client.api<Users>("GET", `/spaces/${before.id}/users`)).body.users;
    expect(users).toEqual([expect.objectContaining({ id: userId, email, name: "Max Mustermann" })]);
    expect((await client.control<{ userId: string }>("POST", `/customer-invites/${mail.inviteToken}/accept`)).body.userId).toBe(userId);
    expect((await client.control<{ acceptedUserId: string }>("GET", `/customer-invites/${mail.inviteToken}`)).body.acceptedUserId).toBe(userId);

    await addContract(externalId, contractBody());
    const later = (await allSpaces()).at(-1)!;
    expect(later.id).not.toBe(before.id);
    expect(later.associatedUsersId).toEqual([userId]);
    expect((await client.control("POST", "/customer-invites/unknown-token/accept")).status).toBe(404);
  });

  describe("what a user sees of a device's readings", () => {
    const query = "measurement=METER_READING&resolution=1_DAY&startTime=2026-11-01T00:00:00%2B01:00&endTime=2026-12-01T00:00:00%2B01:00";
    const tenantChange = epoch("2026-11-14T23:00:00Z"); // 2026-11-15 00:00 Europe/Berlin
    let meterId: string;
    let deviceId: string;
    let tenantA: Awaited<ReturnType<typeof acceptedCustomer>>;
    let tenantB: Awaited<ReturnType<typeof acceptedCustomer>>;
    const seenBy = async (userId: string) => {
      const res = await client.control<DeviceReading[]>("GET", `/users/${userId}/devices/${deviceId}/readings?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const timeWindow = (body: Record<string, unknown>) =>
      client.api("PUT", `/customers/${tenantA.externalId}/contracts/VA-${meterId}/time-window`, { externalDeviceId: meterId, ...body });

    beforeAll(async () => {
      meterId = melo();
      tenantA = await acceptedCustomer("Mieterin A");
      tenantB = await acceptedCustomer("Mieter B");
      await addContract(tenantA.customerId, contractBody({ external_id: `VA-${meterId}`, start_date: "2026-10-01", custom_attributes: { melo: meterId } }));
      deviceId = (await devicesOf((await allSpaces()).at(-1)!.id))[0].id;
      expect((await timeWindow({ timeWindowEnd: tenantChange })).status).toBe(200);
      await addContract(tenantB.externalId, contractBody({ start_date: "2026-11-15", custom_attributes: { melo: meterId } }));

      // Daily register values at 12:00 Berlin, 2026-11-01 … 2026-11-30, in epoch seconds.
      const readings = Array.from({ length: 30 }, (_, i) => ({
        obisCode: "1.8.0",
        timestamp: epoch(`2026-11-${String(i + 1).padStart(2, "0")}T11:00:00Z`),
        value: 1000 + i,
      }));
      expect((await client.api("POST", "/devices/readings", [{ externalDeviceId: meterId, readings }])).status).toBe(200);
    });

    it("the partner sees the whole month", async () => {
      const res = await client.api<DeviceReading[]>("GET", `/devices/${deviceId}/readings?${query}`);
      expect(res.body).toHaveLength(30);
      expect((await seenBy(tenantA.userId)).every((p) => p.deviceId === deviceId && p.measurement === "METER_READING")).toBe(true);
    });

    it("tenant A sees only the days before the tenant change, tenant B only from then on", async () => {
      const a = await seenBy(tenantA.userId);
      expect(a).toHaveLength(14);
      expect(a.every((p) => Date.parse(p.timeStamp) / 1000 < tenantChange)).toBe(true);
      expect(a.map((p) => p.value)).toEqual(Array.from({ length: 14 }, (_, i) => 1000 + i));

      const b = await seenBy(tenantB.userId);
      expect(b).toHaveLength(16);
      expect(b.every((p) => Date.parse(p.timeStamp) / 1000 >= tenantChange)).toBe(true);
      expect(b[0]).toMatchObject({ timeStamp: "2026-11-15T00:00:00.000Z", value: 1014 });
    });

    it("the later contract ends the earlier one's view without a time window; a window bounds it further", async () => {
      expect((await timeWindow({})).status).toBe(200);
      const unbounded = await seenBy(tenantA.userId);
      expect(unbounded).toHaveLength(14);

      expect((await timeWindow({ timeWindowStart: epoch("2026-11-04T23:00:00Z"), timeWindowEnd: epoch("2026-11-09T23:00:00Z") })).status).toBe(200);
      expect((await seenBy(tenantA.userId)).map((p) => p.timeStamp.slice(0, 10))).toEqual(["2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08", "2026-11-09"]);
      expect(await seenBy(tenantB.userId)).toHaveLength(16);
    });

    it("a user without a contract on the device sees nothing", async () => {
      const other = await acceptedCustomer("Jemand anderes");
      expect(await seenBy(other.userId)).toEqual([]);
      expect((await client.control("GET", `/users/unknown-user/devices/${deviceId}/readings?${query}`)).status).toBe(404);
      expect((await client.control("GET", `/users/${other.userId}/devices/${deviceId}/readings?measurement=METER_READING`)).status).toBe(400);
    });
  });
});

describe("faults and stats", () => {
  it("fails the next calls deterministically, sparing the token call", async () => {
    await client.token();
    sandbox.setFaults({ failNext: { status: 503, count: 2 } });
    expect((await client.newToken()).status).toBe(200);
    expect((await client.api<{ message: string }>("GET", "/access-roles")).status).toBe(503);
    expect((await client.api("GET", "/spaces")).status).toBe(503);
    expect((await client.api("GET", "/spaces")).status).toBe(200);

    const set = await client.control<{ failNext: unknown; retryAfterSeconds: number }>("PUT", "/faults", {
      failNext: { status: 429, count: 1, operations: ["getAccessRoles"] },
      retryAfterSeconds: 7,
    });
    expect(set.body).toMatchObject({ retryAfterSeconds: 7, failNext: { status: 429, count: 1 } });
    expect((await client.api("GET", "/spaces")).status).toBe(200);
    const limited = await client.api("GET", "/access-roles");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await client.control<{ failNext: unknown }>("GET", "/faults")).body.failNext).toBeNull();
    expect((await client.control("PUT", "/faults", { errorRate: 2 })).status).toBe(400);
    sandbox.setFaults({ retryAfterSeconds: 1 });
  });

  it("injects random errors and 429s at the configured rates", async () => {
    sandbox.setFaults({ errorRate: 1 });
    expect((await client.api("GET", "/spaces")).status).toBe(503);
    sandbox.setFaults({ errorRate: 0, rateLimitRate: 1 });
    const limited = await client.api("GET", "/spaces");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await client.newToken()).status).toBe(200);
    sandbox.setFaults({ rateLimitRate: 0 });
  });

  it("adds latency to partner calls", async () => {
    await client.token();
    sandbox.setFaults({ latencyMs: 150 });
    const t0 = performance.now();
    await client.api("GET", "/access-roles");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    sandbox.setFaults({ latencyMs: 0 });
  });

  it("counts requests per operationId and token requests", async () => {
    await client.token();
    sandbox.resetStats();
    await client.api("GET", "/spaces");
    await client.api("GET", "/spaces");
    await client.newToken();
    expect(sandbox.stats()).toEqual({ requests: { getSpaces: 2, createApiToken: 1 }, tokenRequests: 1 });
    expect((await client.control("GET", "/stats")).body).toEqual(sandbox.stats());
    await client.control("POST", "/stats/reset");
    expect(sandbox.stats()).toEqual({ requests: {}, tokenRequests: 0 });
  });

  it("answers health and unknown paths", async () => {
    expect((await client.control("GET", "/health")).body).toMatchObject({ ok: true });
    expect((await client.api("GET", "/nope")).status).toBe(404);
  });
});

describe("persistence and determinism", () => {
  it("keeps state in a file database with the same seed parameters and reseeds on new ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-test-"));
    const dbPath = join(dir, "sandbox.sqlite");
    try {
      const opts = { dbPath, spaces: 5, readingDays: 0, quiet: true };
      let sb = await startSandbox(opts);
      const id = await sandboxClient(sb).api<{ spaceId: string }>("POST", "/spaces", newSpace({ name: "Bleibt" }));
      await sb.close();

      sb = await startSandbox(opts);
      expect((await allSpaces(sandboxClient(sb))).some((s) => s.id === id.body.spaceId && s.name === "Bleibt")).toBe(true);
      await sb.close();

      sb = await startSandbox({ ...opts, seed: 43 });
      const reseeded = await allSpaces(sandboxClient(sb));
      expect(reseeded).toHaveLength(5);
      expect(reseeded.some((s) => s.id === id.body.spaceId)).toBe(false);
      await sb.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("seeds the same data from the same seed", async () => {
    const snapshot = async (seed: number) => {
      const sb = await startSandbox({ seed, spaces: 12, readingDays: 1, quiet: true });
      try {
        const c = sandboxClient(sb);
        const spaces = (await c.api<Spaces>("GET", "/spaces")).body.spaces;
        const devices = await Promise.all(spaces.map(async (s) => (await c.api<Devices>("GET", `/spaces/${s.id}/devices`)).body.devices));
        return { spaces, devices: devices.flat().map(({ id, externalDeviceIds, status }) => ({ id, externalDeviceIds, status })) };
      } finally {
        await sb.close();
      }
    };
    const a = await snapshot(7);
    expect(await snapshot(7)).toEqual(a);
    expect((await snapshot(8)).spaces.map((s) => s.id)).not.toEqual(a.spaces.map((s) => s.id));
  });
});

describe("outage", () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ spaces: 5, readingDays: 0, quiet: true });
  });
  afterAll(() => sb?.close());

  /** "answered", or the error code of a failed request (fetch puts it on `cause`). */
  const outcome = (call: Promise<unknown>) =>
    call.then(
      () => "answered",
      (error: Error & { code?: string }) => (error.cause as { code?: string } | undefined)?.code ?? error.code ?? error.message,
    );

  it("refuses connections for downForMs after answering the PUT, then comes back with its state", async () => {
    const c = sandboxClient(sb);
    const { spaceId } = (await c.api<{ spaceId: string }>("POST", "/spaces", newSpace({ name: "Übersteht den Ausfall" }))).body;
    expect((await c.control("PUT", "/faults", { downForMs: 600_001 })).status).toBe(400);

    // The outage starts once the answer is sent, which is before the client has read it.
    const t0 = performance.now();
    const set = await c.control<{ retryAfterSeconds: number }>("PUT", "/faults", { downForMs: 400, retryAfterSeconds: 9 });
    expect(set).toMatchObject({ status: 200, body: { retryAfterSeconds: 9 } });
    // Give fetch a moment to see that its pooled connections were cut, or it may reuse one and
    // fail with "other side closed" instead of trying a new connection.
    await sleep(50);
    expect(await outcome(c.api("GET", "/access-roles"))).toBe("ECONNREFUSED");
    expect(await outcome(c.control("GET", "/health"))).toBe("ECONNREFUSED");

    await sb.whenUp();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(395); // timers may fire a hair early
    // The token from before the outage still works, and so do the space and the fault setting.
    expect((await c.api("GET", "/access-roles")).status).toBe(200);
    expect((await allSpaces(c)).find((s) => s.id === spaceId)?.name).toBe("Übersteht den Ausfall");
    expect((await c.control<{ retryAfterSeconds: number }>("GET", "/faults")).body.retryAfterSeconds).toBe(9);
    sb.setFaults({ retryAfterSeconds: 1 });
  });

  it("cuts an in-flight request on a keep-alive connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: Socket[] = [];
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${sb.url}${path}`, { agent }, (res) => {
          res.resume().on("end", () => resolve(res.statusCode!));
        });
        req.on("socket", (socket) => sockets.push(socket)).on("error", reject).end();
      });
    try {
      await sb.whenUp();
      expect(await get("/__sandbox/health")).toBe(200);
      sb.setFaults({ latencyMs: 1000 });
      const inFlight = outcome(get("/partner/access-roles"));
      await sleep(100); // the request is now waiting out the latency on the server
      await sb.goDown(100);
      expect(await inFlight).toBe("ECONNRESET");
      expect(sockets).toHaveLength(2);
      expect(sockets[1]).toBe(sockets[0]);
      await sb.whenUp();
      sb.setFaults({ latencyMs: 0 });
      expect(await get("/__sandbox/health")).toBe(200);
    } finally {
      sb.setFaults({ latencyMs: 0 });
      agent.destroy();
    }
  });

  it("closes while down without coming back", async () => {
    const own = await startSandbox({ spaces: 1, readingDays: 0, quiet: true });
    await own.goDown(50);
    await own.close();
    await own.whenUp(); // settles on close rather than hanging
    await sleep(150);
    expect(await outcome(fetch(`${own.url}/__sandbox/health`))).toBe("ECONNREFUSED");
  });
});
