/**
 * Europe/Berlin wall-clock times ↔ epoch seconds (DOMAIN.md, "Time"), with the platform's Intl
 * time-zone data, never a fixed offset. A local time in the spring gap does not exist; one in the
 * repeated autumn hour has two instants and the person must choose.
 */
export const TIME_ZONE = "Europe/Berlin";
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const parts = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** `YYYY-MM-DDTHH:mm` in Berlin of an instant given in epoch seconds (the value of a datetime-local input). */
export function toBerlinLocal(epochSeconds: number): string {
  const p = Object.fromEntries(parts.formatToParts(new Date(epochSeconds * 1000)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

export type LocalTimeResult =
  | { kind: "ok"; seconds: number }
  | { kind: "ambiguous"; earlier: number; later: number }
  | { kind: "gap" }
  | { kind: "invalid" };

/** The instant(s) a Berlin wall-clock time names. */
export function fromBerlinLocal(local: string): LocalTimeResult {
  const m = LOCAL.exec(local.trim());
  if (!m) return { kind: "invalid" };
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
  if (Number.isNaN(asUtc) || toUtcLocal(asUtc) !== local.trim()) return { kind: "invalid" };
  // Berlin is UTC+1 or UTC+2: the candidates are the instants that read back as the entered time.
  const candidates = [7200, 3600].map((offset) => asUtc - offset).filter((s) => toBerlinLocal(s) === local.trim());
  if (candidates.length === 0) return { kind: "gap" };
  if (candidates.length === 2) return { kind: "ambiguous", earlier: candidates[0], later: candidates[1] };
  return { kind: "ok", seconds: candidates[0] };
}

function toUtcLocal(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16);
}
