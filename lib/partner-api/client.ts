import "server-only";
import type { z } from "zod";
import type { PartnerClientConfig } from "./config";
import { createPartnerFetch } from "./fetch";
import { fetchAllPages, type Page } from "./paginate";
import {
  AccessRoles,
  AddCustomerContractResponse,
  AddCustomerResponse,
  CustomerContract,
  CustomerContractTimeWindow,
  Customers,
  NewCustomer,
  SupportContact,
  AddUserToSpaceRequest,
  DeviceDetails,
  DeviceId,
  DeviceReadings,
  Devices,
  LinkDeviceToSpace,
  NewBluemeteringDevice,
  NewEsaDevice,
  NewExternalDevice,
  NewInexogyDevice,
  NewNonSmartMeter,
  NewSpace,
  NewSpaceInvite,
  PageQuery,
  ReadingsQuery,
  SpaceId,
  SpaceInviteLink,
  SpaceReadingsQuery,
  Spaces,
  StoreReadingsRequest,
  UpdateSpace,
  Users,
} from "./schemas";
import { TokenManager } from "./token";

export interface PageRequest {
  page?: number;
  /** Defaults to the configured page size. */
  pageSize?: number;
}

export type ProgressCallback = (done: number, total: number) => void;

/** Typed operations of the partner API; tokens, retries and validation are handled inside. */
export function createPartnerClient(config: PartnerClientConfig) {
  const send = createPartnerFetch(config, new TokenManager(config));
  const paging = ({ page = 0, pageSize = config.pageSize }: PageRequest = {}) => ({ query: { page, pageSize }, querySchema: PageQuery });
  const all = <T>(fetchPage: (page: number) => Promise<Page<T>>, onProgress?: ProgressCallback) =>
    fetchAllPages(fetchPage, { concurrency: config.pageConcurrency, onProgress });

  const client = {
    // Spaces
    getSpaces: (page?: PageRequest) => send({ operation: "getSpaces", method: "GET", path: ["spaces"], ...paging(page), schema: Spaces }),
    getAllSpaces: (onProgress?: ProgressCallback) =>
      all((page) => client.getSpaces({ page }).then((r) => ({ items: r.spaces, totalNumPages: r.totalNumPages })), onProgress),
    createSpace: (space: z.input<typeof NewSpace>) =>
      send({ operation: "createSpace", method: "POST", path: ["spaces"], body: space, bodySchema: NewSpace, schema: SpaceId }),
    updateSpace: (spaceId: string, update: z.input<typeof UpdateSpace>) =>
      send({ operation: "updateSpace", method: "PUT", path: ["spaces", spaceId], body: update, bodySchema: UpdateSpace, schema: SpaceId }),
    deleteSpace: (spaceId: string) => send({ operation: "deleteSpace", method: "DELETE", path: ["spaces", spaceId] }),

    // Invites, access roles, users
    inviteUserToSpace: (spaceId: string, invite: z.input<typeof NewSpaceInvite>) =>
      send({ operation: "inviteUserToSpace", method: "POST", path: ["spaces", spaceId, "invites"], body: invite, bodySchema: NewSpaceInvite, schema: SpaceInviteLink }),
    getAccessRoles: () => send({ operation: "getAccessRoles", method: "GET", path: ["access-roles"], schema: AccessRoles }),
    getUsersInSpace: (spaceId: string, page?: PageRequest) =>
      send({ operation: "getUsersInSpace", method: "GET", path: ["spaces", spaceId, "users"], ...paging(page), schema: Users }),
    getAllUsersInSpace: (spaceId: string, onProgress?: ProgressCallback) =>
      all((page) => client.getUsersInSpace(spaceId, { page }).then((r) => ({ items: r.users, totalNumPages: r.totalNumPages })), onProgress),
    addUserToSpace: (spaceId: string, userId: string, body: z.input<typeof AddUserToSpaceRequest>) =>
      send({ operation: "addUserToSpace", method: "POST", path: ["spaces", spaceId, "users", userId], body, bodySchema: AddUserToSpaceRequest }),
    removeUserFromSpace: (spaceId: string, userId: string) =>
      send({ operation: "removeUserFromSpace", method: "DELETE", path: ["spaces", spaceId, "users", userId] }),
    removeAllUsersFromSpace: (spaceId: string) =>
      send({ operation: "removeAllUsersFromSpace", method: "DELETE", path: ["spaces", spaceId, "users"], schema: SpaceId }),

    // Devices
    getDevicesInSpace: (spaceId: string, page?: PageRequest) =>
      send({ operation: "getDevicesInSpace", method: "GET", path: ["spaces", spaceId, "devices"], ...paging(page), schema: Devices }),
    getAllDevicesInSpace: (spaceId: string, onProgress?: ProgressCallback) =>
      all((page) => client.getDevicesInSpace(spaceId, { page }).then((r) => ({ items: r.devices, totalNumPages: r.totalNumPages })), onProgress),
    registerExternalDevice: (spaceId: string, device: z.input<typeof NewExternalDevice>) =>
      send({ operation: "registerExternalDevice", method: "POST", path: ["spaces", spaceId, "devices"], body: device, bodySchema: NewExternalDevice, schema: DeviceId }),
    registerInexogyDevice: (spaceId: string, device: z.input<typeof NewInexogyDevice>) =>
      send({ operation: "registerInexogyDevice", method: "POST", path: ["spaces", spaceId, "devices", "inexogy"], body: device, bodySchema: NewInexogyDevice, schema: DeviceId }),
    registerBluemeteringDevice: (spaceId: string, device: z.input<typeof NewBluemeteringDevice>) =>
      send({ operation: "registerBluemeteringDevice", method: "POST", path: ["spaces", spaceId, "devices", "bluemetering"], body: device, bodySchema: NewBluemeteringDevice, schema: DeviceId }),
    registerEsaDevice: (spaceId: string, device: z.input<typeof NewEsaDevice>) =>
      send({ operation: "registerEsaDevice", method: "POST", path: ["spaces", spaceId, "devices", "esa"], body: device, bodySchema: NewEsaDevice, schema: DeviceId }),
    registerNonSmartMeter: (spaceId: string, device: z.input<typeof NewNonSmartMeter>) =>
      send({ operation: "registerNonSmartMeter", method: "POST", path: ["spaces", spaceId, "devices", "nonSmartMeter"], body: device, bodySchema: NewNonSmartMeter, schema: DeviceId }),
    updateDeviceDetails: (spaceId: string, deviceId: string, details: z.input<typeof DeviceDetails>) =>
      send({ operation: "updateDeviceDetails", method: "POST", path: ["spaces", spaceId, "devices", deviceId, "details"], body: details, bodySchema: DeviceDetails }),
    addDeviceToSpace: (spaceId: string, deviceId: string, link?: z.input<typeof LinkDeviceToSpace>) =>
      send({ operation: "addDeviceToSpace", method: "POST", path: ["spaces", spaceId, "devices", deviceId], body: link, bodySchema: LinkDeviceToSpace.optional() }),
    removeDeviceFromSpace: (spaceId: string, deviceId: string) =>
      send({ operation: "removeDeviceFromSpace", method: "DELETE", path: ["spaces", spaceId, "devices", deviceId] }),
    deleteDevice: (deviceId: string) => send({ operation: "deleteDevice", method: "DELETE", path: ["devices", deviceId] }),

    // Readings
    storeReadings: (readings: z.input<typeof StoreReadingsRequest>) =>
      send({ operation: "storeReadings", method: "POST", path: ["devices", "readings"], body: readings, bodySchema: StoreReadingsRequest }),
    getReadingsByDevice: (deviceId: string, query: z.input<typeof ReadingsQuery>) =>
      send({ operation: "getReadingsByDevice", method: "GET", path: ["devices", deviceId, "readings"], query, querySchema: ReadingsQuery, schema: DeviceReadings }),
    getReadingsBySpace: (spaceId: string, query: z.input<typeof SpaceReadingsQuery>) =>
      send({ operation: "getReadingsBySpace", method: "GET", path: ["spaces", spaceId, "readings"], query, querySchema: SpaceReadingsQuery, schema: DeviceReadings }),

    // Master data: customers and contracts. {customerId} and {contractId} accept the platform's id or the partner's external id.
    addUpdateCustomer: (customer: z.input<typeof NewCustomer>) =>
      send({ operation: "addUpdateCustomer", method: "POST", path: ["customers"], body: customer, bodySchema: NewCustomer, schema: AddCustomerResponse }),
    getCustomers: (page?: PageRequest) => send({ operation: "getCustomers", method: "GET", path: ["customers"], ...paging(page), schema: Customers }),
    getAllCustomers: (onProgress?: ProgressCallback) =>
      all((page) => client.getCustomers({ page }).then((r) => ({ items: r.customers, totalNumPages: r.totalNumPages })), onProgress),
    addCustomerContract: (customerId: string, contract: z.input<typeof CustomerContract>) =>
      send({ operation: "addCustomerContract", method: "POST", path: ["customers", customerId, "contracts"], body: contract, bodySchema: CustomerContract, schema: AddCustomerContractResponse }),
    setCustomerContractTimeWindow: (customerId: string, contractId: string, window: z.input<typeof CustomerContractTimeWindow>) =>
      send({
        operation: "setCustomerContractTimeWindow",
        method: "PUT",
        path: ["customers", customerId, "contracts", contractId, "time-window"],
        body: window,
        bodySchema: CustomerContractTimeWindow,
        // Setting the same window twice is the same as once.
        idempotent: true,
      }),
    getCustomerSupportContact: (customerId: string) =>
      send({ operation: "getCustomerSupportContact", method: "GET", path: ["customers", customerId, "support-contact"], schema: SupportContact }),

    /** Round-trip time of the cheapest authenticated call, for the connection indicator. */
    ping: async (): Promise<number> => {
      const started = performance.now();
      await client.getSpaces({ page: 0, pageSize: 1 });
      return Math.round(performance.now() - started);
    },
  };
  return client;
}

export type PartnerClient = ReturnType<typeof createPartnerClient>;
