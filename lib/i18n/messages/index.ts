import type { Locale } from "../config";
import activityDe from "./de/activity.json";
import coreDe from "./de/core.json";
import devicesDe from "./de/devices.json";
import invitesDe from "./de/invites.json";
import readingsDe from "./de/readings.json";
import usersDe from "./de/users.json";
import activityEn from "./en/activity.json";
import coreEn from "./en/core.json";
import devicesEn from "./en/devices.json";
import invitesEn from "./en/invites.json";
import readingsEn from "./en/readings.json";
import usersEn from "./en/users.json";

/**
 * Messages live in one file per feature and language (`de/<feature>.json`, `en/<feature>.json`),
 * so a feature's words sit beside each other and features do not edit the same file. Each file
 * owns its top-level keys; messages.test.ts checks that no two files claim the same key and that
 * English has every key German has.
 */
export const MESSAGE_FILES: Record<Locale, Record<string, Record<string, unknown>>> = {
  de: { core: coreDe, activity: activityDe, devices: devicesDe, invites: invitesDe, readings: readingsDe, users: usersDe },
  en: { core: coreEn, activity: activityEn, devices: devicesEn, invites: invitesEn, readings: readingsEn, users: usersEn },
};

export function messagesFor(locale: Locale): Record<string, unknown> {
  return Object.assign({}, ...Object.values(MESSAGE_FILES[locale]));
}
