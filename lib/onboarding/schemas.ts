/**
 * The guided onboarding and the tenant change: what the person enters, per step, in the browser
 * and again on the server (every PATCH of the draft and the run parse the same schemas).
 * Error messages are codes the UI translates. No `server-only`: the browser bundles these.
 */
import { z } from "zod";
import { ErpNumber } from "@/lib/customers/schemas";
import { MALO_PATTERN, MaloInput, MeloInput, normalizeMelo } from "@/lib/domain/identifiers";
import { Id } from "@/lib/input/id";
import { CalendarDate, Medium } from "@/lib/partner-api/schemas";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = (max: number) => z.string({ error: "required" }).trim().min(1, { error: "required" }).max(max, { error: "tooLong" });
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, { error: "tooLong" }).optional());

export const CustomerStep = z.object({
  customerNumber: ErpNumber,
  customerName: text(120),
  email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().pipe(z.email({ error: "email" })).optional()),
});

/** One field for the meter's id: a MeLo (33 characters, DE…) or a MaLo (11 digits with check digit). */
export const MeterIdInput = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .transform((v) => (/^\d[\d\s]*$/.test(v) ? v.replace(/\s/g, "") : normalizeMelo(v)))
    .pipe(z.union([MaloInput, MeloInput], { error: "meterId" }))
    .optional(),
);

export function meterIdKind(value: string): "melo" | "malo" {
  return MALO_PATTERN.test(value) ? "malo" : "melo";
}

export const ContractStep = z.object({
  contractNumber: ErpNumber,
  addressLineOne: text(200),
  addressLineTwo: optionalText(200),
  postcode: text(10).regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, { error: "invalid" }),
  city: text(100),
  parentSpaceId: z.preprocess(blankToUndefined, Id.optional()),
  medium: Medium,
  startDate: CalendarDate.or(z.literal("")).refine((v) => v !== "", { error: "required" }),
  meterId: MeterIdInput,
});

/**
 * `contract`: the MeLo/MaLo on the contract makes the platform create the external device.
 * `wizard`: the device registration wizard runs for the new space (inexogy, BlueMetering, ESA,
 * non-smart meter). `none`: no meter now.
 */
export const MeterStep = z.object({ meterPath: z.enum(["contract", "wizard", "none"], { error: "required" }) });

/**
 * At most one e-mail per onboarding: the platform's own invite through the customer's e-mail
 * (`customer`), or the dashboard's invite to the space with a role (`space`, e-mail or link only).
 */
export const InviteStep = z.object({
  inviteChannel: z.enum(["customer", "space", "none"], { error: "required" }),
  accessRoleId: z.preprocess(blankToUndefined, Id.optional()),
  sendEmail: z.boolean().default(true),
});

/** Tenant change only: when the old tenant's view ends, and what happens to their access. */
export const MoveOutStep = z.object({
  previousContractId: z.uuid({ error: "required" }),
  moveOutDate: CalendarDate.or(z.literal("")).refine((v) => v !== "", { error: "required" }),
  removeUsers: z.enum(["atDate", "now", "keep"], { error: "required" }),
});

export const OnboardingValues = CustomerStep.extend(ContractStep.shape)
  .extend(MeterStep.shape)
  .extend(InviteStep.shape)
  // The person saw what exists already (duplicates_found) and goes ahead.
  .extend({ confirmDuplicates: z.boolean().default(false) });
export type OnboardingValues = z.output<typeof OnboardingValues>;

export const TenantChangeValues = OnboardingValues.extend(MoveOutStep.shape);
export type TenantChangeValues = z.output<typeof TenantChangeValues>;

/** Cross-field rules of a complete draft, as field errors (the run refuses a draft that has any). */
export function crossFieldErrors(v: Partial<OnboardingValues> & { moveOutDate?: string }): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (v.meterPath === "contract" && !v.meterId) errors.meterId = ["requiredForContractMeter"];
  if (v.inviteChannel && v.inviteChannel !== "none" && !v.email) errors.email = ["requiredForInvite"];
  if (v.moveOutDate && v.startDate && v.startDate !== v.moveOutDate) errors.startDate = ["mustBeMoveOut"];
  return errors;
}

/** The steps of the flow, in order; the UI shows one at a time, the draft remembers where it is. */
export const ONBOARDING_STEPS = ["customer", "contract", "meter", "invite", "review"] as const;
export const TENANT_CHANGE_STEPS = ["moveOut", "customer", "contract", "invite", "review"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number] | (typeof TENANT_CHANGE_STEPS)[number];

export const STEP_SCHEMAS = { customer: CustomerStep, contract: ContractStep, meter: MeterStep, invite: InviteStep, moveOut: MoveOutStep } as const;

/** PATCH /api/onboardings/:id: the values so far (strings as the inputs hold them) and the step shown. */
export const SaveDraftInput = z.object({
  values: z.record(z.string(), z.union([z.string().max(10_000), z.boolean(), z.null()])),
  step: z.number().int().min(0).max(10),
  /** Validate this step before saving (Next); without it, the draft is saved as it is (Back, autosave). */
  validate: z.enum(["customer", "contract", "meter", "invite", "moveOut"]).optional(),
});

export const CreateOnboardingInput = z.object({
  kind: z.enum(["customer", "tenantChange"]),
  /** Tenant change: the contract that ends. */
  previousContractId: z.uuid().optional(),
});
