/**
 * Deterministic seed data: a German utility with regions → apartment buildings → flats, a few
 * single-family homes, offices under grouping spaces, smart meters with 15-minute readings,
 * gas and water meters with daily readings, and residents with access roles.
 *
 * Two PRNG streams: the structure (ids, names, addresses) does not depend on `readingDays`,
 * so the same seed gives the same spaces and devices whatever the reading history.
 */
import { ACCESS_ROLES, type SandboxProvider } from "./catalog";
import { getMeta, setMeta, wipe, type Db } from "./db";
import { makeMalo, makeMelo, makeSerialNumber } from "./ids";
import { chance, createRng, pick, randomInt, seededUuid, type Rng } from "./rng";
import type { DeviceStatus, DeviceType, Medium, SpaceCategory } from "../lib/partner-api/schemas";

export interface SeedParams {
  seed: number;
  spaces: number;
  readingDays: number;
}

const SEED_FORMAT = 1;
const QUARTER_HOUR = 900;
const DAY = 86_400;

interface City {
  city: string;
  postcodes: string[];
  /** 6-digit grid operator number used in MeLo ids of this city. */
  gridOperator: string;
}

const REGIONS: { name: string; cities: City[] }[] = [
  {
    name: "Region Nord",
    cities: [
      { city: "Hamburg", postcodes: ["20095", "22765", "22303"], gridOperator: "000431" },
      { city: "Bremen", postcodes: ["28195", "28203"], gridOperator: "000218" },
      { city: "Lübeck", postcodes: ["23552", "23566"], gridOperator: "000577" },
      { city: "Hannover", postcodes: ["30159", "30167"], gridOperator: "000304" },
    ],
  },
  {
    name: "Region Süd",
    cities: [
      { city: "München", postcodes: ["80331", "80469", "81667"], gridOperator: "000562" },
      { city: "Nürnberg", postcodes: ["90402", "90429"], gridOperator: "000694" },
      { city: "Stuttgart", postcodes: ["70173", "70197"], gridOperator: "000129" },
      { city: "Würzburg", postcodes: ["97070", "97082"], gridOperator: "000815" },
      { city: "Freiburg im Breisgau", postcodes: ["79098", "79102"], gridOperator: "000746" },
    ],
  },
  {
    name: "Region West",
    cities: [
      { city: "Köln", postcodes: ["50667", "50823", "50935"], gridOperator: "000285" },
      { city: "Düsseldorf", postcodes: ["40210", "40477"], gridOperator: "000352" },
      { city: "Münster", postcodes: ["48143", "48151"], gridOperator: "000668" },
      { city: "Saarbrücken", postcodes: ["66111", "66119"], gridOperator: "000903" },
    ],
  },
  {
    name: "Region Ost",
    cities: [
      { city: "Berlin", postcodes: ["10115", "10245", "10437", "12043"], gridOperator: "000471" },
      { city: "Leipzig", postcodes: ["04109", "04277"], gridOperator: "000256" },
      { city: "Dresden", postcodes: ["01067", "01099"], gridOperator: "000187" },
      { city: "Görlitz", postcodes: ["02826"], gridOperator: "000932" },
    ],
  },
  {
    name: "Region Mitte",
    cities: [
      { city: "Frankfurt am Main", postcodes: ["60311", "60486"], gridOperator: "000398" },
      { city: "Göttingen", postcodes: ["37073", "37081"], gridOperator: "000621" },
      { city: "Kassel", postcodes: ["34117", "34119"], gridOperator: "000459" },
    ],
  },
];

const STREETS = [
  "Lindenstraße", "Hauptstraße", "Schillerstraße", "Goethestraße", "Bahnhofstraße", "Gartenstraße",
  "Bergstraße", "Kirchstraße", "Mozartstraße", "Ringstraße", "Am Mühlbach", "Birkenweg", "Rosenweg",
  "Friedrich-Ebert-Straße", "Schulstraße", "Wiesenstraße", "Ulmenallee", "Kastanienallee",
  "Lessingstraße", "Jägerstraße", "Uhlandstraße", "Blumenstraße", "Feldstraße", "Waldstraße",
  "Sonnenstraße", "Grüner Weg", "Lärchenweg", "Brückenstraße", "Mühlenweg", "Königstraße",
  "Talstraße", "Weißdornweg", "Fröbelstraße", "Am Schloßpark",
];

const FIRST_NAMES = [
  "Anna", "Lena", "Marie", "Sophie", "Laura", "Julia", "Hannah", "Lea", "Katharina", "Sabine",
  "Petra", "Jürgen", "Thomas", "Michael", "Andreas", "Stefan", "Markus", "Lukas", "Jonas", "Felix",
  "Jan", "Tobias", "Björn", "Sören", "Özlem", "Zoë", "Ümit", "Günther", "Jörg", "Käthe",
];
const LAST_NAMES = [
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
  "Köhler", "Yılmaz", "Weiß", "Groß", "Jäger",
];

const FLOORS = ["EG", "1. OG", "2. OG", "3. OG", "4. OG", "5. OG", "DG"];
const SIDES = ["links", "rechts", "Mitte"];

const FAILED_MESSAGES = [
  "Keine Daten seit 3 Tagen empfangen",
  "Zähler antwortet nicht (Gateway offline)",
  "Zertifikat des Smart-Meter-Gateways abgelaufen",
];

/** Relative household load per local hour; normalised to a daily share per quarter hour. */
const HOURLY_LOAD = [0.4, 0.4, 0.4, 0.4, 0.4, 0.45, 0.7, 1.2, 1.2, 0.8, 0.8, 0.8, 1, 1, 0.8, 0.8, 0.85, 1.3, 1.8, 1.8, 1.8, 1.6, 1.1, 0.6];
const LOAD_SHARE = (() => {
  const perSlot = Array.from({ length: 96 }, (_, s) => HOURLY_LOAD[Math.floor(s / 4)]);
  const total = perSlot.reduce((a, b) => a + b, 0);
  return perSlot.map((w) => w / total);
})();

/** Germany is UTC+1/+2; one hour is close enough for the shape of a load curve. */
const localSlot = (ts: number) => (Math.floor((ts % DAY) / QUARTER_HOUR) + 4) % 96;

function isoAt(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

function asciiMailPart(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/ı/g, "i")
    .normalize("NFD")
    .replace(/[^a-z]/g, "");
}

type SpaceKind = "flat" | "home" | "office";

/**
 * Wipes and seeds unless the database already holds data seeded with exactly these
 * parameters. Returns whether it seeded.
 */
export function ensureSeeded(db: Db, params: SeedParams, now = Date.now()): boolean {
  const signature = JSON.stringify({ format: SEED_FORMAT, ...params });
  if (getMeta(db, "seed") === signature) return false;
  wipe(db);
  db.transaction(() => {
    seed(db, params, now);
    setMeta(db, "seed", signature);
  })();
  return true;
}

function seed(db: Db, params: SeedParams, nowMs: number): void {
  const rng = createRng(params.seed);
  const readingRng = createRng(params.seed ^ 0x5eed);
  const end = Math.floor(nowMs / 1000 / QUARTER_HOUR) * QUARTER_HOUR;
  const start = end - params.readingDays * DAY;

  const insertSpace = db.prepare(
    `INSERT INTO spaces (id, name, address_line_one, address_line_two, postcode, city, category, parent_id, ltt, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDevice = db.prepare(
    `INSERT INTO devices (id, name, status, device_type, medium, provider, external_id, melo, malo, serial_number, error_message, directions, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const linkDevice = db.prepare(
    "INSERT INTO space_devices (space_id, device_seq, is_main, excluded_from_cost) VALUES (?, ?, 1, 0)",
  );
  const insertReading = db.prepare("INSERT INTO readings (device_seq, obis, ts, value) VALUES (?, ?, ?, ?)");
  const insertUser = db.prepare(
    "INSERT INTO users (id, name, email, phone, created_at, last_login, login_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertMember = db.prepare(
    "INSERT INTO space_users (space_id, user_id, access_role_id, added_seq) VALUES (?, ?, ?, ?)",
  );
  const insertRole = db.prepare(
    "INSERT INTO access_roles (seq, id, name, description, permission_ids, is_default) VALUES (?, ?, ?, ?, ?, ?)",
  );

  ACCESS_ROLES.forEach((r, i) =>
    insertRole.run(i, r.id, r.name, r.description, JSON.stringify(r.permissionIds), r.isDefault ? 1 : 0),
  );
  const roleId = (name: string) => ACCESS_ROLES.find((r) => r.name === name)!.id;

  // Creation times spread over the last two years, in creation order.
  let created = end - 2 * 365 * DAY;
  const nextCreatedAt = () => isoAt((created += randomInt(rng, 60, 3 * 3600)));

  let remaining = params.spaces;
  const addSpace = (
    name: string,
    address: { line1: string; line2?: string; postcode: string; city: string },
    category: SpaceCategory,
    parentId: string | null,
  ): string | null => {
    if (remaining <= 0) return null;
    remaining--;
    const id = seededUuid(rng);
    insertSpace.run(id, name, address.line1, address.line2 ?? null, address.postcode, address.city, category, parentId, 0, nextCreatedAt());
    return id;
  };

  const usedEmails = new Map<string, number>();
  let memberSeq = 0;
  const addUser = (spaceId: string, role: string) => {
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const local = `${asciiMailPart(first)}.${asciiMailPart(last)}`;
    const n = (usedEmails.get(local) ?? 0) + 1;
    usedEmails.set(local, n);
    const email = `${local}${n > 1 ? n : ""}@example.org`;
    const phone = chance(rng, 0.7) ? `+49 1${randomInt(rng, 50, 79)} ${randomInt(rng, 1_000_000, 99_999_999)}` : "";
    const createdAt = nextCreatedAt();
    const lastLogin = isoAt(end - randomInt(rng, 0, 60 * DAY));
    const id = seededUuid(rng);
    insertUser.run(id, `${first} ${last}`, email, phone, createdAt, lastLogin, randomInt(rng, 1, 250));
    insertMember.run(spaceId, id, roleId(role), memberSeq++);
  };

  const storeRegister = (deviceSeq: number, obis: string, series: Iterable<[number, number]>) => {
    for (const [ts, value] of series) insertReading.run(deviceSeq, obis, ts, Math.round(value * 1000) / 1000);
  };

  const addDevice = (
    spaceId: string,
    spec: {
      name: string;
      type: DeviceType;
      medium: Medium;
      provider: SandboxProvider;
      gridOperator: string;
      postcode: string;
      kind: SpaceKind | "building";
      hasPv?: boolean;
    },
  ) => {
    const roll = rng();
    const status: DeviceStatus = roll < 0.03 ? "FAILED" : roll < 0.06 ? "CONNECTING" : "CONNECTED";
    // Water meters sit outside the energy market: no MeLo or MaLo.
    const melo = spec.medium === "WATER" ? null : makeMelo(rng, spec.gridOperator, spec.postcode);
    const malo = spec.medium === "ELECTRICITY" || spec.medium === "GAS" ? makeMalo(rng) : null;
    const serial = spec.medium === "ELECTRICITY" ? makeSerialNumber(rng) : `${spec.medium === "GAS" ? "7" : "8"}ZR${randomInt(rng, 10_000_000, 99_999_999)}`;
    const error = status === "FAILED" ? pick(rng, FAILED_MESSAGES) : null;
    const dailyBase =
      spec.kind === "office" ? 20 + rng() * 40 : spec.kind === "building" ? 2 + rng() * 6 : 6 + rng() * 6;
    const info = insertDevice.run(
      seededUuid(rng), spec.name, status, spec.type, spec.medium, spec.provider,
      null, melo, malo, serial, error, spec.hasPv ? "IN,OUT" : "IN", nextCreatedAt(),
    );
    const seq = Number(info.lastInsertRowid);
    linkDevice.run(spaceId, seq);
    if (status === "CONNECTING" || params.readingDays === 0) return;
    // A failed device stopped reporting a few days ago.
    const last = status === "FAILED" ? end - 3 * DAY : end;
    if (spec.medium === "ELECTRICITY") {
      storeRegister(seq, "1.8.0", householdRegister(readingRng, start, last, dailyBase));
      if (spec.hasPv) storeRegister(seq, "2.8.0", pvFeedInRegister(readingRng, start, last));
    } else {
      storeRegister(seq, spec.medium === "GAS" ? "7-1:3.1.0" : "8-1:1.0.0", dailyRegister(readingRng, start, last, dailyBase));
    }
  };

  const meterFor = (spaceId: string, city: City, postcode: string, kind: SpaceKind) =>
    addDevice(spaceId, {
      name: "Stromzähler",
      type: "SMART_METER",
      medium: "ELECTRICITY",
      provider: "EXTERNAL",
      gridOperator: city.gridOperator,
      postcode,
      kind,
      hasPv: chance(rng, kind === "home" ? 0.3 : kind === "flat" ? 0.03 : 0),
    });

  const addOffice = (groupingId: string, city: City) => {
    const postcode = pick(rng, city.postcodes);
    const address = { line1: `${pick(rng, STREETS)} ${randomInt(rng, 1, 140)}`, postcode, city: city.city };
    const id = addSpace(`Büro ${address.line1}`, address, "OFFICE", groupingId);
    if (id) meterFor(id, city, postcode, "office");
    return id;
  };

  // Each grouping gets an office at once, so no grouping stays empty even in a tiny seed.
  const groupings: string[] = [];
  for (const name of ["Gewerbekunden", "Liegenschaften Verwaltung"]) {
    const hq = REGIONS[4].cities[0];
    const id = addSpace(name, { line1: "Mainzer Landstraße 50", postcode: hq.postcodes[0], city: hq.city }, "GROUPING", null);
    if (!id) break;
    groupings.push(id);
    addOffice(id, pick(rng, pick(rng, REGIONS).cities));
  }

  const regions: { id: string; region: (typeof REGIONS)[number] }[] = [];
  for (const region of REGIONS) {
    const city = region.cities[0];
    const id = addSpace(region.name, { line1: `${pick(rng, STREETS)} ${randomInt(rng, 1, 90)}`, postcode: city.postcodes[0], city: city.city }, "REGION", null);
    if (!id) break;
    regions.push({ id, region });
    addUser(id, "Verwalter");
  }

  for (let i = 0; remaining > 0 && regions.length > 0; i++) {
    const { id: regionId, region } = regions[i % regions.length];
    const city = pick(rng, region.cities);
    const postcode = pick(rng, city.postcodes);
    const address = { line1: `${pick(rng, STREETS)} ${randomInt(rng, 1, 140)}${chance(rng, 0.15) ? pick(rng, ["a", "b"]) : ""}`, postcode, city: city.city };
    const roll = rng();
    if (roll < 0.12) {
      const id = addSpace(`Einfamilienhaus ${address.line1}`, address, "SINGLE_FAMILY_HOME", regionId);
      if (!id) break;
      meterFor(id, city, postcode, "home");
      if (chance(rng, 0.5)) addUser(id, "Bewohner");
      continue;
    }
    if (roll < 0.17 && groupings.length > 0) {
      if (!addOffice(pick(rng, groupings), city)) break;
      continue;
    }
    const buildingId = addSpace(address.line1, address, "APARTMENT_BUILDING", regionId);
    if (!buildingId) break;
    if (chance(rng, 0.3)) addUser(buildingId, "Hausmeister");
    const building = { gridOperator: city.gridOperator, postcode, kind: "building" as const };
    if (chance(rng, 0.3)) addDevice(buildingId, { ...building, name: "Gaszähler Heizung", type: "GAS_METER", medium: "GAS", provider: "EXTERNAL" });
    if (chance(rng, 0.25)) addDevice(buildingId, { ...building, name: "Hauswasserzähler", type: "WATER_METER", medium: "WATER", provider: "EXTERNAL" });
    const flats = randomInt(rng, 3, 12);
    for (let f = 0; f < flats; f++) {
      const floor = FLOORS[Math.min(Math.floor(f / 2), FLOORS.length - 1)];
      const side = flats > 2 * FLOORS.length ? SIDES[f % 3] : SIDES[f % 2];
      const where = `${floor} ${side}`;
      const flatId = addSpace(`Wohnung ${where}`, { ...address, line2: where }, "FLAT", buildingId);
      if (!flatId) break;
      meterFor(flatId, city, postcode, "flat");
      if (chance(rng, 0.4)) addUser(flatId, "Bewohner");
      if (chance(rng, 0.1)) addUser(flatId, "Bewohner");
    }
  }
}

/** 15-minute 1.8.0 register of a household: ~`dailyKwh` per day, low at night, evening peak. */
function* householdRegister(rng: Rng, start: number, end: number, dailyKwh: number): Generator<[number, number]> {
  let register = 5_000 + rng() * 35_000;
  let dayTotal = dailyKwh;
  for (let ts = start; ts <= end; ts += QUARTER_HOUR) {
    yield [ts, register];
    if (ts % DAY === 0) dayTotal = dailyKwh * (0.85 + rng() * 0.3);
    register += dayTotal * LOAD_SHARE[localSlot(ts)] * (0.7 + rng() * 0.6);
  }
}

/** 15-minute 2.8.0 feed-in register of a small PV system: daylight bell curve, cloudy days. */
function* pvFeedInRegister(rng: Rng, start: number, end: number): Generator<[number, number]> {
  let register = 1_000 + rng() * 8_000;
  let peakKw = 2;
  for (let ts = start; ts <= end; ts += QUARTER_HOUR) {
    yield [ts, register];
    if (ts % DAY === 0) peakKw = 0.5 + rng() * 3;
    const hour = localSlot(ts) / 4;
    const sun = Math.sin((Math.PI * (hour - 6)) / 14);
    if (sun > 0) register += peakKw * sun * 0.25 * (0.8 + rng() * 0.4);
  }
}

/** Daily register (gas or water, m³) read at midnight UTC. */
function* dailyRegister(rng: Rng, start: number, end: number, dailyAmount: number): Generator<[number, number]> {
  let register = 500 + rng() * 20_000;
  for (let ts = Math.ceil(start / DAY) * DAY; ts <= end; ts += DAY) {
    yield [ts, register];
    register += dailyAmount * (0.6 + rng() * 0.8);
  }
}
