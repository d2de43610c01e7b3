/**
 * German metering identifiers (DOMAIN.md): MaLo with its check digit, MeLo with its fixed
 * layout, and smart meter serial numbers.
 */
import { randomInt, type Rng } from "./rng";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function digits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String(randomInt(rng, 0, 9))).join("");
}

/** Check digit of a MaLo from its first ten digits. */
export function maloCheckDigit(firstTen: string): number {
  if (!/^\d{10}$/.test(firstTen)) throw new Error(`MaLo prefix must be 10 digits: ${firstTen}`);
  let a = 0;
  let b = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(firstTen[i]);
    // Positions are 1-based in the rule: odd positions sum to a, even ones to b.
    if (i % 2 === 0) a += d;
    else b += d;
  }
  return (10 - ((a + 2 * b) % 10)) % 10;
}

export function isValidMalo(id: string): boolean {
  return /^[1-9]\d{10}$/.test(id) && maloCheckDigit(id.slice(0, 10)) === Number(id[10]);
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

export function isValidMelo(id: string): boolean {
  return /^DE\d{6}\d{5}[A-Z0-9]{20}$/.test(id);
}

/** Smart meter serial numbers in the usual "1EMH00…" form (manufacturer EMH, 14 characters). */
export function makeSerialNumber(rng: Rng): string {
  return `1EMH00${digits(rng, 8)}`;
}
