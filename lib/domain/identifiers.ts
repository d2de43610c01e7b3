/**
 * German metering identifiers (DOMAIN.md, "Identifiers"): validation, normalisation and the
 * MaLo check digit. Shared by forms, route handlers, search and the sandbox's seed.
 */
import { z } from "zod";

/** MaLo-ID: 11 digits, the first 1–9, the last a check digit. */
export const MALO_PATTERN = /^[1-9]\d{10}$/;

/**
 * Check digit over the first ten digits: a = sum of digits at odd positions (1, 3, 5, 7, 9),
 * b = 2 × sum at even positions (2, 4, 6, 8, 10); check = (10 − (a + b) mod 10) mod 10.
 */
export function maloCheckDigit(firstTen: string): number {
  if (!/^\d{10}$/.test(firstTen)) throw new Error("a MaLo check digit needs exactly ten digits");
  let a = 0;
  let b = 0;
  for (let i = 0; i < 10; i++) {
    const digit = firstTen.charCodeAt(i) - 48;
    if (i % 2 === 0) a += digit;
    else b += 2 * digit;
  }
  return (10 - ((a + b) % 10)) % 10;
}

export function isValidMalo(value: string): boolean {
  return MALO_PATTERN.test(value) && maloCheckDigit(value.slice(0, 10)) === Number(value[10]);
}

/** MeLo-ID: `DE` + 6 digits grid operator + 5 digits postcode + 20 alphanumerics = 33 characters. */
export const MELO_PATTERN = /^DE\d{6}\d{5}[A-Z0-9]{20}$/;

/** People paste MeLos with spaces, dots or dashes between the parts, in any case. */
export function normalizeMelo(value: string): string {
  return value.replace(/[\s.\-]/g, "").toUpperCase();
}

export function isValidMelo(value: string): boolean {
  return MELO_PATTERN.test(normalizeMelo(value));
}

/** A MeLo form field: accepts the pasted forms, yields the 33 characters. */
export const MeloInput = z
  .string()
  .trim()
  .transform(normalizeMelo)
  .refine((v) => v.length === 33, { error: "melo.length" })
  .refine((v) => MELO_PATTERN.test(v), { error: "melo.format" });

/** A MaLo form field: 11 digits with a valid check digit (spaces tolerated). */
export const MaloInput = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s/g, ""))
  .refine((v) => MALO_PATTERN.test(v), { error: "malo.format" })
  .refine(isValidMalo, { error: "malo.checkDigit" });
