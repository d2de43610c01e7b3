import type { Locale } from "../config";
import activityDe from "./de/activity.json";
import auditDe from "./de/audit.json";
import coreDe from "./de/core.json";
import customersDe from "./de/customers.json";
import importsDe from "./de/imports.json";
import devicesDe from "./de/devices.json";
import invitesDe from "./de/invites.json";
import onboardingDe from "./de/onboarding.json";
import overviewDe from "./de/overview.json";
import readingsDe from "./de/readings.json";
import staffDe from "./de/staff.json";
import usersDe from "./de/users.json";
import activityEn from "./en/activity.json";
import auditEn from "./en/audit.json";
import coreEn from "./en/core.json";
import customersEn from "./en/customers.json";
import importsEn from "./en/imports.json";
import devicesEn from "./en/devices.json";
import invitesEn from "./en/invites.json";
import onboardingEn from "./en/onboarding.json";
import overviewEn from "./en/overview.json";
import readingsEn from "./en/readings.json";
import staffEn from "./en/staff.json";
import usersEn from "./en/users.json";

/**
 * Messages live in one file per feature and language (`de/<feature>.json`, `en/<feature>.json`),
 * so a feature's words sit beside each other and features do not edit the same file. Each file
 * owns its top-level keys; messages.test.ts checks that no two files claim the same key and that
 * English has every key German has.
 */
export const MESSAGE_FILES: Record<Locale, Record<string, Record<string, unknown>>> = {
  de: { core: coreDe, activity: activityDe, audit: auditDe, customers: customersDe, imports: importsDe, devices: devicesDe, invites: invitesDe, onboarding: onboardingDe, overview: overviewDe, readings: readingsDe, staff: staffDe, users: usersDe },
  en: { core: coreEn, activity: activityEn, audit: auditEn, customers: customersEn, imports: importsEn, devices: devicesEn, invites: invitesEn, onboarding: onboardingEn, overview: overviewEn, readings: readingsEn, staff: staffEn, users: usersEn },
};

export function messagesFor(locale: Locale): Record<string, unknown> {
  return Object.assign({}, ...Object.values(MESSAGE_FILES[locale]));
}
