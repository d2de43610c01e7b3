import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "./env";
import { signIn, SAME_ORIGIN, expectForbidden } from "./helpers";
import { SandboxApi } from "./sandbox";

test.describe.configure({ mode: "serial" });

let spaceId: string;
let meterId: string;

test.beforeAll(async ({ request }) => {
  const sandbox = new SandboxApi(request);
  for (const space of (await sandbox.spaces()).filter((s) => s.category === "FLAT")) {
    const main = (await sandbox.devices(space.id)).find((d) => d.isMainDevice && d.medium === "ELECTRICITY");
    if (main) {
      spaceId = space.id;
      meterId = main.id;
      return;
    }
  }
});

/** The latest consumption register value upstream, read through the dashboard's API. */
async function latestIn(page: Page): Promise<number> {
  const now = Date.now();
  const params = new URLSearchParams({ measurement: "METER_READING", resolution: "1_HOUR", start: new Date(now - 3 * 86_400_000).toISOString(), end: new Date(now + 7_200_000).toISOString() });
  const { points } = (await (await page.request.get(`/api/devices/${meterId}/readings?${params}`)).json()) as { points: { value: number; direction: string }[] };
  return points.filter((p) => p.direction === "IN").at(-1)!.value;
}

const german = (value: number) => value.toLocaleString("de-DE", { maximumFractionDigits: 3 });
const berlin = (ms: number) =>
  new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(ms)).replace(",", "");

test("staff enters a reading and sees it in the table and the chart, read back from the API", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await page.goto(`/spaces/${spaceId}?tab=readings`);
  await expect(page.getByTestId("reading-row").first()).toBeVisible();
  const value = Math.ceil(await latestIn(page)) + 5;
  await page.getByRole("textbox", { name: "Wert 1" }).fill(String(value).replace(".", ","));
  await page.getByRole("button", { name: "Speichern", exact: true }).click();
  await expect(page.getByText("1 Messwert gespeichert.")).toBeVisible();
  await expect(page.getByTestId("reading-row").first()).toContainText(german(value));
  expect(await latestIn(page)).toBe(value);
  await expect(page.getByTestId("readings-chart").locator('polyline[data-direction="IN"]')).toHaveCount(1);
});

test("a reading lower than the last one asks for confirmation before it is stored", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await page.goto(`/spaces/${spaceId}?tab=readings`);
  const last = await latestIn(page);
  await page.getByRole("textbox", { name: "Wert 1" }).fill(String(last - 10).replace(".", ","));
  await page.getByRole("button", { name: "Speichern", exact: true }).click();
  await expect(page.getByTestId("row-warnings")).toContainText("Niedriger als der letzte bekannte Zählerstand");
  // Nothing stored yet; the typed value is still there.
  expect(await latestIn(page)).toBe(last);
  await expect(page.getByRole("textbox", { name: "Wert 1" })).toHaveValue(String(last - 10).replace(".", ","));
  await page.getByRole("button", { name: "Trotzdem speichern" }).click();
  await expect(page.getByText("1 Messwert gespeichert.")).toBeVisible();
});

test("20 pasted rows with 2 bad ones: the preview marks exactly those, the other 18 are stored", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await page.goto(`/spaces/${spaceId}?tab=readings`);
  const hour = 3_600_000;
  const start = Math.floor(Date.now() / hour) * hour - 20 * hour;
  const lines = Array.from({ length: 18 }, (_, i) => `${berlin(start + i * hour)}\t0,${i + 1}`);
  lines.splice(5, 0, "gestern früh\t1,0");
  lines.splice(12, 0, `${berlin(start)}\tviel`);
  await page.getByText("Aus Tabelle einfügen").click();
  await page.getByRole("combobox").filter({ hasText: "1.9.0 Energiemenge Bezug" }).last().selectOption("1.9.0");
  await page.getByRole("textbox", { name: "Eingefügte Zeilen" }).fill(lines.join("\n"));
  await page.getByRole("button", { name: "Vorschau" }).click();
  await expect(page.getByTestId("paste-summary")).toHaveText("18 gültige Zeilen, 2 fehlerhafte.");
  const bad = page.locator('[data-testid="paste-row"][data-valid="false"]');
  await expect(bad).toHaveCount(2);
  await expect(bad.nth(0)).toContainText("gestern früh");
  await expect(bad.nth(1)).toContainText("viel");
  await page.getByRole("button", { name: "18 gültige Zeilen senden" }).click();
  await expect(page.getByText("18 Messwerte gespeichert.")).toBeVisible();
});

test("support sees the readings but no entry form, and the server refuses a submit", async ({ page }) => {
  await signIn(page, DEMO_USERS.support);
  await page.goto(`/spaces/${spaceId}?tab=readings`);
  await expect(page.getByTestId("reading-row").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Messwerte erfassen" })).toHaveCount(0);
  const res = await page.request.post(`/api/devices/${meterId}/readings`, { headers: SAME_ORIGIN, data: { readings: [{ obisCode: "1.8.0", timestamp: Math.floor(Date.now() / 1000), value: 1 }] } });
  await expectForbidden(res);
});
