/**
 * Generated German metering identifiers for the seed: MaLo, MeLo and smart meter serial numbers.
 * The rules themselves live in lib/domain/identifiers.ts.
 */
import { maloCheckDigit } from "../lib/domain/identifiers";
import { randomInt, type Rng } from "./rng";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function digits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String(randomInt(rng, 0, 9))).join("");
}

export function makeMalo(rng: Rng): string {
  const firstTen = String(randomInt(rng, 1, 9)) + digits(rng, 9);
  return firstTen + String(maloCheckDigit(firstTen));
}

/** `DE` + 6-digit grid operator number + 5-digit postcode + 20 uppercase alphanumerics. */
export function makeMelo(rng: Rng, gridOperator: string, postcode: string): string {
  if (!/^\d{6}$/.test(gridOperator)) throw new Error(`grid operator must be 6 digits: ${gridOperator}`);
  const plz = /^\d{5}$/.test(postcode) ? postcode : "00000";
  const tail = Array.from({ length: 20 }, () => ALPHANUMERIC[randomInt(rng, 0, 35)]).join("");
  return `DE${gridOperator}${plz}${tail}`;
}

/** Smart meter serial numbers in the usual "1EMH00…" form (manufacturer EMH, 14 characters). */
export function makeSerialNumber(rng: Rng): string {
  return `1EMH00${digits(rng, 8)}`;
}
