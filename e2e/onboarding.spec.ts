import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS, SANDBOX_URL } from "./env";
import { signIn } from "./helpers";
import { SandboxApi } from "./sandbox";

/** Issue 11: the guided onboarding in one pass, its repeat, a failure half-way, and the tenant change. */
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36).toUpperCase();
const customerNumber = `KD-${run}`;
const contractNumber = `V-${run}`;
const melo = `DE000562668021011${run}`.padEnd(33, "0").slice(0, 33);
const email = `kunde-${run.toLowerCase()}@example.de`;
let parent: { id: string; name: string };

test.beforeAll(async ({ request }) => {
  const building = (await new SandboxApi(request).spaces()).filter((s) => s.category === "APARTMENT_BUILDING")[2];
  parent = { id: building.id, name: building.name };
});

async function next(page: Page) {
  await page.getByRole("button", { name: "Weiter" }).click();
}

/** Customer and contract steps of the flow, with a parent chosen through its search. */
async function fillCustomerAndContract(page: Page, v: { customerNumber: string; contractNumber: string; street: string; meterId: string }) {
  await expect(page.getByRole("heading", { name: /Schritt 1 von 5: Kunde/ })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel("Kundennummer (ERP)").fill(v.customerNumber);
  await page.getByLabel("Name", { exact: true }).fill("Erika Mustermann");
  await page.getByLabel("E-Mail").fill(email);
  await next(page);
  await expect(page.getByRole("heading", { name: /Vertrag und Objekt/ })).toBeVisible();
  await page.getByLabel("Vertragsnummer").fill(v.contractNumber);
  await page.getByLabel("Vertragsbeginn").fill("2026-11-01");
  await page.getByLabel("Straße und Hausnummer").fill(v.street);
  await page.getByLabel("PLZ").fill("10115");
  await page.getByLabel("Ort").fill("Berlin");
  await page.getByLabel("MeLo oder MaLo").fill(v.meterId);
  await page.getByRole("combobox", { name: "Übergeordnetes Objekt" }).fill(parent.name);
  await page.getByRole("option", { name: new RegExp(parent.name) }).first().click();
}

test("staff onboards a customer with an electricity MeLo in one pass; the repeat creates nothing and says the customer exists", async ({ page, request }) => {
  test.setTimeout(120_000);
  const sandbox = new SandboxApi(request);
  const before = { customers: (await sandbox.customers()).length, spaces: await sandbox.spaces() };
  await signIn(page, DEMO_USERS.staff);
  await page.goto("/onboarding/new");
  await fillCustomerAndContract(page, { customerNumber, contractNumber, street: `Onboardingweg ${run}`, meterId: "DE 123" });
  await next(page);
  await expect(page.getByRole("alert").filter({ hasText: "MeLo (DE + 31 Zeichen) oder eine MaLo" })).toBeVisible();
  await page.getByLabel("MeLo oder MaLo").fill(melo);
  await next(page);
  await expect(page.getByRole("heading", { name: /Zähler/ })).toBeVisible();
  await page.getByRole("radio", { name: /Über den Vertrag/ }).check();
  await next(page);
  // The platform's own invite: the customer's account is then tied to the customer (tenant change below).
  await page.getByRole("radio", { name: /Einladung der Plattform/ }).check();
  await next(page);
  await expect(page.getByTestId("onboarding-review")).toContainText(customerNumber);
  await page.getByRole("button", { name: "Kunde anlegen" }).click();
  await expect(page.getByTestId("onboarding-result")).toBeVisible({ timeout: 30_000 });

  const customers = await sandbox.customers();
  expect(customers.filter((c) => c.external_id === customerNumber)).toHaveLength(1);
  expect(customers.length - before.customers).toBe(1);
  const created = (await sandbox.spaces()).filter((s) => !before.spaces.some((b) => b.id === s.id));
  expect(created).toHaveLength(1);
  expect(created[0].parentSpaceId).toBe(parent.id);
  const devices = await sandbox.devices(created[0].id);
  expect(devices.map((d) => d.externalDeviceId)).toEqual([melo]);
  expect(await sandbox.outbox(email)).toHaveLength(1);

  // Found by its ERP number in the header search.
  await page.getByRole("combobox", { name: "Suche" }).fill(customerNumber);
  await page.getByTestId("search-hit-customer").first().click();
  await expect(page.getByTestId("customer-heading")).toHaveText("Erika Mustermann");
  await expect(page.getByTestId("contract-row")).toContainText(contractNumber);

  // The same numbers again: the flow says the customer exists, and nothing new is created upstream.
  const spacesBefore = (await sandbox.spaces()).length;
  await page.goto("/onboarding/new");
  await fillCustomerAndContract(page, { customerNumber, contractNumber, street: `Onboardingweg ${run}`, meterId: melo });
  await expect(page.getByTestId("onboarding-checks")).toContainText(`Den Kunden ${customerNumber} gibt es schon`, { timeout: 15_000 });
  await next(page);
  await next(page);
  await page.getByRole("radio", { name: /Jetzt nicht einladen/ }).check();
  await next(page);
  await expect(page.getByTestId("onboarding-checks")).toContainText("Dieser Vertrag wurde schon angelegt");
  await expect(page.getByTestId("onboarding-checks")).not.toContainText("bereits im Objekt");
  await page.getByRole("button", { name: "Kunde anlegen" }).click();
  await expect(page.getByTestId("onboarding-result")).toContainText("gab es schon", { timeout: 30_000 });
  expect((await sandbox.customers()).filter((c) => c.external_id === customerNumber)).toHaveLength(1);
  expect(await sandbox.spaces()).toHaveLength(spacesBefore);
  expect(await sandbox.outbox(email)).toHaveLength(1);
});

test("the partner API failing at the contract step: reload, retry, and the counts are one of each with nothing typed lost", async ({ page, request }) => {
  test.setTimeout(120_000);
  const sandbox = new SandboxApi(request);
  const number = `${customerNumber}-B`;
  const street = `Ausfallstraße ${run}`;
  await signIn(page, DEMO_USERS.staff);
  await page.goto("/onboarding/new");
  await fillCustomerAndContract(page, { customerNumber: number, contractNumber: `${contractNumber}-B`, street, meterId: `DE000562668021011${run}B`.padEnd(33, "0").slice(0, 33) });
  await next(page);
  await next(page);
  await page.getByRole("radio", { name: /Jetzt nicht einladen/ }).check();
  await next(page);
  await request.put(`${SANDBOX_URL}/__sandbox/faults`, { data: { failNext: { status: 503, count: 1, operations: ["addCustomerContract"] } } });
  await page.getByRole("button", { name: "Kunde anlegen" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Alle Eingaben sind gespeichert" })).toBeVisible({ timeout: 20_000 });
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByTestId("onboarding-review")).toContainText(street);
  // It is also in the list of unfinished onboardings.
  await page.goto("/onboarding");
  await expect(page.getByTestId("onboarding-row").filter({ hasText: number })).toContainText("Unterbrochen");
  await page.getByTestId("onboarding-row").filter({ hasText: number }).getByRole("link", { name: "Fortsetzen" }).click();
  await page.getByRole("button", { name: /Kunde anlegen|Erneut versuchen/ }).click();
  await expect(page.getByTestId("onboarding-result")).toBeVisible({ timeout: 30_000 });
  expect((await sandbox.customers()).filter((c) => c.external_id === number)).toHaveLength(1);
  expect((await sandbox.spaces()).filter((s) => s.addressLineOne === street)).toHaveLength(1);
});

test("tenant change on the flat: the old view ends at the date, the new contract starts there, and each tenant's readings respect it", async ({ page, request }) => {
  test.setTimeout(120_000);
  const sandbox = new SandboxApi(request);
  await signIn(page, DEMO_USERS.staff);
  // The flat onboarded in the first test, with its customer accepted.
  const flat = (await sandbox.spaces()).find((s) => s.addressLineOne === `Onboardingweg ${run}`)!;
  const [invite] = await sandbox.outbox(email);
  const oldUser = (await (await request.post(`${invite.inviteLink}/accept`, { data: {} })).json()).userId as string;
  await page.goto(`/spaces/${flat.id}`);
  await expect(page.getByTestId("space-contract")).toContainText(customerNumber);
  await page.getByRole("button", { name: "Mieterwechsel" }).click();
  await expect(page.getByRole("heading", { name: /Schritt 1 von 5: Auszug/ })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel("Auszugsdatum", { exact: true }).fill("2026-11-15");
  await page.getByRole("radio", { name: "Sofort entfernen" }).check();
  await next(page);
  const newEmail = `neu-${run.toLowerCase()}@example.de`;
  await page.getByLabel("Kundennummer (ERP)").fill(`${customerNumber}-N`);
  await page.getByLabel("Name", { exact: true }).fill("Neue Mieterin");
  await page.getByLabel("E-Mail").fill(newEmail);
  await next(page);
  await expect(page.getByLabel("MeLo oder MaLo")).toHaveValue(melo);
  await expect(page.getByLabel("Straße und Hausnummer")).toHaveValue(`Onboardingweg ${run}`);
  await page.getByLabel("Vertragsnummer").fill(`${contractNumber}-N`);
  await page.getByLabel("Vertragsbeginn").fill("2026-11-15");
  await next(page);
  await page.getByRole("radio", { name: /Einladung der Plattform/ }).check();
  await next(page);
  await page.getByRole("button", { name: "Mieterwechsel durchführen" }).click();
  await expect(page.getByTestId("onboarding-result")).toContainText("ab 2026-11-15 nicht mehr sichtbar", { timeout: 30_000 });

  // The new tenant accepts the platform's invite; readings across the date, seen by each.
  const [newInvite] = await sandbox.outbox(newEmail);
  const newUser = (await (await request.post(`${SANDBOX_URL}/__sandbox/customer-invites/${newInvite.inviteToken}/accept`, { data: {} })).json()).userId as string;
  const deviceId = (await sandbox.devices(flat.id))[0].id;
  const noonBerlin = (day: number) => Date.UTC(2026, 10, day, 11) / 1000;
  const token = (await (await request.post(`${SANDBOX_URL}/partner/auth/token`, { data: { clientId: "e2e-client-7b41", clientSecret: "e2e-client-secret-d93f0a" } })).json()).accessToken;
  await request.post(`${SANDBOX_URL}/partner/devices/readings`, {
    headers: { authorization: `Bearer ${token}` },
    data: [{ externalDeviceId: melo, readings: Array.from({ length: 28 }, (_, i) => ({ obisCode: "1.8.0", timestamp: noonBerlin(i + 1), value: 2000 + i * 4 })) }],
  });
  const seen = async (userId: string) =>
    ((await (await request.get(`${SANDBOX_URL}/__sandbox/users/${userId}/devices/${deviceId}/readings?measurement=METER_READING&resolution=1_DAY&startTime=2026-11-01T00:00:00Z&endTime=2026-11-30T00:00:00Z`)).json()) as { timeStamp: string }[]).map((p) => Date.parse(p.timeStamp));
  const boundary = Date.UTC(2026, 10, 14, 23); // 2026-11-15 00:00 Berlin
  const oldSees = await seen(oldUser);
  const newSees = await seen(newUser);
  expect(oldSees.length).toBeGreaterThan(0);
  expect(newSees.length).toBeGreaterThan(0);
  expect(oldSees.every((t) => t < boundary)).toBe(true);
  expect(newSees.every((t) => t >= boundary)).toBe(true);
  // The old tenant was removed at once; the meter is shared, not duplicated.
  expect((await (await request.get(`${SANDBOX_URL}/partner/spaces/${flat.id}/users`, { headers: { authorization: `Bearer ${token}` } })).json()).users).toHaveLength(0);
});

test("a meter on another data path: the device wizard runs inside the flow for the new space, then the onboarding finishes", async ({ page, request }) => {
  test.setTimeout(120_000);
  const sandbox = new SandboxApi(request);
  const number = `${customerNumber}-W`;
  const street = `Assistentenweg ${run}`;
  await signIn(page, DEMO_USERS.staff);
  await page.goto("/onboarding/new");
  await fillCustomerAndContract(page, { customerNumber: number, contractNumber: `${contractNumber}-W`, street, meterId: "" });
  await next(page);
  await page.getByRole("radio", { name: /Anderer Datenweg/ }).check();
  await next(page);
  await page.getByRole("radio", { name: /Jetzt nicht einladen/ }).check();
  await next(page);
  await page.getByRole("button", { name: "Kunde anlegen" }).click();
  await expect(page.getByText("Vertrag und Objekt sind angelegt")).toBeVisible({ timeout: 30_000 });
  // The device wizard, as on its own page.
  await page.getByRole("radio", { name: /inexogy/ }).check();
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByLabel("Name", { exact: true }).fill(`Inexogy ${run}`);
  await page.getByLabel("Gerätetyp").selectOption("SMART_METER");
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByLabel("Seriennummer").fill(`1ESY${run}`);
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByRole("button", { name: "Gerät registrieren" }).click();
  await expect(page.getByTestId("onboarding-result")).toContainText("Zähler", { timeout: 30_000 });
  const space = (await sandbox.spaces()).find((s) => s.addressLineOne === street)!;
  expect((await sandbox.devices(space.id)).map((d) => d.name)).toEqual([`Inexogy ${run}`]);
});
