import { describe, expect, it } from "vitest";
import de from "./messages/de.json";
import en from "./messages/en.json";
import { SPACE_CATEGORIES } from "@/lib/partner-api/schemas";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("message files", () => {
  it("English has exactly the keys German has", () => {
    expect(keys(en).sort()).toEqual(keys(de).sort());
  });

  it("no message is empty", () => {
    for (const [name, messages] of Object.entries({ de, en })) {
      for (const key of keys(messages)) {
        const value = key.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], messages);
        expect(typeof value === "string" && value.trim().length > 0, `${name}: ${key}`).toBe(true);
      }
    }
  });

  it("every space category of the contract has a German label from DOMAIN.md", () => {
    expect(Object.keys(de.categories).sort()).toEqual([...SPACE_CATEGORIES].sort());
    expect(de.categories.APARTMENT_BUILDING).toBe("Mehrfamilienhaus");
    expect(de.categories.LANDLORD_TO_TENANT_ELECTRICITY_PROJECT).toBe("Mieterstromprojekt");
  });
});
