/**
 * describeAudit with the real German and English messages through next-intl's own translator:
 * each known action reads as a sentence in the reader's language, a failed sign-in reads as
 * failed, anything unknown falls back to its label or its code, and every summary message can be
 * formatted from the values describeAudit gives (a message asking for another value throws here).
 * Plus auditObjectHref: the dashboard page of each kind of object.
 */
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { TIME_ZONE, type Locale } from "@/lib/i18n/config";
import { messagesFor } from "@/lib/i18n/messages";
import { auditObjectHref, describeAudit, type MessageTranslator } from "./describe";

/** A translator that throws on any missing message or value instead of printing a fallback. */
function translator(locale: Locale): MessageTranslator {
  const t = createTranslator({
    locale,
    messages: messagesFor(locale),
    timeZone: TIME_ZONE,
    onError: (error) => {
      throw error;
    },
  });
  return t as unknown as MessageTranslator;
}

const de = translator("de");
const en = translator("en");
const entry = (action: string, details: Record<string, unknown> | null = null, outcome: "ok" | "error" = "ok", targetId = "t-1") => ({ action, details, outcome, targetId });

function summaryKeys(locale: Locale): string[] {
  const activity = messagesFor(locale).activity as { summaries: Record<string, string> };
  return Object.keys(activity.summaries);
}

describe("describeAudit", () => {
  it("staff.create with e-mail and role: the localized sentence with the role's label", () => {
    const e = entry("staff.create", { email: "neu@example.de", role: "manager" }, "ok", "6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10");
    expect(describeAudit(de, e)).toBe("neu@example.de als Manager:in hinzugefügt");
    expect(describeAudit(en, e)).toBe("Added neu@example.de as Manager");
  });

  it("staff.role with a role the messages do not know shows the role's code", () => {
    expect(describeAudit(de, entry("staff.role", { role: "auditor" }))).toBe("Rolle auf auditor geändert");
    expect(describeAudit(en, entry("staff.role", { role: "staff" }))).toBe("Changed the role to Staff");
  });

  it("uses name, deviceName, count, method and the target id from the row", () => {
    expect(describeAudit(de, entry("space.create", { name: "Lindenstraße 4" }))).toBe("Raum „Lindenstraße 4“ angelegt");
    expect(describeAudit(en, entry("space.create", { name: "Lindenstraße 4" }))).toBe("Created space “Lindenstraße 4”");
    expect(describeAudit(de, entry("device.register", { deviceName: "Zähler Keller" }))).toBe("Gerät „Zähler Keller“ registriert");
    expect(describeAudit(de, entry("readings.store", { count: 1 }))).toBe("1 Zählerstand erfasst");
    expect(describeAudit(en, entry("readings.store", { count: 3 }))).toBe("Entered 3 readings");
    expect(describeAudit(de, entry("auth.signIn", { method: "sso" }))).toBe("Angemeldet (SSO)");
    expect(describeAudit(en, entry("auth.signIn", { method: "password" }))).toBe("Signed in (password)");
    expect(describeAudit(en, entry("contract.create", null, "ok", "K-100/V-7"))).toBe("Created contract K-100/V-7");
  });

  it("a failed auth.signIn gives the failed sentence, not the successful one", () => {
    const failed = entry("auth.signIn", null, "error", "unknown@example.de");
    expect(describeAudit(de, failed)).toBe("Anmeldung fehlgeschlagen");
    expect(describeAudit(en, failed)).toBe("Failed sign-in");
  });

  it("a failed action without a failed sentence keeps its usual sentence", () => {
    expect(describeAudit(en, entry("invite.create", { email: "a@example.de" }, "error"))).toBe("Invited a@example.de");
  });

  it("an action with a label but no summary shows the label; an unknown action its code", () => {
    expect(describeAudit(de, entry("onboarding.complete"))).toBe("Onboarding abgeschlossen");
    expect(describeAudit(en, entry("tenantChange.complete"))).toBe("Tenant change completed");
    expect(describeAudit(de, entry("reactor.meltdown", { name: "x" }))).toBe("reactor.meltdown");
    expect(describeAudit(en, entry("reactor.meltdown", null, "error"))).toBe("reactor.meltdown");
  });

  it("values that are not text (objects, booleans) become empty rather than [object Object]", () => {
    const text = describeAudit(en, entry("invite.create", { email: { nested: true } }));
    expect(text).not.toContain("object");
    expect(text).toBe("Invited ");
  });

  for (const locale of ["de", "en"] as const) {
    it(`every activity.summaries message in ${locale} formats for an entry with empty details`, () => {
      const t = translator(locale);
      const keys = summaryKeys(locale);
      expect(keys.length).toBeGreaterThan(20);
      for (const key of keys) {
        const failed = key.endsWith("_failed");
        const action = key.replace(/_failed$/, "").replace(/_/g, ".");
        for (const details of [{}, null]) {
          let text = "";
          expect(() => (text = describeAudit(t, entry(action, details, failed ? "error" : "ok"))), `${locale} activity.summaries.${key}`).not.toThrow();
          // The summary itself, not the label or code fallback.
          expect(text, key).not.toBe(action);
          expect(text, key).not.toContain("activity.");
        }
      }
    });
  }

  it("the German and English summaries name the same actions", () => {
    expect(summaryKeys("en").sort()).toEqual(summaryKeys("de").sort());
  });
});

describe("auditObjectHref", () => {
  const href = (targetType: string, targetId: string, details: Record<string, unknown> | null = null) => auditObjectHref({ targetType, targetId, details });

  it("space: its page, the id encoded; a space not created yet has none", () => {
    expect(href("space", "sp-1")).toBe("/spaces/sp-1");
    expect(href("space", "a/b c")).toBe("/spaces/a%2Fb%20c");
    expect(href("space", "new")).toBeNull();
  });
  it("device: the devices tab of its space, when the row knows the space", () => {
    expect(href("device", "dev-1", { spaceId: "sp-9" })).toBe("/spaces/sp-9?tab=devices");
    expect(href("device", "dev-1")).toBeNull();
    expect(href("device", "dev-1", { spaceId: 42 })).toBeNull();
  });
  it("invite: the invites tab of its space, else the invites page", () => {
    expect(href("invite", "inv-1", { spaceId: "sp/9" })).toBe("/spaces/sp%2F9?tab=invites");
    expect(href("invite", "inv-1")).toBe("/invites");
  });
  it("user: the users tab of its space, else none", () => {
    expect(href("user", "u-1", { spaceId: "sp-9" })).toBe("/spaces/sp-9?tab=users");
    expect(href("user", "u-1")).toBeNull();
  });
  it("customer: its page; contract: its customer's page", () => {
    expect(href("customer", "K 100")).toBe("/customers/K%20100");
    expect(href("contract", "K-100/V-7")).toBe("/customers/K-100");
    expect(href("contract", "/V-7")).toBeNull();
  });
  it("staff: the staff page; an unknown type: none", () => {
    expect(href("staff", "6f1c2f0e-1111-4c6b-9a51-5e4c0f5d2a10")).toBe("/staff");
    expect(href("reactor", "r-1")).toBeNull();
  });
});
