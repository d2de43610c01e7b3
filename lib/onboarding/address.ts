/**
 * Address comparison for duplicate detection: "Lindenstr. 4a", "Lindenstraße 4 A" and
 * "lindenstrasse 4a" are the same address. Pure, so the unit tests pin every rule.
 */
import { foldSearch } from "@/lib/spaces/rows";

export function normalizeStreet(line: string): string {
  return (
    foldSearch(line)
      // "str." / "str" / "strasse" / "straße" (folded to "strasse") at the end of a word
      .replace(/(\p{L})(str\.?|strasse)(?=\s|\d|$)/gu, "$1strasse")
      .replace(/\bstr\.?(?=\s|\d|$)/g, "strasse")
      // "Weg 4 a" = "Weg 4a" = "Weg 4-a"; "Nr." is noise
      .replace(/\bnr\.?\s*/g, "")
      .replace(/(\d+)\s*[-/]?\s*([a-z])\b/g, "$1$2")
      .replace(/[.,]/g, " ")
      // "Linden Straße" = "Lindenstraße"
      .replace(/(\p{L})\s+strasse\b/gu, "$1strasse")
      .replace(/\s+/g, " ")
      .trim()
  );
}

export function sameAddress(a: { addressLineOne: string; postcode: string }, b: { addressLineOne: string; postcode: string }): boolean {
  return a.postcode.replace(/\s/g, "") === b.postcode.replace(/\s/g, "") && normalizeStreet(a.addressLineOne) === normalizeStreet(b.addressLineOne);
}
