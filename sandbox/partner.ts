/**
 * The partner API operations (operationIds from openapi.yaml), validated with the shared zod
 * schemas. A handler returns the JSON body, or undefined for a 200 without body.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import {
  CONSUMPTION_REGISTER,
  DEVICE_TYPE_INFO,
  FEED_IN_REGISTER,
  READING_UNIT_FOR_MEDIUM,
  SUPPORT_CONTACT,
  UNITS,
  obisMeaning,
  seriesLabel,
} from "./catalog";
import { HttpError, badRequest, notFound, parseWith } from "./http";
import { bucketWindow, derive } from "./readings";
import type { ContractRow, CustomerRow, DeviceRow, NewDeviceRecord, Store, TimeWindow } from "./store";
import {
  AddUserToSpaceRequest,
  CustomerContract,
  CustomerContractTimeWindow,
  DeviceDetails,
  LinkDeviceToSpace,
  NewBluemeteringDevice,
  NewCustomer,
  NewEsaDevice,
  NewExternalDevice,
  NewInexogyDevice,
  NewNonSmartMeter,
  NewSpace,
  NewSpaceInvite,
  OBIS_CODES,
  PageQuery,
  ReadingsQuery,
  SpaceReadingsQuery,
  StoreReadingsRequest,
  UpdateSpace,
  type AddCustomerContractResponse,
  type AddCustomerResponse,
  type DeviceId,
  type DeviceReading,
  type Direction,
  type NewDevice,
  type SpaceId,
  type SupportContact,
} from "../lib/partner-api/schemas";

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  operationId: string;
  handle(ctx: RouteContext): unknown;
}

export interface PartnerDeps {
  store: Store;
  pageSizeMax: number;
  /** Base URL the invite links point at (the sandbox's own control API). */
  publicUrl: string;
}

/** Guards a runaway query (a year of 15-minute buckets is 35 040). */
const MAX_BUCKETS = 100_000;

/**
 * A device's derived readings (getReadingsByDevice). With `windows`, only what a user may see:
 * raw readings outside every window are left out before deriving (so no bucket aggregates data
 * the user may not see), and a derived point is kept only when its timestamp lies in a window.
 */
export function deviceReadings(
  store: Store,
  row: DeviceRow,
  query: z.output<typeof ReadingsQuery>,
  windows?: TimeWindow[],
): DeviceReading[] {
  const startMs = Date.parse(query.startTime);
  const endMs = Date.parse(query.endTime);
  if (endMs <= startMs) throw badRequest("endTime: must be after startTime");
  const window = bucketWindow(startMs, endMs, query.resolution);
  if ((window.to - window.from) / window.size > MAX_BUCKETS) {
    throw badRequest(`endTime: more than ${MAX_BUCKETS} buckets at ${query.resolution}; choose a coarser resolution`);
  }
  if (windows?.length === 0) return [];
  const visible = (ts: number) => !windows || windows.some((w) => (w.from === null || ts >= w.from) && (w.to === null || ts < w.to));
  const raw = store.readingsForWindow(row.seq, window.from, window.to).filter((r) => visible(r.ts));
  const units = UNITS[row.medium];
  return derive(raw, window, query.measurement, row.conversion_factor ?? 1)
    .filter((p) => visible(p.bucketStart))
    .map((p) => ({
      deviceId: row.id,
      timeStamp: new Date(p.bucketStart * 1000).toISOString(),
      measurement: query.measurement,
      value: p.value,
      unit: query.measurement === "POWER" ? units.power : units.energy,
      label: seriesLabel(row.medium, p.direction),
      deviceType: row.device_type,
      deviceProvider: row.provider,
      medium: row.medium,
      direction: p.direction,
    }));
}

export function partnerRoutes({ store, pageSizeMax, publicUrl }: PartnerDeps): Route[] {
  const page = (query: URLSearchParams) => {
    const p = parseWith(PageQuery, Object.fromEntries(query));
    return { page: p.page, pageSize: Math.min(p.pageSize, pageSizeMax) };
  };

  const space = (id: string) => {
    const row = store.getSpace(id);
    if (!row) throw notFound(`Space not found: ${id}`);
    return row;
  };
  const device = (id: string) => {
    const row = store.getDevice(id);
    if (!row) throw notFound(`Device not found: ${id}`);
    return row;
  };
  const linkedDevice = (spaceId: string, deviceId: string) => {
    space(spaceId);
    const row = device(deviceId);
    const link = store.getLink(spaceId, row.seq);
    if (!link) throw notFound(`Device ${deviceId} is not linked to space ${spaceId}`);
    return row;
  };
  const requireRole = (roleId: string) => {
    if (!store.roleExists(roleId)) throw badRequest(`accessRoleId: unknown access role ${roleId}`);
    return roleId;
  };

  /** Shared by every registration: checks, creates, links, answers `{deviceId}`. */
  const register = (spaceId: string, body: NewDevice, record: Omit<NewDeviceRecord, "name" | "deviceType" | "medium">) => {
    space(spaceId);
    if (body.isMainDevice && !DEVICE_TYPE_INFO[body.deviceType].mainAllowed) {
      throw badRequest(`isMainDevice: a ${body.deviceType} cannot be the main device of a space`);
    }
    const row = store.insertDevice(randomUUID(), {
      ...record,
      name: body.deviceName,
      deviceType: body.deviceType,
      medium: body.deviceMedium,
    });
    store.link(spaceId, row, body.isMainDevice, body.excludedFromCost ?? false);
    return row;
  };
  const deviceId = (row: DeviceRow): DeviceId => ({ deviceId: row.id });
  const factor = (b: { applyConversionFactor?: boolean; conversionFactor?: number }) =>
    b.applyConversionFactor ? b.conversionFactor : undefined;

  const readings = (row: DeviceRow, query: z.output<typeof ReadingsQuery>) => deviceReadings(store, row, query);

  const customer = (idOrExternalId: string): CustomerRow => {
    const row = store.findCustomer(idOrExternalId);
    if (!row) throw notFound(`Customer not found: ${idOrExternalId}`);
    return row;
  };
  const contract = (customerRow: CustomerRow, idOrExternalId: string): ContractRow => {
    const row = store.findContract(customerRow.id, idOrExternalId);
    if (!row) throw notFound(`Contract not found: ${idOrExternalId} (customer ${customerRow.external_id})`);
    return row;
  };

  /** The platform invites a customer once an e-mail is set: a token, and a mail in the outbox. */
  const inviteCustomer = (c: Pick<CustomerRow, "id" | "name">, email: string) => {
    const token = randomBytes(24).toString("base64url");
    const inviteLink = `${publicUrl}/__sandbox/customer-invites/${token}`;
    store.insertCustomerInvite({ token, customer_id: c.id, email });
    store.insertEmail({
      to: email,
      subject: "Einladung: Ihr Zugang zum Zählerfreunde-Portal",
      body: [
        c.name ? `Hallo ${c.name},` : "Hallo,",
        "",
        "Ihr Energieversorger hat für Sie einen Zugang zum Zählerfreunde-Portal eingerichtet. Dort sehen Sie die Verbrauchsdaten der Zähler Ihrer Verträge.",
        "",
        `Einladung annehmen: ${inviteLink}`,
        "",
        "Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.",
        "",
        "Viele Grüße",
        "Ihr Zählerfreunde-Team",
      ].join("\n"),
      inviteLink,
      inviteToken: token,
      // A customer invite is for no single space: the customer's contracts decide the spaces.
      spaceId: "",
      accessRoleId: store.defaultRoleId(),
    });
  };

  /**
   * The contract's meter: an existing device with that MeLo/MaLo (a tenant change is a new contract
   * on the same meter) is linked to the new space; otherwise an external device is registered there.
   */
  const contractMeter = (spaceId: string, c: z.output<typeof CustomerContract>): DeviceRow | undefined => {
    const attr = (key: string) => c.custom_attributes?.[key]?.trim() || undefined;
    const melo = attr("melo");
    const malo = attr("malo");
    const value = melo ?? malo;
    if (value === undefined) return undefined;
    const existing = [melo, malo]
      .filter((v): v is string => v !== undefined)
      .map((v) => store.findDevicesByMeterId(v)[0])
      .find((d) => d !== undefined);
    if (existing) {
      store.link(spaceId, existing, DEVICE_TYPE_INFO[existing.device_type].mainAllowed, false);
      return existing;
    }
    const row = store.insertDevice(randomUUID(), {
      name: `Zähler ${value}`,
      status: "CONNECTED",
      deviceType: "SMART_METER",
      medium: c.medium,
      provider: "EXTERNAL",
      externalId: value,
      melo,
      malo,
      directions: ["IN"],
    });
    store.link(spaceId, row, true, false);
    return row;
  };

  const addDirection = (row: DeviceRow, direction: Direction) => {
    const set = new Set(row.directions.split(","));
    set.add(direction);
    row.directions = ["IN", "OUT"].filter((d) => set.has(d)).join(",");
  };

  return [
    // -- spaces --
    {
      method: "GET",
      path: "/spaces",
      operationId: "getSpaces",
      handle: ({ query }) => {
        const p = page(query);
        const result = store.listSpaces(p.page, p.pageSize);
        return { spaces: result.items, totalNumPages: result.totalNumPages };
      },
    },
    {
      method: "POST",
      path: "/spaces",
      operationId: "createSpace",
      handle: ({ body }): SpaceId => {
        const s = parseWith(NewSpace, body);
        if (s.parentSpaceId && !store.getSpace(s.parentSpaceId)) {
          throw badRequest(`parentSpaceId: no space with id ${s.parentSpaceId}`);
        }
        const id = randomUUID();
        store.insertSpace({
          id,
          name: s.name,
          address_line_one: s.addressLineOne,
          address_line_two: s.addressLineTwo || null,
          postcode: s.postcode,
          city: s.city,
          category: s.category,
          parent_id: s.parentSpaceId || null,
          ltt: s.isParticipatingInLttProject ? 1 : 0,
        });
        return { spaceId: id };
      },
    },
    {
      method: "PUT",
      path: "/spaces/{spaceId}",
      operationId: "updateSpace",
      handle: ({ params, body }): SpaceId => {
        const row = space(params.spaceId);
        const u = parseWith(UpdateSpace, body);
        if (u.parentSpaceId) {
          if (!store.getSpace(u.parentSpaceId)) throw badRequest(`parentSpaceId: no space with id ${u.parentSpaceId}`);
          if (store.isSelfOrDescendant(u.parentSpaceId, row.id)) {
            throw badRequest("parentSpaceId: a space cannot be moved below itself or one of its sub-spaces");
          }
        }
        store.updateSpace({
          ...row,
          name: u.name ?? row.name,
          address_line_one: u.addressLineOne ?? row.address_line_one,
          address_line_two: u.addressLineTwo === undefined ? row.address_line_two : u.addressLineTwo || null,
          postcode: u.postcode ?? row.postcode,
          city: u.city ?? row.city,
          category: u.category ?? row.category,
          parent_id: u.parentSpaceId === undefined ? row.parent_id : u.parentSpaceId || null,
        });
        return { spaceId: row.id };
      },
    },
    {
      method: "DELETE",
      path: "/spaces/{spaceId}",
      operationId: "deleteSpace",
      handle: ({ params }) => {
        const row = space(params.spaceId);
        // Our choice: never orphan sub-spaces silently; the caller deletes or moves them first.
        const children = store.countChildren(row.id);
        if (children > 0) throw new HttpError(409, `Space has ${children} sub-spaces; delete or move them first`);
        store.deleteSpace(row.id);
        return undefined;
      },
    },
    // -- invites, roles, users --
    {
      method: "POST",
      path: "/spaces/{spaceId}/invites",
      operationId: "inviteUserToSpace",
      handle: ({ params, body }) => {
        const row = space(params.spaceId);
        const invite = parseWith(NewSpaceInvite, body);
        const roleId = invite.accessRoleId ? requireRole(invite.accessRoleId) : store.defaultRoleId();
        const token = randomBytes(24).toString("base64url");
        const inviteLink = `${publicUrl}/__sandbox/invites/${token}`;
        store.insertInvite({ token, space_id: row.id, email: invite.userEmail, access_role_id: roleId });
        if (invite.sendInviteEmail) {
          const address = [row.address_line_one, row.address_line_two].filter(Boolean).join(", ");
          store.insertEmail({
            to: invite.userEmail,
            subject: `Einladung: Ihr Zugang zu „${row.name}“ bei Zählerfreunde`,
            body: [
              "Hallo,",
              "",
              `Sie wurden eingeladen, die Verbrauchsdaten von „${row.name}“ (${address}, ${row.postcode} ${row.city}) im Zählerfreunde-Portal anzusehen.`,
              "",
              `Einladung annehmen: ${inviteLink}`,
              "",
              "Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.",
              "",
              "Viele Grüße",
              "Ihr Zählerfreunde-Team",
            ].join("\n"),
            inviteLink,
            inviteToken: token,
            spaceId: row.id,
            accessRoleId: roleId,
          });
        }
        return { inviteLink };
      },
    },
    {
      method: "GET",
      path: "/access-roles",
      operationId: "getAccessRoles",
      handle: () => ({ accessRoles: store.listRoles() }),
    },
    {
      method: "GET",
      path: "/spaces/{spaceId}/users",
      operationId: "getUsersInSpace",
      handle: ({ params, query }) => {
        space(params.spaceId);
        const p = page(query);
        const result = store.listMembers(params.spaceId, p.page, p.pageSize);
        return { users: result.items, totalNumPages: result.totalNumPages };
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/users/{userId}",
      operationId: "addUserToSpace",
      handle: ({ params, body }) => {
        space(params.spaceId);
        const { accessRoleId } = parseWith(AddUserToSpaceRequest, body);
        if (!store.userExists(params.userId)) throw notFound(`User not found: ${params.userId}`);
        store.upsertMember(params.spaceId, params.userId, requireRole(accessRoleId));
        return undefined;
      },
    },
    {
      method: "DELETE",
      path: "/spaces/{spaceId}/users/{userId}",
      operationId: "removeUserFromSpace",
      handle: ({ params }) => {
        space(params.spaceId);
        if (store.removeMembers(params.spaceId, params.userId) === 0) {
          throw notFound(`User ${params.userId} is not a user of space ${params.spaceId}`);
        }
        return undefined;
      },
    },
    {
      method: "DELETE",
      path: "/spaces/{spaceId}/users",
      operationId: "removeAllUsersFromSpace",
      handle: ({ params }): SpaceId => {
        space(params.spaceId);
        store.removeMembers(params.spaceId);
        return { spaceId: params.spaceId };
      },
    },
    // -- devices (literal paths before /spaces/{spaceId}/devices/{deviceId}) --
    {
      method: "GET",
      path: "/spaces/{spaceId}/devices",
      operationId: "getDevicesInSpace",
      handle: ({ params, query }) => {
        space(params.spaceId);
        const p = page(query);
        const result = store.listDevices(params.spaceId, p.page, p.pageSize);
        return { devices: result.items, totalNumPages: result.totalNumPages };
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices",
      operationId: "registerExternalDevice",
      handle: ({ params, body }) => {
        const b = parseWith(NewExternalDevice, body);
        return deviceId(
          register(params.spaceId, b, {
            status: "CONNECTED",
            provider: "EXTERNAL",
            externalId: b.externalDeviceId,
            melo: b.meteringLocationId,
            serialNumber: b.serialNumber,
            directions: ["IN"],
            conversionFactor: factor(b),
          }),
        );
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/inexogy",
      operationId: "registerInexogyDevice",
      handle: ({ params, body }) => {
        const b = parseWith(NewInexogyDevice, body);
        return deviceId(
          register(params.spaceId, b, {
            status: "CONNECTING",
            provider: "DISCOVERGY",
            serialNumber: b.serialNumber,
            directions: ["IN"],
            conversionFactor: factor(b),
          }),
        );
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/bluemetering",
      operationId: "registerBluemeteringDevice",
      handle: ({ params, body }) => {
        // The API key and PIN are secrets: stored nowhere, echoed never.
        const b = parseWith(NewBluemeteringDevice, body);
        return deviceId(
          register(params.spaceId, b, {
            status: "CONNECTING",
            provider: "BLUEMETERING",
            melo: b.meteringLocationId,
            serialNumber: b.meterNumber,
            directions: ["IN"],
            conversionFactor: factor(b),
          }),
        );
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/esa",
      operationId: "registerEsaDevice",
      handle: ({ params, body }) => {
        const b = parseWith(NewEsaDevice, body);
        return deviceId(
          register(params.spaceId, b, {
            status: "CONNECTING",
            provider: "EDA",
            melo: b.melo,
            malo: b.malo,
            extraMeta: [
              { label: "BDEW-Code", value: b.bdewCode },
              { label: "Kunde", value: b.customerName },
            ],
            directions: ["IN"],
            conversionFactor: factor(b),
          }),
        );
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/nonSmartMeter",
      operationId: "registerNonSmartMeter",
      handle: ({ params, body }) => {
        const b = parseWith(NewNonSmartMeter, body);
        const medium = b.deviceMedium;
        if (b.readingUnit !== READING_UNIT_FOR_MEDIUM[medium]) {
          throw badRequest(`readingUnit: ${medium} meters are read in ${READING_UNIT_FOR_MEDIUM[medium]}, not ${b.readingUnit}`);
        }
        const feedIn = b.ingestionReadingValue !== undefined || b.isBidirectional === true;
        if (feedIn && medium !== "ELECTRICITY") {
          throw badRequest("ingestionReadingValue: only electricity meters measure feed-in");
        }
        const values: [string, number | undefined][] = [
          [CONSUMPTION_REGISTER[medium], b.consumptionReadingValue],
          [FEED_IN_REGISTER, b.ingestionReadingValue],
        ];
        let row: DeviceRow;
        if (b.isReadingUpdate) {
          // An update targets the space's existing meter (by serial number, else by name) instead of creating one.
          space(params.spaceId);
          const meters = store.findNonSmartMeters(params.spaceId, medium);
          const match = meters.find((m) => (b.serialNumber ? m.serial_number === b.serialNumber : m.name === b.deviceName));
          if (!match) throw notFound(`No non-smart ${medium} meter "${b.serialNumber ?? b.deviceName}" in space ${params.spaceId} to update`);
          row = match;
          if (b.isMainDevice) store.setMainFlag(params.spaceId, row, true);
        } else {
          row = register(params.spaceId, b, {
            status: "CONNECTED",
            provider: "NON_SMART_METER_PROVIDER",
            serialNumber: b.serialNumber,
            directions: feedIn ? ["IN", "OUT"] : ["IN"],
          });
        }
        store.db.transaction(() => {
          for (const [obis, value] of values) {
            if (value !== undefined) store.upsertReading(row.seq, obis, b.readingMeasurementTime, value);
          }
        })();
        return deviceId(row);
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/{deviceId}/details",
      operationId: "updateDeviceDetails",
      handle: ({ params, body }) => {
        const row = linkedDevice(params.spaceId, params.deviceId);
        const d = parseWith(DeviceDetails, body);
        if (d.isMainDevice && !DEVICE_TYPE_INFO[row.device_type].mainAllowed) {
          throw badRequest(`isMainDevice: a ${row.device_type} cannot be the main device of a space`);
        }
        const meta = (JSON.parse(row.extra_meta) as { label: string; value: string }[]).filter((m) => m.label !== "Netzzähler");
        if (d.grid !== undefined) meta.push({ label: "Netzzähler", value: d.grid ? "ja" : "nein" });
        const keep = (next: string | undefined, current: string | null) => (next === undefined ? current : next || null);
        store.db.transaction(() => {
          store.updateDevice({
            ...row,
            name: d.deviceName ?? row.name,
            external_id: keep(d.externalDeviceId, row.external_id),
            melo: keep(d.meteringLocationId, row.melo),
            serial_number: keep(d.serialNumber, row.serial_number),
            extra_meta: JSON.stringify(meta),
          });
          if (d.isMainDevice !== undefined) store.setMainFlag(params.spaceId, row, d.isMainDevice);
        })();
        return undefined;
      },
    },
    {
      method: "POST",
      path: "/spaces/{spaceId}/devices/{deviceId}",
      operationId: "addDeviceToSpace",
      handle: ({ params, body }) => {
        space(params.spaceId);
        const row = device(params.deviceId);
        const l = parseWith(LinkDeviceToSpace, body ?? {});
        if (l.isMainDevice && !DEVICE_TYPE_INFO[row.device_type].mainAllowed) {
          throw badRequest(`isMainDevice: a ${row.device_type} cannot be the main device of a space`);
        }
        store.link(params.spaceId, row, l.isMainDevice ?? false, l.excludedFromCost ?? false);
        return undefined;
      },
    },
    {
      method: "DELETE",
      path: "/spaces/{spaceId}/devices/{deviceId}",
      operationId: "removeDeviceFromSpace",
      handle: ({ params }) => {
        const row = linkedDevice(params.spaceId, params.deviceId);
        store.unlink(params.spaceId, row.seq);
        return undefined;
      },
    },
    {
      method: "DELETE",
      path: "/devices/{deviceId}",
      operationId: "deleteDevice",
      handle: ({ params }) => {
        const row = device(params.deviceId);
        store.db.transaction(() => store.deleteDevice(row.seq))();
        return undefined;
      },
    },
    // -- readings --
    {
      method: "POST",
      path: "/devices/readings",
      operationId: "storeReadings",
      handle: ({ body }) => {
        const batches = parseWith(StoreReadingsRequest, body);
        // All or nothing: a bad reading anywhere leaves the store untouched.
        store.db.transaction(() => {
          batches.forEach((batch, i) => {
            const row = batch.deviceId ? device(batch.deviceId) : byExternalId(store, batch.externalDeviceId!);
            batch.readings.forEach((r, j) => {
              const medium = OBIS_CODES[r.obisCode];
              if (medium !== row.medium) {
                throw badRequest(`[${i}].readings[${j}].obisCode: ${r.obisCode} is a ${medium} code, but device ${row.id} measures ${row.medium}`);
              }
              const meaning = obisMeaning(r.obisCode);
              store.upsertReading(row.seq, meaning.canonical, r.timestamp, r.value);
              if (meaning.direction) addDirection(row, meaning.direction);
            });
            // Data arriving means the device is connected, whatever it said before.
            store.updateDevice({ ...row, status: "CONNECTED", error_message: null });
          });
        })();
        return undefined;
      },
    },
    {
      method: "GET",
      path: "/devices/{deviceId}/readings",
      operationId: "getReadingsByDevice",
      handle: ({ params, query }) => {
        const row = device(params.deviceId);
        return readings(row, parseWith(ReadingsQuery, Object.fromEntries(query)));
      },
    },
    {
      method: "GET",
      path: "/spaces/{spaceId}/readings",
      operationId: "getReadingsBySpace",
      handle: ({ params, query }) => {
        space(params.spaceId);
        const q = parseWith(SpaceReadingsQuery, Object.fromEntries(query));
        const main = store.mainDevice(params.spaceId, q.medium);
        // A space without a main meter of that medium simply has no readings.
        return main ? readings(main, q) : [];
      },
    },
    // -- master data: customers and contracts ({customerId}, {contractId}: platform id or external id) --
    {
      method: "POST",
      path: "/customers",
      operationId: "addUpdateCustomer",
      handle: ({ body }): AddCustomerResponse => {
        const c = parseWith(NewCustomer, body);
        const name = c.name?.trim() || null;
        return store.db.transaction(() => {
          const existing = store.getCustomerByExternalId(c.external_id);
          if (!existing) {
            const id = randomUUID();
            store.insertCustomer({ id, external_id: c.external_id, email: c.email ?? null, name });
            if (c.email) inviteCustomer({ id, name }, c.email);
            return { customer_id: id };
          }
          // Safe to repeat on every sync: a name replaces the old one, an e-mail is only ever set once
          // (and only then invited), so a repeated call sends nothing.
          const next = { id: existing.id, name: name ?? existing.name, email: existing.email ?? c.email ?? null };
          if (next.name !== existing.name || next.email !== existing.email) store.updateCustomer(next);
          if (!existing.email && c.email) inviteCustomer(next, c.email);
          return { customer_id: existing.id };
        })();
      },
    },
    {
      method: "GET",
      path: "/customers",
      operationId: "getCustomers",
      handle: ({ query }) => {
        const p = page(query);
        const result = store.listCustomers(p.page, p.pageSize);
        return { customers: result.items, totalNumPages: result.totalNumPages };
      },
    },
    {
      method: "POST",
      path: "/customers/{customerId}/contracts",
      operationId: "addCustomerContract",
      handle: ({ params, body }): AddCustomerContractResponse => {
        const owner = customer(params.customerId);
        const c = parseWith(CustomerContract, body);
        const lineTwo = c.address_line_two?.trim() || undefined;
        return store.db.transaction(() => {
          const existing = store.getContractByExternalId(owner.id, c.external_id);
          if (existing) {
            // Upsert: the given fields replace the stored ones; its space and device stay as created.
            store.updateContract({
              ...existing,
              address_line_one: c.address_line_one,
              address_line_two: lineTwo ?? existing.address_line_two,
              postcode: c.postcode,
              city: c.city,
              start_date: c.start_date ?? existing.start_date,
              custom_attributes: JSON.stringify({ ...(JSON.parse(existing.custom_attributes) as object), ...c.custom_attributes }),
            });
            return { contract_id: existing.id };
          }
          const spaceId = randomUUID();
          store.insertSpace({
            id: spaceId,
            name: [c.address_line_one, lineTwo].filter(Boolean).join(", "),
            address_line_one: c.address_line_one,
            address_line_two: lineTwo ?? null,
            postcode: c.postcode,
            city: c.city,
            category: "FLAT",
            // Top level: the dashboard moves it under the chosen parent itself (partner-api README).
            parent_id: null,
            ltt: 0,
          });
          const meter = contractMeter(spaceId, c);
          const id = randomUUID();
          store.insertContract({
            id,
            customer_id: owner.id,
            external_id: c.external_id,
            address_line_one: c.address_line_one,
            address_line_two: lineTwo ?? null,
            postcode: c.postcode,
            city: c.city,
            space_id: spaceId,
            device_seq: meter?.seq ?? null,
            device_id: meter?.id ?? null,
            start_date: c.start_date ?? null,
            medium: c.medium,
            custom_attributes: JSON.stringify(c.custom_attributes ?? {}),
          });
          // Users who accepted the customer's invite see the new contract's space too.
          const roleId = store.defaultRoleId();
          for (const userId of store.customerUserIds(owner.id)) store.addMemberIfAbsent(spaceId, userId, roleId);
          return { contract_id: id };
        })();
      },
    },
    {
      method: "PUT",
      path: "/customers/{customerId}/contracts/{contractId}/time-window",
      operationId: "setCustomerContractTimeWindow",
      handle: ({ params, body }) => {
        const row = contract(customer(params.customerId), params.contractId);
        const w = parseWith(CustomerContractTimeWindow, body);
        const meter = row.device_id === null ? undefined : store.getDevice(row.device_id);
        if (!meter) throw badRequest(`externalDeviceId: contract ${row.external_id} has no device`);
        if (![meter.external_id, meter.melo, meter.malo].includes(w.externalDeviceId)) {
          throw badRequest(`externalDeviceId: ${w.externalDeviceId} is not the external id of the device of contract ${row.external_id}`);
        }
        if (w.timeWindowStart !== undefined && w.timeWindowEnd !== undefined && w.timeWindowEnd <= w.timeWindowStart) {
          throw badRequest("timeWindowEnd: must be after timeWindowStart");
        }
        // PUT replaces the window: a bound left out is unbounded.
        store.updateContract({ ...row, time_window_start: w.timeWindowStart ?? null, time_window_end: w.timeWindowEnd ?? null });
        return undefined;
      },
    },
    {
      method: "GET",
      path: "/customers/{customerId}/support-contact",
      operationId: "getCustomerSupportContact",
      handle: ({ params }): SupportContact => {
        customer(params.customerId);
        return { ...SUPPORT_CONTACT };
      },
    },
  ];
}

function byExternalId(store: Store, externalId: string): DeviceRow {
  const matches = store.findDevicesByExternalId(externalId);
  if (matches.length === 0) throw notFound(`No device with external id ${externalId}`);
  if (matches.length > 1) {
    throw new HttpError(409, `External id ${externalId} matches ${matches.length} devices; send deviceId instead`);
  }
  return matches[0];
}
