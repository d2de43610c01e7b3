import { describe, expect, it } from "vitest";
import { MESSAGE_FILES, messagesFor } from "./messages";
import { LOCALES } from "./config";
import { SPACE_CATEGORIES } from "@/lib/partner-api/schemas";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("message files", () => {
  it("every language has the same feature files", () => {
    for (const locale of LOCALES) {
      expect(Object.keys(MESSAGE_FILES[locale]).sort()).toEqual(Object.keys(MESSAGE_FILES.de).sort());
    }
  });

  it("English has exactly the keys German has, file by file", () => {
    for (const [file, de] of Object.entries(MESSAGE_FILES.de)) {
      expect(keys(MESSAGE_FILES.en[file]).sort(), file).toEqual(keys(de).sort());
    }
  });

  it("no two feature files claim the same top-level key", () => {
    const owner = new Map<string, string>();
    for (const [file, messages] of Object.entries(MESSAGE_FILES.de)) {
      for (const key of Object.keys(messages)) {
        expect(owner.get(key), `"${key}" is in ${owner.get(key)} and ${file}`).toBeUndefined();
        owner.set(key, file);
      }
    }
  });

  it("no message is empty", () => {
    for (const locale of LOCALES) {
      const messages = messagesFor(locale);
      for (const key of keys(messages)) {
        const value = key.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], messages);
        expect(typeof value === "string" && value.trim().length > 0, `${locale}: ${key}`).toBe(true);
      }
    }
  });

  it("every space category of the contract has a German label from DOMAIN.md", () => {
    const de = messagesFor("de") as { categories: Record<string, string> };
    expect(Object.keys(de.categories).sort()).toEqual([...SPACE_CATEGORIES].sort());
    expect(de.categories.APARTMENT_BUILDING).toBe("Mehrfamilienhaus");
    expect(de.categories.LANDLORD_TO_TENANT_ELECTRICITY_PROJECT).toBe("Mieterstromprojekt");
  });
});
