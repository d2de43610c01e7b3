/**
 * Quick performance check of the space index (npx tsx scripts/measure-search.ts):
 * 1. seeds 20,000 spaces and ~19,000 devices straight into a memory:// database (no HTTP) and
 *    prints p50/p95 of 200 searches per kind;
 * 2. with --cold-build, also times a cold refresh from a 20,000-space sandbox at 150 ms latency
 *    against the bound 1.3 × ceil(pages / concurrency) × latency.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Device, Space } from "../lib/partner-api";

// The lib modules `import "server-only"`, which throws outside a server bundle unless the
// react-server condition is set: re-run this script with it (`npx tsx scripts/measure-search.ts` just works).
if (!process.execArgv.includes("--conditions=react-server")) {
  const run = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}

const { createDatabase } = await import("../lib/db");
const { spaceDeviceIndex, spaceIndex, spaceUserIndex } = await import("../lib/db/schema");
const { createPartnerClient } = await import("../lib/partner-api");
const { CONFIG_DEFAULTS } = await import("../lib/partner-api/config");
const { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } = await import("../lib/partner-api/defaults");
const { refreshSpaceIndex } = await import("../lib/spaces/index");
const { deviceToRow, spaceToRow, userToRow } = await import("../lib/spaces/rows");
const { searchSpaces } = await import("../lib/spaces/search");
const { buildForest } = await import("../lib/spaces/tree");
const { startSandbox } = await import("../sandbox/server");

const CITIES = ["Nürnberg", "München", "Berlin", "Hamburg", "Köln", "Leipzig", "Dresden", "Stuttgart", "Würzburg", "Görlitz"];
const STREETS = ["Lindenstraße", "Hauptstraße", "Schillerstraße", "Goethestraße", "Bahnhofstraße", "Am Mühlbach", "Birkenweg", "Königstraße"];
const rnd = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)];
const digits = (n: number) => Array.from({ length: n }, () => rnd(10)).join("");

async function measureSearch() {
  const { db, close } = await createDatabase({ dataDir: "memory://" });
  const spaces: Space[] = [];
  const devices: { spaceId: string; device: Device }[] = [];
  for (let r = 0; r < 5; r++) spaces.push({ id: `r${r}`, name: `Region ${r}`, addressLineOne: "Zentrale 1", postcode: "10115", city: "Berlin", category: "REGION" });
  let b = 0;
  while (spaces.length < 20_000) {
    const city = pick(CITIES);
    const postcode = `${rnd(9) + 1}${digits(4)}`;
    const street = `${pick(STREETS)} ${rnd(200) + 1}`;
    const building = `b${b++}`;
    spaces.push({ id: building, name: street, addressLineOne: street, postcode, city, category: "APARTMENT_BUILDING", parentSpaceId: `r${rnd(5)}` });
    for (let f = 0; f < 12 && spaces.length < 20_000; f++) {
      const id = `${building}f${f}`;
      spaces.push({ id, name: `WE ${f + 1}`, addressLineOne: street, addressLineTwo: `${f}. OG`, postcode, city, category: "FLAT", parentSpaceId: building });
      const melo = `DE${digits(6)}${postcode}${digits(20)}`;
      const malo = `5${digits(10)}`;
      const serial = `1ESY${digits(10)}`;
      devices.push({
        spaceId: id,
        device: { id: `d${id}`, name: `Stromzähler WE ${f + 1}`, status: "CONNECTED", deviceType: "SMART_METER", isMainDevice: true, medium: "ELECTRICITY", externalDeviceIds: [melo, malo, serial], metaData: [{ label: "Zählernummer", value: serial }] },
      });
    }
  }
  const positions = buildForest(spaces.map((s) => ({ id: s.id, parentId: s.parentSpaceId })));
  const t0 = performance.now();
  for (let i = 0; i < spaces.length; i += 1_000) {
    await db.insert(spaceIndex).values(
      spaces.slice(i, i + 1_000).map((s) => ({ ...spaceToRow(s), placement: positions.get(s.id)!.placement, path: positions.get(s.id)!.path })),
    );
  }
  for (let i = 0; i < devices.length; i += 1_000) await db.insert(spaceDeviceIndex).values(devices.slice(i, i + 1_000).map((d) => deviceToRow(d.spaceId, d.device)));
  await db.insert(spaceUserIndex).values(devices.slice(0, 5_000).map((d, i) => userToRow(d.spaceId, { id: `u${i}`, email: `mieter.${i}@example.de` })));
  console.log(`seeded ${spaces.length} spaces, ${devices.length} devices, 5000 users in ${Math.round(performance.now() - t0)} ms`);

  const flats = spaces.filter((s) => s.category === "FLAT");
  const kinds: Record<string, () => string> = {
    street: () => pick(STREETS).slice(0, 9),
    "street+no": () => pick(flats).addressLineOne,
    postcode: () => pick(flats).postcode,
    "misspelt city": () => pick(["Nürnbreg", "Müncehn", "Hambrug", "Leipizg", "Dresdne"]),
    name: () => pick(spaces.filter((s) => s.category === "APARTMENT_BUILDING")).name,
    "melo (spaced)": () => {
      const m = (pick(devices).device.externalDeviceIds ?? [])[0];
      return `${m.slice(0, 2)} ${m.slice(2, 8)} ${m.slice(8, 13)} ${m.slice(13)}`;
    },
    malo: () => (pick(devices).device.externalDeviceIds ?? [])[1],
    serial: () => (pick(devices).device.externalDeviceIds ?? [])[2],
    email: () => `mieter.${rnd(5_000)}@example.de`,
  };
  for (let i = 0; i < 20; i++) await searchSpaces(db, kinds.street()); // warm-up
  for (const [kind, query] of Object.entries(kinds)) {
    const times: number[] = [];
    let empty = 0;
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const hits = await searchSpaces(db, query(), 20);
      times.push(performance.now() - started);
      if (hits.length === 0) empty++;
    }
    times.sort((x, y) => x - y);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`${kind.padEnd(14)} p50 ${p(0.5).padStart(6)} ms   p95 ${p(0.95).padStart(6)} ms   no hits: ${empty}/200`);
  }
  await close();
}

async function measureColdBuild() {
  const latencyMs = 150;
  const sandbox = await startSandbox({ port: 0, spaces: 20_000, readingDays: 0, quiet: true, faults: { latencyMs } });
  const { db, close } = await createDatabase({ dataDir: "memory://" });
  const client = createPartnerClient({ ...CONFIG_DEFAULTS, baseUrl: sandbox.apiBaseUrl, clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET });
  await client.getAccessRoles(); // token first: the bound is about paging, not sign-in
  const started = performance.now();
  const result = await refreshSpaceIndex(db, client, { pageConcurrency: CONFIG_DEFAULTS.pageConcurrency });
  const took = performance.now() - started;
  const bound = 1.3 * Math.ceil(result.pages / CONFIG_DEFAULTS.pageConcurrency) * latencyMs;
  console.log(`cold build: ${result.spaces} spaces, ${result.pages} pages in ${Math.round(took)} ms (bound ${Math.round(bound)} ms) ${took <= bound ? "OK" : "TOO SLOW"}`);
  await close();
  await sandbox.close();
}

await measureSearch();
if (process.argv.includes("--cold-build")) await measureColdBuild();
