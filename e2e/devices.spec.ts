import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS, SANDBOX_URL } from "./env";
import { signIn, SAME_ORIGIN, expectForbidden } from "./helpers";
import { SandboxApi } from "./sandbox";

test.describe.configure({ mode: "serial" });

let spaceId: string;
const run = Date.now().toString(36);
const melo = (tail: string) => `DE00056266802${tail.toUpperCase().padEnd(20, "0").slice(0, 20)}`;

test.beforeAll(async ({ request }) => {
  spaceId = (await new SandboxApi(request).spaces()).filter((s) => s.category === "FLAT")[6].id;
});

async function openWizard(page: Page, kind: string, name: string) {
  await page.goto(`/spaces/${spaceId}/register`);
  await page.getByRole("radio", { name: new RegExp(kind) }).check();
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByLabel("Name").fill(name);
  const type = page.getByLabel("Gerätetyp");
  if (await type.count()) await type.selectOption("SMART_METER");
  await page.getByRole("button", { name: "Weiter" }).click();
}

async function submitAndExpectDevicePage(page: Page, name: string) {
  await page.getByRole("button", { name: "Weiter" }).click();
  await expect(page.getByTestId("review")).toContainText(name);
  await page.getByRole("button", { name: "Gerät registrieren" }).click();
  await expect(page).toHaveURL(/\/devices\/[0-9a-f-]{36}\?registered=1/, { timeout: 20_000 });
  await expect(page.getByTestId("device-name")).toHaveText(name);
  await expect(page.getByRole("link", { name: "Zählerstand erfassen" })).toBeVisible();
}

test("staff registers each of the five kinds and finds the device in its space", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.staff);
  const names: string[] = [];

  let name = `Extern ${run}`;
  await openWizard(page, "Vom Partner per API", name);
  await page.getByLabel("MeLo (Messlokation)").fill(melo(`ext${run}`));
  await submitAndExpectDevicePage(page, name);
  names.push(name);

  name = `Inexogy ${run}`;
  await openWizard(page, "inexogy", name);
  await page.getByLabel("Seriennummer").fill(`1ESY${run}`);
  await submitAndExpectDevicePage(page, name);
  names.push(name);

  name = `Blue ${run}`;
  await openWizard(page, "BlueMetering", name);
  await page.getByLabel("MeLo (Messlokation)").fill(melo(`blu${run}`));
  await page.getByLabel("BlueMetering-API-Schlüssel").fill("bm-key-123");
  await submitAndExpectDevicePage(page, name);
  names.push(name);

  name = `ESA ${run}`;
  await openWizard(page, "ESA", name);
  await page.getByLabel("MaLo (Marktlokation)").fill("41373559241");
  await page.getByLabel("BDEW-Codenummer des Messstellenbetreibers").fill("9900000000001");
  await page.getByLabel("Name der Kundin / des Kunden").fill("Erika Muster");
  await page.getByLabel("Einverständniserklärung (PDF, höchstens 2 MB)").setInputFiles({ name: "einverstaendnis.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% e2e\n") });
  await expect(page.getByText("Gewählt: einverstaendnis.pdf")).toBeVisible();
  await page.getByLabel("Einladung nach Erfolg an (E-Mail)").fill("erika@example.de");
  await submitAndExpectDevicePage(page, name);
  names.push(name);

  name = `Konventionell ${run}`;
  await openWizard(page, "Konventioneller Zähler", name);
  await page.getByLabel("Zeitpunkt der Ablesung").fill("2026-11-01T10:00");
  await page.getByLabel("Einheit").selectOption("KILO_WATT_HOUR");
  await page.getByLabel("Zählerstand Bezug").fill("1234,5");
  await submitAndExpectDevicePage(page, name);
  names.push(name);

  await page.goto(`/spaces/${spaceId}?tab=devices`);
  for (const n of names) await expect(page.getByTestId("device-row").filter({ hasText: n })).toHaveCount(1);
  const upstream = (await new SandboxApi(request).devices(spaceId)).map((d) => d.name);
  for (const n of names) expect(upstream.filter((u) => u === n)).toHaveLength(1);
});

test("a malformed MeLo and a MaLo with a wrong check digit are refused at the field", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await openWizard(page, "Vom Partner per API", `Falsch ${run}`);
  await page.getByLabel("MeLo (Messlokation)").fill("DE 000562 668");
  await page.getByRole("button", { name: "Weiter" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "33 Zeichen" })).toBeVisible();

  await page.getByRole("button", { name: "Zurück" }).click();
  await page.getByRole("button", { name: "Zurück" }).click();
  await page.getByRole("radio", { name: /ESA/ }).check();
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByRole("button", { name: "Weiter" }).click();
  await page.getByLabel("MaLo (Marktlokation)").fill("41373559240");
  await page.getByRole("button", { name: "Weiter" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Prüfziffer" })).toBeVisible();
  await page.getByRole("button", { name: "Entwurf verwerfen" }).click();
});

test("a reload in the middle of the wizard keeps the draft", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  const name = `Entwurf ${run}`;
  await openWizard(page, "inexogy", name);
  await page.getByLabel("Seriennummer").fill("1ESY-DRAFT");
  await page.reload();
  await expect(page.getByLabel("Seriennummer")).toHaveValue("1ESY-DRAFT");
  await page.getByRole("button", { name: "Zurück" }).click();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.getByRole("button", { name: "Entwurf verwerfen" }).click();
});

test("with the sandbox failing the submit the wizard keeps everything, and the retry makes exactly one device", async ({ page, request }) => {
  await signIn(page, DEMO_USERS.staff);
  const name = `Ausfall ${run}`;
  await openWizard(page, "Vom Partner per API", name);
  await page.getByLabel("Externe Geräte-ID").fill(`ext-${run}`);
  await page.getByRole("button", { name: "Weiter" }).click();
  await request.put(`${SANDBOX_URL}/__sandbox/faults`, { data: { failNext: { status: 503, count: 1, operations: ["registerExternalDevice"] } } });
  await page.getByRole("button", { name: "Gerät registrieren" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Alle Eingaben sind erhalten" })).toBeVisible();
  await expect(page.getByTestId("review")).toContainText(`ext-${run}`);
  await page.getByRole("button", { name: "Erneut versuchen" }).click();
  await expect(page).toHaveURL(/\/devices\/[0-9a-f-]{36}/, { timeout: 20_000 });
  const upstream = (await new SandboxApi(request).devices(spaceId)).filter((d) => d.name === name);
  expect(upstream).toHaveLength(1);
});

test("a support user cannot open the wizard and the server refuses the calls", async ({ page }) => {
  await signIn(page, DEMO_USERS.support);
  await page.goto(`/spaces/${spaceId}?tab=devices`);
  await expect(page.getByTestId("device-row").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Gerät registrieren" })).toHaveCount(0);
  await page.goto(`/spaces/${spaceId}/register`);
  await expect(page.getByText("Geräte registrieren dürfen nur")).toBeVisible();
  const res = await page.request.post(`/api/spaces/${spaceId}/devices`, {
    headers: { ...SAME_ORIGIN, "idempotency-key": crypto.randomUUID() },
    data: { kind: "inexogy", deviceName: "x", deviceMedium: "ELECTRICITY", deviceType: "SMART_METER", isMainDevice: false, excludedFromCost: false, serialNumber: "1" },
  });
  await expectForbidden(res);
});
