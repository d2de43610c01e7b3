/**
 * The registration wizard's form schemas, derived from the contract's `New*Device` schemas and
 * shared by the wizard (per step, at the field) and the registration route (the whole draft).
 * The form works on strings (what inputs hold and the draft stores); each schema turns them into
 * the contract body. Error messages are short codes the UI translates (`required`, `melo.format`, …).
 * No `server-only`: the browser bundles these.
 */
import { z } from "zod";
import { Id } from "@/lib/input/id";
import { MaloInput, MeloInput } from "@/lib/domain/identifiers";
import {
  DeviceType,
  Medium,
  NewBluemeteringDevice,
  NewEsaDevice,
  NewExternalDevice,
  NewInexogyDevice,
  NewNonSmartMeter,
} from "@/lib/partner-api/schemas";
import { fromBerlinLocal } from "@/lib/readings/time";
import { fitsMedium, mayBeMain, READING_UNIT_BY_MEDIUM } from "./matrix";

export const PROVIDER_KINDS = ["external", "inexogy", "bluemetering", "esa", "nonSmart"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The declaration of consent: a PDF of at most 2 MB (the draft keeps it in the browser's storage). */
export const CONSENT_MAX_BYTES = 2 * 1024 * 1024;
export const CONSENT_MAX_BASE64 = Math.ceil(CONSENT_MAX_BYTES / 3) * 4;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const required = (max = 200) => z.string({ error: "required" }).trim().min(1, { error: "required" }).max(max, { error: "tooLong" });
const optionalText = (max = 200) => z.preprocess(blankToUndefined, z.string().trim().max(max, { error: "tooLong" }).optional());
const optionalMelo = z.preprocess(blankToUndefined, MeloInput.optional());
const optionalMalo = z.preprocess(blankToUndefined, MaloInput.optional());

/** A number typed by a person: German decimal comma allowed. */
const decimal = z
  .string({ error: "required" })
  .trim()
  .min(1, { error: "required" })
  .transform((v) => v.replace(",", "."))
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { error: "number" })
  .transform(Number);
const nonNegative = decimal.refine((v) => v >= 0, { error: "negative" });
const optionalConversion = z.preprocess(blankToUndefined, decimal.refine((v) => v > 0, { error: "positive" }).optional());

// ---- steps -------------------------------------------------------------------------------------

export const DeviceStep = z.object({
  deviceName: required(100),
  deviceMedium: Medium.or(z.literal("")).refine((v) => v !== "", { error: "required" }),
  deviceType: DeviceType.or(z.literal("")).refine((v) => v !== "", { error: "required" }),
  isMainDevice: z.boolean(),
  excludedFromCost: z.boolean(),
});

const ExternalFields = z.object({
  externalDeviceId: optionalText(),
  meteringLocationId: optionalMelo,
  serialNumber: optionalText(),
  conversionFactor: optionalConversion,
});
const InexogyFields = z.object({ serialNumber: required(), conversionFactor: optionalConversion });
const BluemeteringFields = z.object({
  meteringLocationId: MeloInput,
  bluemeteringApiKey: required(),
  meterNumber: optionalText(),
  meterPin: optionalText(),
  conversionFactor: optionalConversion,
});
const EsaFields = z.object({
  melo: optionalMelo,
  malo: optionalMalo,
  bdewCode: required(13).regex(/^\d{13}$/, { error: "bdew" }),
  customerName: required(),
  declarationOfConsent: z
    .string({ error: "consent.required" })
    .min(1, { error: "consent.required" })
    .max(CONSENT_MAX_BASE64, { error: "consent.tooLarge" })
    .pipe(z.base64({ error: "consent.notPdf" }))
    // Every PDF starts with "%PDF-", whose base64 is "JVBERi0".
    .refine((v) => v.startsWith("JVBERi0"), { error: "consent.notPdf" }),
  declarationFileName: optionalText(300),
  sendInviteOnSuccessTo: z.string().trim().pipe(z.email({ error: "email" })),
  conversionFactor: optionalConversion,
});
const NonSmartFields = z.object({
  readingTime: z.string({ error: "required" }).trim().min(1, { error: "required" }),
  readingUnit: z.enum(["KILO_WATT_HOUR", "CUBIC_METRE"], { error: "required" }),
  consumptionReadingValue: nonNegative,
  ingestionReadingValue: z.preprocess(blankToUndefined, nonNegative.optional()),
  serialNumber: optionalText(),
});

export const PROVIDER_FIELDS = {
  external: ExternalFields,
  inexogy: InexogyFields,
  bluemetering: BluemeteringFields,
  esa: EsaFields,
  nonSmart: NonSmartFields,
} as const;

/** Which form fields each kind shows (in this order). */
export const PROVIDER_FIELD_NAMES = Object.fromEntries(
  Object.entries(PROVIDER_FIELDS).map(([k, s]) => [k, Object.keys(s.shape)]),
) as Record<ProviderKind, string[]>;

/** A draft's values: strings and booleans, what inputs hold and localStorage keeps. */
export type DraftValues = Record<string, string | boolean | undefined>;

type Issue = { path: string; code: string };

/** Checks that need two fields: type fits medium, main device allowed, unit fits medium, gap hour… */
export function crossFieldIssues(kind: ProviderKind | undefined, v: DraftValues): Issue[] {
  const issues: Issue[] = [];
  const medium = Medium.safeParse(v.deviceMedium).data;
  const type = kind === "nonSmart" ? "NON_SMART_METER" : DeviceType.safeParse(v.deviceType).data;
  if (medium && type && !fitsMedium(medium, type)) issues.push({ path: "deviceType", code: "typeMismatch" });
  if (type && v.isMainDevice === true && !mayBeMain(type)) issues.push({ path: "isMainDevice", code: "mainNotAllowed" });
  if (kind === "esa" && !blankToUndefined(v.melo) && !blankToUndefined(v.malo)) issues.push({ path: "melo", code: "meloOrMalo" });
  if (kind === "nonSmart") {
    if (medium && v.readingUnit && v.readingUnit !== READING_UNIT_BY_MEDIUM[medium]) issues.push({ path: "readingUnit", code: "unitMismatch" });
    if (medium && medium !== "ELECTRICITY" && blankToUndefined(v.ingestionReadingValue) !== undefined) {
      issues.push({ path: "ingestionReadingValue", code: "feedInElectricityOnly" });
    }
    if (typeof v.readingTime === "string" && v.readingTime) {
      const t = fromBerlinLocal(v.readingTime);
      if (t.kind === "invalid") issues.push({ path: "readingTime", code: "time" });
      else if (t.kind === "gap") issues.push({ path: "readingTime", code: "timeGap" });
      else if (t.kind === "ambiguous") issues.push({ path: "readingTime", code: "timeAmbiguous" });
      else if (t.seconds > Date.now() / 1000 + 60) issues.push({ path: "readingTime", code: "future" });
    }
  }
  return issues;
}

/** Field errors (code per field) of one step of the wizard; empty when the step is complete. */
export function stepErrors(step: "device" | "provider", kind: ProviderKind, v: DraftValues): Record<string, string> {
  const schema = step === "device" ? DeviceStep : PROVIDER_FIELDS[kind];
  const errors: Record<string, string> = {};
  const parsed = schema.safeParse(step === "device" && kind === "nonSmart" ? { ...v, deviceType: "NON_SMART_METER" } : v);
  for (const issue of parsed.error?.issues ?? []) {
    const path = String(issue.path[0] ?? "");
    errors[path] ??= issue.message;
  }
  const mine = new Set(step === "device" ? Object.keys(DeviceStep.shape) : PROVIDER_FIELD_NAMES[kind]);
  for (const issue of crossFieldIssues(kind, v)) if (mine.has(issue.path)) errors[issue.path] ??= issue.code;
  return errors;
}

// ---- the whole draft, as the route receives it ---------------------------------------------------

const common = { deviceName: required(100), deviceMedium: Medium, isMainDevice: z.boolean(), excludedFromCost: z.boolean() };

const RegisterDraft = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("external"), deviceType: DeviceType, ...common, ...ExternalFields.shape }),
  z.object({ kind: z.literal("inexogy"), deviceType: DeviceType, ...common, ...InexogyFields.shape }),
  z.object({ kind: z.literal("bluemetering"), deviceType: DeviceType, ...common, ...BluemeteringFields.shape }),
  z.object({ kind: z.literal("esa"), deviceType: DeviceType, ...common, ...EsaFields.shape }),
  // A non-smart meter is always a NON_SMART_METER, whatever the draft held from another kind.
  z.object({ kind: z.literal("nonSmart"), deviceType: z.unknown().transform(() => "NON_SMART_METER" as const), ...common, ...NonSmartFields.shape }),
]);

const conversionOf = (factor: number | undefined) => (factor === undefined ? {} : { conversionFactor: factor, applyConversionFactor: true });

/** A registration: which operation and the contract body it sends. */
export type Registration =
  | { kind: "external"; body: NewExternalDevice }
  | { kind: "inexogy"; body: NewInexogyDevice }
  | { kind: "bluemetering"; body: NewBluemeteringDevice }
  | { kind: "esa"; body: NewEsaDevice }
  | { kind: "nonSmart"; body: NewNonSmartMeter };

/**
 * The whole draft (`kind` plus the fields of both steps) → the contract body of the chosen
 * operation. What the route parses and the wizard's review checks once more before sending.
 */
export const RegisterDeviceInput = z
  .unknown()
  .transform((raw, ctx) => {
    const parsed = RegisterDraft.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return z.NEVER;
    }
    const d = parsed.data;
    for (const issue of crossFieldIssues(d.kind, raw as DraftValues)) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.code });
    if (ctx.issues.length > 0) return z.NEVER;
    const base = { deviceName: d.deviceName, deviceMedium: d.deviceMedium, deviceType: d.deviceType, isMainDevice: d.isMainDevice, excludedFromCost: d.excludedFromCost };
    let result: Registration;
    switch (d.kind) {
      case "external":
        result = { kind: d.kind, body: NewExternalDevice.parse({ ...base, externalDeviceId: d.externalDeviceId, meteringLocationId: d.meteringLocationId, serialNumber: d.serialNumber, ...conversionOf(d.conversionFactor) }) };
        break;
      case "inexogy":
        result = { kind: d.kind, body: NewInexogyDevice.parse({ ...base, serialNumber: d.serialNumber, ...conversionOf(d.conversionFactor) }) };
        break;
      case "bluemetering":
        result = {
          kind: d.kind,
          body: NewBluemeteringDevice.parse({ ...base, meteringLocationId: d.meteringLocationId, bluemeteringApiKey: d.bluemeteringApiKey, meterNumber: d.meterNumber, meterPin: d.meterPin, ...conversionOf(d.conversionFactor) }),
        };
        break;
      case "esa":
        result = {
          kind: d.kind,
          body: NewEsaDevice.parse({ ...base, melo: d.melo, malo: d.malo, bdewCode: d.bdewCode, customerName: d.customerName, declarationOfConsent: d.declarationOfConsent, sendInviteOnSuccessTo: d.sendInviteOnSuccessTo, ...conversionOf(d.conversionFactor) }),
        };
        break;
      case "nonSmart": {
        const time = (fromBerlinLocal(d.readingTime) as { seconds: number }).seconds;
        result = {
          kind: d.kind,
          body: NewNonSmartMeter.parse({
            ...base,
            deviceType: "NON_SMART_METER",
            readingMeasurementTime: time,
            readingUnit: d.readingUnit,
            consumptionReadingValue: d.consumptionReadingValue,
            ingestionReadingValue: d.ingestionReadingValue,
            isBidirectional: d.ingestionReadingValue !== undefined ? true : undefined,
            serialNumber: d.serialNumber,
          }),
        };
        break;
      }
    }
    return result;
  });
export type RegisterDeviceInput = z.output<typeof RegisterDeviceInput>;

/** Edit details of a linked device (the space it is edited through comes along). */
export const EditDeviceInput = z.object({
  spaceId: Id,
  deviceName: required(100).optional(),
  isMainDevice: z.boolean().optional(),
  grid: z.boolean().optional(),
  externalDeviceId: z.string().trim().max(200, { error: "tooLong" }).optional(),
  meteringLocationId: z.preprocess(blankToUndefined, MeloInput.optional()),
  serialNumber: z.string().trim().max(200, { error: "tooLong" }).optional(),
});
export type EditDeviceInput = z.output<typeof EditDeviceInput>;

/** Link an existing device to another space. */
export const LinkDeviceInput = z.object({ isMainDevice: z.boolean().optional(), excludedFromCost: z.boolean().optional() });
