/**
 * Checks the sandbox and lib/partner-api/schemas.ts against the vendor's OpenAPI document
 * (read from ../shared/partner-api/openapi.yaml, never copied). The document is not strictly
 * valid OpenAPI (partner-api README, point 10), so it is not validated as a whole: its
 * schemas are handed to Ajv in non-strict mode and bodies are validated against them.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import * as schemas from "../lib/partner-api/schemas";
import { startSandbox, type RunningSandbox } from "./server";
import { epoch, sandboxClient, type CallResult, type SandboxClient } from "./test-client";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const specPath = process.env.ZF_OPENAPI_PATH ?? resolve(repoRoot, "../shared/partner-api/openapi.yaml");
const specExists = existsSync(specPath);
if (!specExists) {
  console.warn(`sandbox/contract.test.ts skipped: no OpenAPI document at ${specPath} (set ZF_OPENAPI_PATH)`);
}

/** Every operation the dashboard uses (partner-api README), each called once below. */
const OPERATIONS = [
  "createApiToken", "getSpaces", "createSpace", "updateSpace", "deleteSpace", "inviteUserToSpace",
  "getAccessRoles", "getUsersInSpace", "addUserToSpace", "removeUserFromSpace", "removeAllUsersFromSpace",
  "getDevicesInSpace", "registerExternalDevice", "registerInexogyDevice", "registerBluemeteringDevice",
  "registerEsaDevice", "registerNonSmartMeter", "updateDeviceDetails", "addDeviceToSpace",
  "removeDeviceFromSpace", "deleteDevice", "storeReadings", "getReadingsByDevice", "getReadingsBySpace",
  "addUpdateCustomer", "getCustomers", "addCustomerContract", "setCustomerContractTimeWindow", "getCustomerSupportContact",
] as const;
type OperationId = (typeof OPERATIONS)[number];

const SPEC_ID = "openapi.json";
type Json = Record<string, unknown>;

/** Points the document's local `#/components/...` refs at the copy registered in Ajv. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? SPEC_ID + v : rebase(v)]),
  );
}

function loadSpec() {
  const doc = parse(readFileSync(specPath, "utf8")) as Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  const number = (validate: (n: number) => boolean) => ({ type: "number" as const, validate });
  ajv.addFormat("int32", number((n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31));
  ajv.addFormat("int64", number(Number.isSafeInteger));
  ajv.addFormat("double", number(Number.isFinite));
  ajv.addFormat("float", number(Number.isFinite));
  ajv.addSchema({ ...doc, $id: SPEC_ID });

  const operations = new Map<string, Json>();
  for (const methods of Object.values(doc.paths)) {
    for (const op of Object.values(methods)) {
      if (op && typeof op === "object" && typeof op.operationId === "string") operations.set(op.operationId, op);
    }
  }
  const compiled = new Map<unknown, ValidateFunction>();
  const validator = (schema: unknown) => {
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile(rebase(schema) as Json));
    return compiled.get(schema)!;
  };
  const at = (path: string[]) => path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
  return {
    doc,
    at,
    component: (name: string) => validator({ $ref: `#/components/schemas/${name}` }),
    /** The 200 response body schema of an operation, or undefined when the spec documents none. */
    response: (operationId: string) => {
      const op = operations.get(operationId);
      if (!op) throw new Error(`operation ${operationId} is not in the spec`);
      const ok = (op.responses as Json | undefined)?.["200"] as Json | undefined;
      const body = (ok?.content as Json | undefined)?.["application/json"] as Json | undefined;
      return body?.schema ? validator(body.schema) : undefined;
    },
    storeReadingsExample: () => {
      const op = operations.get("storeReadings") as { requestBody: { content: { "application/json": { example: unknown } } } };
      return op.requestBody.content["application/json"].example;
    },
  };
}

const errorsOf = (v: ValidateFunction) => JSON.stringify(v.errors, null, 2);

/** A valid body for each request schema: validated against both the spec and schemas.ts, then sent. */
const samples = {
  NewSpace: { name: "Lindenstraße 12", addressLineOne: "Lindenstraße 12", postcode: "10115", city: "Berlin", category: "APARTMENT_BUILDING" },
  UpdateSpace: { name: "Lindenstraße 12a", addressLineTwo: null, category: "APARTMENT_BUILDING" },
  NewSpaceInvite: { sendInviteEmail: true, userEmail: "anna.schmidt@example.org" },
  AddUserToSpaceRequest: { accessRoleId: "7c1e4a52-9d3b-4f60-8a27-5b9e0c1d2f31" },
  NewExternalDevice: {
    deviceName: "Stromzähler",
    isMainDevice: true,
    deviceType: "SMART_METER",
    deviceMedium: "ELECTRICITY",
    externalDeviceId: "CONTRACT-EXT-1",
    meteringLocationId: "DE00056210115AO6G56M11SN51G21M24S",
    serialNumber: "1EMH0012345678",
    conversionFactor: 1,
    applyConversionFactor: false,
  },
  NewInexogyDevice: { deviceName: "inexogy", isMainDevice: false, deviceType: "SMART_METER", deviceMedium: "ELECTRICITY", serialNumber: "1ESY1161234567" },
  NewBluemeteringDevice: {
    deviceName: "BlueMetering",
    isMainDevice: false,
    deviceType: "SMART_METER",
    deviceMedium: "ELECTRICITY",
    meteringLocationId: "DE00056210115AO6G56M11SN51G21M24T",
    bluemeteringApiKey: "bm-key",
  },
  NewEsaDevice: {
    deviceName: "ESA",
    isMainDevice: false,
    deviceType: "SMART_METER",
    deviceMedium: "ELECTRICITY",
    malo: "41373559241",
    bdewCode: "9900000000001",
    customerName: "Anna Schmidt",
    declarationOfConsent: Buffer.from("%PDF-1.4 consent").toString("base64"),
    sendInviteOnSuccessTo: "anna.schmidt@example.org",
  },
  NewNonSmartMeter: {
    deviceName: "Wasserzähler",
    isMainDevice: true,
    deviceType: "NON_SMART_METER",
    deviceMedium: "WATER",
    readingMeasurementTime: epoch("2024-05-01T08:00:00Z"),
    readingUnit: "CUBIC_METRE",
    consumptionReadingValue: 123.4,
  },
  DeviceDetails: { deviceName: "Stromzähler EG", isMainDevice: true, grid: true, serialNumber: "1EMH0012345679" },
  NewDeviceReading: {
    externalDeviceId: "CONTRACT-EXT-1",
    readings: [0, 900, 1800, 2700, 3600].map((s, i) => ({ obisCode: "1.8.0", timestamp: epoch("2024-05-01T00:00:00Z") + s, value: 100 + i, status: "REAL", meteringInterval: 900 })),
  },
  NewCustomer: { external_id: "KD-100234", email: "erika.mustermann@example.org", name: "Erika Mustermann" },
  CustomerContract: {
    external_id: "VT-2026-000123",
    address_line_one: "Lindenstraße 12",
    address_line_two: "3. OG links",
    city: "Berlin",
    postcode: "10115",
    // The spec's own example of start_date.
    start_date: "2026-01-15",
    medium: "ELECTRICITY",
    custom_attributes: { melo: "DE00056210115MASTERDATA0000000001", tariff: "basic" },
  },
  CustomerContractTimeWindow: {
    externalDeviceId: "DE00056210115MASTERDATA0000000001",
    timeWindowStart: epoch("2026-01-14T23:00:00Z"),
    timeWindowEnd: epoch("2027-01-14T23:00:00Z"),
  },
} satisfies Record<string, unknown>;

const zodFor: Record<keyof typeof samples, z.ZodType> = {
  NewSpace: schemas.NewSpace,
  UpdateSpace: schemas.UpdateSpace,
  NewSpaceInvite: schemas.NewSpaceInvite,
  AddUserToSpaceRequest: schemas.AddUserToSpaceRequest,
  NewExternalDevice: schemas.NewExternalDevice,
  NewInexogyDevice: schemas.NewInexogyDevice,
  NewBluemeteringDevice: schemas.NewBluemeteringDevice,
  NewEsaDevice: schemas.NewEsaDevice,
  NewNonSmartMeter: schemas.NewNonSmartMeter,
  DeviceDetails: schemas.DeviceDetails,
  NewDeviceReading: schemas.NewDeviceReading,
  NewCustomer: schemas.NewCustomer,
  CustomerContract: schemas.CustomerContract,
  CustomerContractTimeWindow: schemas.CustomerContractTimeWindow,
};

describe.skipIf(!specExists)("partner API contract (openapi.yaml)", () => {
  let spec: ReturnType<typeof loadSpec>;
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  const checked = new Set<OperationId>();

  beforeAll(async () => {
    spec = loadSpec();
    sandbox = await startSandbox({ spaces: 30, readingDays: 2, quiet: true });
    client = sandboxClient(sandbox);
  });
  afterAll(() => sandbox?.close());

  /** Expects 200 and, where the spec documents a 200 body, a body that validates against it. */
  function check<T>(operationId: OperationId, res: CallResult<T>): T {
    expect(res.status, `${operationId}: ${JSON.stringify(res.body)}`).toBe(200);
    const validate = spec.response(operationId);
    if (validate) expect(validate(res.body), `${operationId} response:\n${errorsOf(validate)}`).toBe(true);
    checked.add(operationId);
    return res.body;
  }

  describe("schemas.ts agrees with the spec", () => {
    it("has the spec's enums", () => {
      const schema = (name: string) => ["components", "schemas", name];
      const enums: [string, readonly string[], string[]][] = [
        ["SPACE_CATEGORIES", schemas.SPACE_CATEGORIES, [...schema("NewSpace"), "properties", "category", "enum"]],
        ["DEVICE_TYPES", schemas.DEVICE_TYPES, [...schema("NewDevice"), "properties", "deviceType", "enum"]],
        ["MEDIA", schemas.MEDIA, [...schema("NewDevice"), "properties", "deviceMedium", "enum"]],
        ["DEVICE_STATUSES", schemas.DEVICE_STATUSES, [...schema("Device"), "properties", "status", "enum"]],
        ["DEVICE_PROVIDERS", schemas.DEVICE_PROVIDERS, [...schema("Device"), "properties", "provider", "enum"]],
        ["DIRECTIONS", schemas.DIRECTIONS, [...schema("DeviceReading"), "properties", "direction", "enum"]],
        ["READING_UNITS", schemas.READING_UNITS, [...schema("NewNonSmartMeter"), "allOf", "1", "properties", "readingUnit", "enum"]],
        ["ACCESS_PERMISSION_IDS", schemas.ACCESS_PERMISSION_IDS, [...schema("AccessPermissionId"), "enum"]],
        ["MEASUREMENTS", schemas.MEASUREMENTS, [...schema("DeviceReading"), "properties", "measurement", "enum"]],
        ["READING_STATUSES", schemas.READING_STATUSES, [...schema("NewReading"), "properties", "status", "enum"]],
      ];
      for (const [name, ours, path] of enums) {
        const theirs = spec.at(path) as string[] | undefined;
        expect(theirs, `${name}: nothing at ${path.join(".")}`).toBeDefined();
        expect([...ours].sort(), name).toEqual([...theirs!].sort());
      }
      const params = spec.at(["paths", "/devices/{deviceId}/readings", "get", "parameters"]) as { name: string; schema: { enum: string[] } }[];
      expect([...schemas.RESOLUTIONS].sort()).toEqual(params.find((p) => p.name === "resolution")!.schema.enum.sort());
    });

    it("has exactly the OBIS codes NewReading.obisCode names, each with its medium", () => {
      const description = spec.at(["components", "schemas", "NewReading", "properties", "obisCode", "description"]) as string;
      const sections: Record<string, schemas.Medium> = { Electricity: "ELECTRICITY", Heat: "HEATING", Gas: "GAS", Water: "WATER" };
      const named: Record<string, string> = {};
      let medium: schemas.Medium | undefined;
      for (const line of description.split("\n")) {
        const section = /<b>(\w+)<\/b>/.exec(line);
        if (section) medium = sections[section[1]];
        const item = /<li>(.*?)\s:\s/.exec(line);
        if (item && medium) for (const code of item[1].split(" oder ")) named[code.trim()] = medium;
      }
      expect(Object.keys(named).length).toBeGreaterThan(10);
      expect(named).toEqual({ ...schemas.OBIS_CODES });
    });

    it("accepts the spec's own storeReadings example", () => {
      const example = spec.storeReadingsExample() as unknown[];
      expect(schemas.StoreReadingsRequest.safeParse(example).success).toBe(true);
      for (const item of example) expect(schemas.NewDeviceReading.safeParse(item).success).toBe(true);
      const validate = spec.component("NewDeviceReading");
      for (const item of example) expect(validate(item), errorsOf(validate)).toBe(true);
    });

    it("samples the spec's example of CustomerContract.start_date", () => {
      expect(samples.CustomerContract.start_date).toBe(spec.at(["components", "schemas", "CustomerContract", "properties", "start_date", "example"]));
    });

    it.each(Object.keys(samples) as (keyof typeof samples)[])("a sample %s is valid for both the spec and schemas.ts", (name) => {
      const validate = spec.component(name);
      expect(validate(samples[name]), errorsOf(validate)).toBe(true);
      const parsed = zodFor[name].safeParse(samples[name]);
      expect(parsed.success, parsed.error?.message).toBe(true);
    });
  });

  describe("every response of the sandbox validates against the spec", () => {
    it("answers each operation with a body the spec allows", async () => {
      const api = client.api;
      const token = check("createApiToken", await client.newToken());
      expect(token.accessToken).toBeTruthy();

      // Every seeded space and its devices: covers FAILED/CONNECTING meters, gas, water and PV.
      const first = check("getSpaces", await api<schemas.Spaces>("GET", "/spaces?pageSize=100"));
      expect(first.spaces.length).toBe(30);
      for (const space of first.spaces) check("getDevicesInSpace", await api("GET", `/spaces/${space.id}/devices`));
      for (const space of first.spaces.filter((s) => s.associatedUsersId?.length)) {
        check("getUsersInSpace", await api("GET", `/spaces/${space.id}/users`));
      }
      check("getAccessRoles", await api("GET", "/access-roles"));

      const { spaceId } = check("createSpace", await api<schemas.SpaceId>("POST", "/spaces", samples.NewSpace));
      const other = check("createSpace", await api<schemas.SpaceId>("POST", "/spaces", { ...samples.NewSpace, category: "FLAT", parentSpaceId: spaceId })).spaceId;
      check("updateSpace", await api("PUT", `/spaces/${spaceId}`, samples.UpdateSpace));

      const { inviteLink } = check("inviteUserToSpace", await api<schemas.SpaceInviteLink>("POST", `/spaces/${spaceId}/invites`, samples.NewSpaceInvite));
      const accepted = await client.control<{ userId: string }>("POST", `/invites/${inviteLink.split("/").pop()}/accept`);
      const { userId } = accepted.body;
      check("getUsersInSpace", await api("GET", `/spaces/${spaceId}/users`));
      check("addUserToSpace", await api("POST", `/spaces/${other}/users/${userId}`, samples.AddUserToSpaceRequest));

      const register = (kind: string, body: unknown) => api<schemas.DeviceId>("POST", `/spaces/${spaceId}/devices${kind}`, body);
      const { deviceId } = check("registerExternalDevice", await register("", samples.NewExternalDevice));
      check("registerInexogyDevice", await register("/inexogy", samples.NewInexogyDevice));
      check("registerBluemeteringDevice", await register("/bluemetering", samples.NewBluemeteringDevice));
      check("registerEsaDevice", await register("/esa", samples.NewEsaDevice));
      check("registerNonSmartMeter", await register("/nonSmartMeter", samples.NewNonSmartMeter));
      check("updateDeviceDetails", await api("POST", `/spaces/${spaceId}/devices/${deviceId}/details`, samples.DeviceDetails));
      check("storeReadings", await api("POST", "/devices/readings", [samples.NewDeviceReading]));
      check("getDevicesInSpace", await api("GET", `/spaces/${spaceId}/devices`));

      for (const measurement of schemas.MEASUREMENTS) {
        for (const resolution of schemas.RESOLUTIONS) {
          const q = `startTime=2024-05-01T00:00:00Z&endTime=2024-05-02T00:00:00Z&resolution=${resolution}&measurement=${measurement}`;
          const byDevice = check("getReadingsByDevice", await api<unknown[]>("GET", `/devices/${deviceId}/readings?${q}`));
          expect(byDevice.length, `${measurement} ${resolution}`).toBeGreaterThan(0);
          const bySpace = check("getReadingsBySpace", await api<unknown[]>("GET", `/spaces/${spaceId}/readings?${q}&medium=ELECTRICITY`));
          expect(bySpace).toEqual(byDevice);
        }
      }
      // Seeded 15-minute data of a seeded flat, recent window.
      const flat = first.spaces.find((s) => s.category === "FLAT")!;
      const now = new Date();
      const q = `startTime=${new Date(now.getTime() - 86_400_000).toISOString()}&endTime=${now.toISOString()}&resolution=1_HOUR&measurement=POWER`;
      check("getReadingsBySpace", await api("GET", `/spaces/${flat.id}/readings?${q}&medium=ELECTRICITY`));

      // Master data: a customer, its contract (space and device), the contract's time window.
      const { customer_id } = check("addUpdateCustomer", await api<schemas.AddCustomerResponse>("POST", "/customers", samples.NewCustomer));
      expect(check("addUpdateCustomer", await api<schemas.AddCustomerResponse>("POST", "/customers", samples.NewCustomer)).customer_id).toBe(customer_id);
      const customers = check("getCustomers", await api<schemas.Customers>("GET", "/customers?page=0&pageSize=100"));
      expect(customers.customers.map((c) => c.id)).toContain(customer_id);
      const customerPath = `/customers/${samples.NewCustomer.external_id}`;
      const { contract_id } = check("addCustomerContract", await api<schemas.AddCustomerContractResponse>("POST", `${customerPath}/contracts`, samples.CustomerContract));
      check("addCustomerContract", await api("POST", `/customers/${customer_id}/contracts`, { ...samples.CustomerContract, external_id: "VT-2026-000124", custom_attributes: undefined }));
      check("setCustomerContractTimeWindow", await api("PUT", `${customerPath}/contracts/${contract_id}/time-window`, samples.CustomerContractTimeWindow));
      check("setCustomerContractTimeWindow", await api("PUT", `${customerPath}/contracts/${samples.CustomerContract.external_id}/time-window`, samples.CustomerContractTimeWindow));
      check("getCustomerSupportContact", await api("GET", `${customerPath}/support-contact`));
      check("getCustomerSupportContact", await api("GET", `/customers/${customer_id}/support-contact`));
      // The two contracts' spaces: with the MeLo's external device, and without a device.
      const contractSpaces = check("getSpaces", await api<schemas.Spaces>("GET", "/spaces?page=0&pageSize=100")).spaces.slice(-2);
      const contractDevices = [];
      for (const space of contractSpaces) contractDevices.push(...check("getDevicesInSpace", await api<schemas.Devices>("GET", `/spaces/${space.id}/devices`)).devices);
      expect(contractDevices.map((d) => d.externalDeviceId)).toEqual([samples.CustomerContract.custom_attributes.melo]);

      check("addDeviceToSpace", await api("POST", `/spaces/${other}/devices/${deviceId}`));
      check("removeDeviceFromSpace", await api("DELETE", `/spaces/${other}/devices/${deviceId}`));
      check("removeUserFromSpace", await api("DELETE", `/spaces/${other}/users/${userId}`));
      check("removeAllUsersFromSpace", await api("DELETE", `/spaces/${spaceId}/users`));
      check("deleteDevice", await api("DELETE", `/devices/${deviceId}`));
      check("deleteSpace", await api("DELETE", `/spaces/${other}`));
      check("deleteSpace", await api("DELETE", `/spaces/${spaceId}`));

      expect([...checked].sort()).toEqual([...OPERATIONS].sort());
    });
  });
});
