/**
 * One export row → the values of an onboarding (lib/onboarding/schemas.ts), or the reasons it
 * cannot be one, per field. What the ERP writes is accepted where it is unambiguous: German dates
 * (01.01.2027), German media names, "ja"/"nein", MeLo with spaces. Checks that need the
 * database (parents, duplicates, what exists) are in preview.ts.
 */
import { z } from "zod";
import { ErpNumber } from "@/lib/customers/schemas";
import { isValidMalo, MALO_PATTERN, MELO_PATTERN, normalizeMelo } from "@/lib/domain/identifiers";
import { MEDIA, type Medium } from "@/lib/partner-api/schemas";
import type { ImportField } from "./columns";
import { REQUIRED_FIELDS } from "./columns";

export type FieldErrors = Partial<Record<ImportField, string[]>>;

/** A row's values as far as they are known from the file alone. */
export interface RowValues {
  customerNumber: string;
  customerName: string;
  email?: string;
  contractNumber: string;
  addressLineOne: string;
  addressLineTwo?: string;
  postcode: string;
  city: string;
  /** As written in the file: an id, a name path ("Nürnberg / Hauptstr. 5") or a contract number. */
  parent?: string;
  medium: Medium;
  meterId?: string;
  meterKind?: string;
  startDate: string;
  /** As written: a role's name or id (resolved against the partner's access roles). */
  accessRole?: string;
  sendInvite: boolean;
}

const MEDIUM_NAMES: Record<string, Medium> = {
  strom: "ELECTRICITY", electricity: "ELECTRICITY", power: "ELECTRICITY", elektrizität: "ELECTRICITY",
  gas: "GAS", erdgas: "GAS",
  wasser: "WATER", water: "WATER", trinkwasser: "WATER",
  wärme: "HEATING", waerme: "HEATING", fernwärme: "HEATING", fernwaerme: "HEATING", heizung: "HEATING", heating: "HEATING", heat: "HEATING",
};
const YES = new Set(["ja", "j", "yes", "y", "1", "true", "wahr", "x"]);
const NO = new Set(["nein", "n", "no", "0", "false", "falsch", ""]);

const Email = z.string().pipe(z.email());

export function rowValues(cells: readonly string[], mapping: Partial<Record<ImportField, number>>): { values: RowValues | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (field: ImportField, code: string) => (errors[field] ??= []).push(code);
  const cell = (field: ImportField) => {
    const index = mapping[field];
    return index === undefined ? "" : (cells[index] ?? "").trim();
  };
  for (const field of REQUIRED_FIELDS) if (!cell(field)) fail(field, "required");
  const tooLong = (field: ImportField, max: number) => cell(field).length > max && fail(field, "tooLong");
  tooLong("customerName", 120);
  tooLong("addressLineOne", 200);
  tooLong("addressLineTwo", 200);
  tooLong("city", 100);
  tooLong("parent", 500);
  tooLong("meterKind", 60);
  tooLong("accessRole", 200);

  for (const field of ["customerNumber", "contractNumber"] as const) {
    const value = cell(field);
    if (value && !ErpNumber.safeParse(value).success) fail(field, value.length > 64 ? "tooLong" : "erpNumber");
  }
  const email = cell("email").toLowerCase();
  if (email && !Email.safeParse(email).success) fail("email", "email");
  const postcode = cell("postcode");
  if (postcode && !/^\d{5}$/.test(postcode)) fail("postcode", "postcode");

  const mediumText = cell("medium");
  const medium: Medium | undefined = !mediumText ? "ELECTRICITY" : (MEDIA as readonly string[]).includes(mediumText.toUpperCase()) ? (mediumText.toUpperCase() as Medium) : MEDIUM_NAMES[mediumText.toLowerCase()];
  if (!medium) fail("medium", "medium");

  const meterId = meterIdOf(cell("meterId"), (code) => fail("meterId", code));
  const startDate = cell("startDate") ? isoDate(cell("startDate")) : null;
  if (cell("startDate") && !startDate) fail("startDate", "date");

  const inviteText = cell("sendInvite").toLowerCase();
  const sendInvite = YES.has(inviteText);
  if (!sendInvite && !NO.has(inviteText)) fail("sendInvite", "yesNo");
  if (sendInvite && !email) fail("email", "requiredForInvite");

  if (Object.keys(errors).length > 0) return { values: null, errors };
  const optional = (field: ImportField) => cell(field) || undefined;
  return {
    values: {
      customerNumber: cell("customerNumber"),
      customerName: cell("customerName"),
      email: email || undefined,
      contractNumber: cell("contractNumber"),
      addressLineOne: cell("addressLineOne"),
      addressLineTwo: optional("addressLineTwo"),
      postcode,
      city: cell("city"),
      parent: optional("parent"),
      medium: medium!,
      meterId,
      meterKind: optional("meterKind"),
      startDate: startDate!,
      accessRole: optional("accessRole"),
      sendInvite,
    },
    errors,
  };
}

/** A MaLo (11 digits with check digit) or a MeLo (33 characters); the specific reason otherwise. */
function meterIdOf(raw: string, fail: (code: string) => void): string | undefined {
  if (!raw) return undefined;
  const compact = raw.replace(/\s/g, "");
  if (/^\d+$/.test(compact)) {
    if (!MALO_PATTERN.test(compact)) fail("malo.format");
    else if (!isValidMalo(compact)) fail("malo.checkDigit");
    else return compact;
    return undefined;
  }
  const melo = normalizeMelo(raw);
  if (melo.length !== 33) fail("melo.length");
  else if (!MELO_PATTERN.test(melo)) fail("melo.format");
  else return melo;
  return undefined;
}

/** 2027-01-01, 01.01.2027 or 1.1.2027 → 2027-01-01 if that day exists; null otherwise. */
export function isoDate(value: string): string | null {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3]}-${german[2].padStart(2, "0")}-${german[1].padStart(2, "0")}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}
