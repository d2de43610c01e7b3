/**
 * The partner API contract as zod schemas: the one place that describes every request and
 * response body the dashboard uses. Derived from ../shared/partner-api/openapi.yaml (never
 * copied). Used by the server-side client, the route handlers, the forms and the sandbox.
 *
 * Request schemas are as strict as the contract (the sandbox rejects what they reject).
 * Response schemas are lenient where real servers are known to be loose (null for an absent
 * optional field, unknown extra fields): the dashboard must cope with what production sends.
 *
 * No secrets here and no `server-only`: the browser bundles the request schemas for forms.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

export const SPACE_CATEGORIES = [
  "HOTEL",
  "RESTAURANT",
  "HOUSEHOLD",
  "OFFICE",
  "PV_SYSTEM",
  "COMMERCIAL",
  "BIOGAS",
  "RETAIL",
  "SINGLE_FAMILY_HOME",
  "PRODUCTION",
  "FLAT",
  "WIND_ENERGY",
  "DOCTORS_OFFICE",
  "GROUPING",
  "APARTMENT_BUILDING",
  "REGION",
  "ROOM",
  "LANDLORD_TO_TENANT_ELECTRICITY_PROJECT",
] as const;
export const SpaceCategory = z.enum(SPACE_CATEGORIES);
export type SpaceCategory = z.infer<typeof SpaceCategory>;

export const DEVICE_TYPES = [
  "SMART_METER",
  "OPTICAL_METER_SENSOR",
  "WALLBOX",
  "SMART_PLUG",
  "SMART_RELAY",
  "ENERGY_METER",
  "NON_SMART_METER",
  "HEAT_PUMP",
  "MICRO_INVERTER",
  "VIRTUAL_METER",
  "GAS_METER",
  "WATER_METER",
  "HEATING_METER",
  "RLM_METER",
  "SMART_CAR",
  "BATTERY",
] as const;
export const DeviceType = z.enum(DEVICE_TYPES);
export type DeviceType = z.infer<typeof DeviceType>;

export const MEDIA = ["ELECTRICITY", "GAS", "WATER", "HEATING"] as const;
export const Medium = z.enum(MEDIA);
export type Medium = z.infer<typeof Medium>;

export const DEVICE_STATUSES = ["CONNECTED", "CONNECTING", "FAILED"] as const;
export const DeviceStatus = z.enum(DEVICE_STATUSES);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const DEVICE_PROVIDERS = [
  "BLUEMETERING",
  "DISCOVERGY",
  "SMARTME",
  "BSED",
  "EASEE",
  "SHELLY",
  "METERGRID",
  "WATTLINE",
  "ZAEHLERHELDEN",
  "MSCONS",
  "IMOVIS",
  "IMPORTED",
  "NON_SMART_METER_PROVIDER",
  "GO_E",
  "MYSTROM",
  "VIESSMANN",
  "TSUN",
  "EXTERNAL",
  "EDA",
  "AUXILIUS",
  "TIBBER",
  "OCPP",
  "BIT_SHAKE",
  "LOBARO",
  "SOLAREDGE",
] as const;
export const DeviceProvider = z.enum(DEVICE_PROVIDERS);
export type DeviceProvider = z.infer<typeof DeviceProvider>;

export const DIRECTIONS = ["IN", "OUT"] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

export const MEASUREMENTS = ["POWER", "ENERGY", "METER_READING"] as const;
export const Measurement = z.enum(MEASUREMENTS);
export type Measurement = z.infer<typeof Measurement>;

export const RESOLUTIONS = ["15_MIN", "1_HOUR", "1_DAY"] as const;
export const Resolution = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof Resolution>;

export const READING_STATUSES = ["REAL", "PRELIMINARY", "SUBSTITUTE"] as const;
export const ReadingStatus = z.enum(READING_STATUSES);
export type ReadingStatus = z.infer<typeof ReadingStatus>;

export const READING_UNITS = [
  "KILO_WATT_HOUR",
  "WATT",
  "CUBIC_METRE",
  "KILO_GRAMM",
  "LITERS_PER_MINUTE",
  "KILO_GRAMM_CO2",
  "EURO",
  "EURO_PER_KILO_WATT_HOUR",
  "PERCENT",
  "CENT_PER_KWH",
  "KILO_WATT",
] as const;
export const ReadingUnit = z.enum(READING_UNITS);
export type ReadingUnit = z.infer<typeof ReadingUnit>;

export const ACCESS_PERMISSION_IDS = [
  "VIEW",
  "VIEW_DATA_FULL",
  "DELETE",
  "ADD_USERS",
  "REMOVE_USERS",
  "INVITE_USERS_TO_CHILD_SPACE",
  "VIEW_CHILD_SPACE_DATA",
  "EDIT_LAYOUT",
  "VIEW_CHILD_SPACE_DATA_LTT_PARTICIPANTS_ONLY",
  "EDIT_REPORT",
  "EDIT_RULES",
  "EDIT_TARIFFS",
  "EDIT_DEVICES",
  "EDIT_SPACE_DETAILS",
  "RUN_SIMULATION",
  "CONTROL_DEVICES",
] as const;
export const AccessPermissionId = z.enum(ACCESS_PERMISSION_IDS);
export type AccessPermissionId = z.infer<typeof AccessPermissionId>;

/**
 * OBIS codes accepted by `storeReadings`, short and long form, with the medium each belongs to
 * (from `NewReading.obisCode` in the spec).
 */
export const OBIS_CODES = {
  "1.8.0": "ELECTRICITY",
  "1-1:1.8.0": "ELECTRICITY",
  "1.9.0": "ELECTRICITY",
  "1-1:1.9.0": "ELECTRICITY",
  "1.29.0": "ELECTRICITY",
  "1-1:1.29.0": "ELECTRICITY",
  "2.8.0": "ELECTRICITY",
  "1-1:2.8.0": "ELECTRICITY",
  "2.9.0": "ELECTRICITY",
  "1-1:2.9.0": "ELECTRICITY",
  "2.29.0": "ELECTRICITY",
  "1-1:2.29.0": "ELECTRICITY",
  "2.9.0 G.03": "ELECTRICITY",
  "1-1:2.9.0 G.03": "ELECTRICITY",
  "1.9.0 P.01": "ELECTRICITY",
  "1-1:1.9.0 P.01": "ELECTRICITY",
  "2.9.0 P.01": "ELECTRICITY",
  "1-1:2.9.0 P.01": "ELECTRICITY",
  "6-1:1.0.0": "HEATING",
  "7-1:3.1.0": "GAS",
  "8-1:1.0.0": "WATER",
} as const satisfies Record<string, Medium>;
export type ObisCode = keyof typeof OBIS_CODES;
export const ObisCode = z.enum(Object.keys(OBIS_CODES) as [ObisCode, ...ObisCode[]], {
  error: "Unknown OBIS code: the partner API accepts only the codes listed in NewReading.obisCode",
});

/**
 * Readings travel as epoch SECONDS (partner-api README, point 1). A value at or above 10^11
 * is almost certainly milliseconds; refusing it catches the unit bug before it writes data
 * into the year 5138.
 */
export const READING_TIMESTAMP_UNIT = "seconds" as const;
export const MAX_EPOCH_SECONDS = 100_000_000_000;
export const EpochSeconds = z
  .number()
  .int()
  .nonnegative()
  .lt(MAX_EPOCH_SECONDS, { error: "timestamp must be epoch seconds, not milliseconds" });

const nonEmpty = z.string().trim().min(1);

/**
 * A list in a response where one malformed record (a missing name, a wrong type) is dropped and
 * logged instead of failing the whole page: upstream data is input too, and one bad record must
 * not stop a refresh or a crawl for everybody.
 */
function tolerantList<T extends z.ZodType>(item: T, what: string) {
  return z.array(z.unknown()).transform((items) =>
    items.flatMap((raw) => {
      const parsed = item.safeParse(raw);
      if (parsed.success) return [parsed.data as z.output<T>];
      const id = typeof raw === "object" && raw !== null && "id" in raw ? String((raw as { id: unknown }).id).slice(0, 64) : "?";
      console.warn(`Partner API: skipped a malformed ${what} (id ${id}): ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
      return [];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------------------------

export const NewApiToken = z.object({ clientId: nonEmpty, clientSecret: nonEmpty });
export type NewApiToken = z.infer<typeof NewApiToken>;

export const ApiToken = z.object({ accessToken: z.string().min(1) });
export type ApiToken = z.infer<typeof ApiToken>;

// ---------------------------------------------------------------------------------------------
// Spaces
// ---------------------------------------------------------------------------------------------

export const NewSpace = z.object({
  name: nonEmpty,
  addressLineOne: nonEmpty,
  addressLineTwo: z.string().optional(),
  postcode: nonEmpty,
  city: nonEmpty,
  category: SpaceCategory,
  parentSpaceId: z.string().optional(),
  isParticipatingInLttProject: z.boolean().optional(),
});
export type NewSpace = z.infer<typeof NewSpace>;

/** Only the provided fields are updated; `null` clears the second address line or the parent. */
export const UpdateSpace = z.object({
  name: nonEmpty.optional(),
  addressLineOne: nonEmpty.optional(),
  addressLineTwo: z.string().nullable().optional(),
  postcode: nonEmpty.optional(),
  city: nonEmpty.optional(),
  category: SpaceCategory.optional(),
  parentSpaceId: z.string().nullable().optional(),
});
export type UpdateSpace = z.infer<typeof UpdateSpace>;

export const SpaceId = z.object({ spaceId: z.string() });
export type SpaceId = z.infer<typeof SpaceId>;

export const Space = z.object({
  id: z.string(),
  name: z.string(),
  addressLineOne: z.string(),
  addressLineTwo: z.string().nullish(),
  postcode: z.string(),
  city: z.string(),
  ownerUserId: z.string().nullish(),
  category: z.string(),
  categoryIcon: z.string().nullish(),
  associatedUsersId: z.array(z.string()).nullish(),
  country: z.string().nullish(),
  parentSpaceId: z.string().nullish(),
  isParticipatingInLttProject: z.boolean().nullish(),
});
export type Space = z.infer<typeof Space>;

export const Spaces = z.object({ spaces: tolerantList(Space, "space"), totalNumPages: z.number().int() });
export type Spaces = z.infer<typeof Spaces>;

/** Query of every paginated GET (`page` starts at 0). */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(0).default(0),
  pageSize: z.coerce.number().int().min(1).default(100),
});
export type PageQuery = z.infer<typeof PageQuery>;

// ---------------------------------------------------------------------------------------------
// Invites, access roles, users
// ---------------------------------------------------------------------------------------------

export const NewSpaceInvite = z.object({
  sendInviteEmail: z.boolean(),
  userEmail: z.email(),
  accessRoleId: z.string().optional(),
});
export type NewSpaceInvite = z.infer<typeof NewSpaceInvite>;

export const SpaceInviteLink = z.object({ inviteLink: z.string() });
export type SpaceInviteLink = z.infer<typeof SpaceInviteLink>;

export const AccessRole = z.object({
  id: z.string().optional(),
  name: z.string(),
  description: z.string().nullish(),
  permissionIds: z.array(z.string()),
});
export type AccessRole = z.infer<typeof AccessRole>;

export const AccessRoles = z.object({ accessRoles: z.array(AccessRole) });
export type AccessRoles = z.infer<typeof AccessRoles>;

export const AddUserToSpaceRequest = z.object({ accessRoleId: nonEmpty });
export type AddUserToSpaceRequest = z.infer<typeof AddUserToSpaceRequest>;

export const User = z.object({
  id: z.string(),
  name: z.string().nullish(),
  email: z.string(),
  partnerId: z.string().nullish(),
  lastLogin: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  createdAt: z.string().nullish(),
  loginCount: z.number().nullish(),
  picture: z.string().nullish(),
});
export type User = z.infer<typeof User>;

export const Users = z.object({ users: tolerantList(User, "user"), totalNumPages: z.number().int() });
export type Users = z.infer<typeof Users>;

// ---------------------------------------------------------------------------------------------
// Devices
// ---------------------------------------------------------------------------------------------

export const Metadata = z.object({ label: z.string(), value: z.string() });
export type Metadata = z.infer<typeof Metadata>;

export const Device = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  latestReadingTime: z.string().nullish(),
  firstReadingTime: z.string().nullish(),
  directions: z.array(z.string()).nullish(),
  provider: z.string().nullish(),
  providerName: z.string().nullish(),
  providerDescription: z.string().nullish(),
  providerLogoUrl: z.string().nullish(),
  providerInstructionsPath: z.string().nullish(),
  deviceType: z.string(),
  deviceTypeDescription: z.string().nullish(),
  deviceTypeImageUrl: z.string().nullish(),
  deviceTypeIcon: z.string().nullish(),
  isMainDeviceAllowed: z.boolean().nullish(),
  isMainDevice: z.boolean(),
  metaData: z.array(Metadata).nullish(),
  createdAt: z.string().nullish(),
  errorMessage: z.string().nullish(),
  medium: z.string(),
  imageUrl: z.string().nullish(),
  ownerUserId: z.string().nullish(),
  externalDeviceId: z.string().nullish(),
  externalDeviceIds: z.array(z.string()).nullish(),
});
export type Device = z.infer<typeof Device>;

export const Devices = z.object({ devices: tolerantList(Device, "device"), totalNumPages: z.number().int() });
export type Devices = z.infer<typeof Devices>;

export const DeviceId = z.object({ deviceId: z.string() });
export type DeviceId = z.infer<typeof DeviceId>;

/** Fields every registration shares (`NewDevice`). */
export const NewDevice = z.object({
  deviceName: nonEmpty,
  isMainDevice: z.boolean(),
  excludedFromCost: z.boolean().optional(),
  deviceType: DeviceType,
  deviceMedium: Medium,
});
export type NewDevice = z.infer<typeof NewDevice>;

const conversion = {
  conversionFactor: z.number().positive().optional(),
  applyConversionFactor: z.boolean().optional(),
};

export const NewExternalDevice = NewDevice.extend({
  externalDeviceId: z.string().optional(),
  meteringLocationId: z.string().optional(),
  serialNumber: z.string().optional(),
  ...conversion,
});
export type NewExternalDevice = z.infer<typeof NewExternalDevice>;

export const NewInexogyDevice = NewDevice.extend({ serialNumber: nonEmpty, ...conversion });
export type NewInexogyDevice = z.infer<typeof NewInexogyDevice>;

export const NewBluemeteringDevice = NewDevice.extend({
  meteringLocationId: nonEmpty,
  bluemeteringApiKey: nonEmpty,
  meterNumber: z.string().optional(),
  meterPin: z.string().optional(),
  ...conversion,
});
export type NewBluemeteringDevice = z.infer<typeof NewBluemeteringDevice>;

export const NewEsaDevice = NewDevice.extend({
  melo: z.string().optional(),
  malo: z.string().optional(),
  bdewCode: nonEmpty,
  customerName: nonEmpty,
  /** The signed declaration of consent, base64-encoded. */
  declarationOfConsent: z.base64(),
  sendInviteOnSuccessTo: z.email(),
  ...conversion,
});
export type NewEsaDevice = z.infer<typeof NewEsaDevice>;

export const NewNonSmartMeter = NewDevice.extend({
  deviceType: z.literal("NON_SMART_METER").default("NON_SMART_METER"),
  isBidirectional: z.boolean().optional(),
  readingMeasurementTime: EpochSeconds,
  readingUnit: ReadingUnit,
  consumptionReadingValue: z.number(),
  ingestionReadingValue: z.number().optional(),
  isReadingUpdate: z.boolean().optional(),
  serialNumber: z.string().optional(),
});
export type NewNonSmartMeter = z.infer<typeof NewNonSmartMeter>;

export const DeviceDetails = z.object({
  deviceName: nonEmpty.optional(),
  isMainDevice: z.boolean().optional(),
  grid: z.boolean().optional(),
  externalDeviceId: z.string().optional(),
  meteringLocationId: z.string().optional(),
  serialNumber: z.string().optional(),
});
export type DeviceDetails = z.infer<typeof DeviceDetails>;

/** Optional body of `addDeviceToSpace`. */
export const LinkDeviceToSpace = z.object({
  isMainDevice: z.boolean().optional(),
  excludedFromCost: z.boolean().optional(),
});
export type LinkDeviceToSpace = z.infer<typeof LinkDeviceToSpace>;

// ---------------------------------------------------------------------------------------------
// Readings
// ---------------------------------------------------------------------------------------------

export const NewReading = z.object({
  obisCode: ObisCode,
  timestamp: EpochSeconds,
  value: z.number().finite(),
  status: ReadingStatus.optional(),
  meteringInterval: z.number().int().positive().optional(),
});
export type NewReading = z.infer<typeof NewReading>;

export const NewDeviceReading = z
  .object({
    deviceId: z.string().optional(),
    externalDeviceId: z.string().optional(),
    readings: z.array(NewReading).min(1),
  })
  .refine((r) => r.deviceId || r.externalDeviceId, {
    error: "deviceId or externalDeviceId is required",
  });
export type NewDeviceReading = z.infer<typeof NewDeviceReading>;

export const StoreReadingsRequest = z.array(NewDeviceReading).min(1);
export type StoreReadingsRequest = z.infer<typeof StoreReadingsRequest>;

/** Query of `getReadingsByDevice` and `getReadingsBySpace` (times are ISO 8601 date-times). */
export const ReadingsQuery = z.object({
  startTime: z.iso.datetime({ offset: true }),
  endTime: z.iso.datetime({ offset: true }),
  resolution: Resolution,
  measurement: Measurement,
});
export type ReadingsQuery = z.infer<typeof ReadingsQuery>;

export const SpaceReadingsQuery = ReadingsQuery.extend({ medium: Medium.default("ELECTRICITY") });
export type SpaceReadingsQuery = z.infer<typeof SpaceReadingsQuery>;

export const DeviceReading = z.object({
  deviceId: z.string(),
  timeStamp: z.string(),
  measurement: z.string(),
  value: z.number(),
  unit: z.string(),
  label: z.string().nullish(),
  deviceType: z.string().nullish(),
  deviceProvider: z.string().nullish(),
  medium: z.string(),
  direction: z.string(),
});
export type DeviceReading = z.infer<typeof DeviceReading>;

export const DeviceReadings = z.array(DeviceReading);
export type DeviceReadings = z.infer<typeof DeviceReadings>;

// ---------------------------------------------------------------------------------------------
// Master data: customers and contracts (../shared/partner-api/README.md, "The master-data path")
// ---------------------------------------------------------------------------------------------

/** `addUpdateCustomer`: idempotent by `external_id` (the ERP customer number); `email` makes the platform invite the customer. */
export const NewCustomer = z.object({
  external_id: nonEmpty,
  email: z.email().optional(),
  name: z.string().optional(),
});
export type NewCustomer = z.infer<typeof NewCustomer>;

export const AddCustomerResponse = z.object({ customer_id: z.string() });
export type AddCustomerResponse = z.infer<typeof AddCustomerResponse>;

export const Customer = z.object({
  id: z.string(),
  external_id: z.string(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});
export type Customer = z.infer<typeof Customer>;

export const Customers = z.object({ customers: tolerantList(Customer, "customer"), totalNumPages: z.number().int() });
export type Customers = z.infer<typeof Customers>;

/** A calendar day, `YYYY-MM-DD` (the spec's `format: date`). */
export const CalendarDate = z.iso.date();

/**
 * `addCustomerContract`: idempotent by the contract's `external_id`; creates a top-level space and,
 * with `custom_attributes.melo` or `.malo`, an external device whose external id is that value.
 * `start_date`: the customer sees data from that day on; earlier contracts on the meter stop there.
 */
export const CustomerContract = z.object({
  external_id: nonEmpty,
  address_line_one: nonEmpty,
  address_line_two: z.string().optional(),
  city: nonEmpty,
  postcode: nonEmpty,
  start_date: CalendarDate.optional(),
  medium: Medium.default("ELECTRICITY"),
  custom_attributes: z.record(z.string(), z.string()).optional(),
});
export type CustomerContract = z.infer<typeof CustomerContract>;

export const AddCustomerContractResponse = z.object({ contract_id: z.string() });
export type AddCustomerContractResponse = z.infer<typeof AddCustomerContractResponse>;

/** `setCustomerContractTimeWindow`: what part of a device's data the contract's customer sees, in epoch seconds. */
export const CustomerContractTimeWindow = z.object({
  externalDeviceId: nonEmpty,
  timeWindowStart: EpochSeconds.optional(),
  timeWindowEnd: EpochSeconds.optional(),
});
export type CustomerContractTimeWindow = z.infer<typeof CustomerContractTimeWindow>;

export const SupportContact = z.object({
  id: z.string().nullish(),
  full_name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  picture_url: z.string().nullish(),
});
export type SupportContact = z.infer<typeof SupportContact>;
