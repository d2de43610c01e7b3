import Papa from "papaparse";
import { expect, test, type Page } from "@playwright/test";
import { maloCheckDigit } from "../lib/domain/identifiers";
import { DEMO_USERS, E2E_CLIENT_ID, E2E_CLIENT_SECRET, SANDBOX_URL } from "./env";
import { signIn } from "./helpers";

/**
 * Issue 13: a 200-row ERP export with 5 deliberately bad rows. The preview marks exactly those,
 * the job creates the other 195 in the sandbox (the result CSV says so row by row), and the same
 * file imported again creates nothing new.
 */
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const malo = (n: number) => {
  const firstTen = String(5_000_000_000 + n);
  return firstTen + maloCheckDigit(firstTen);
};
const wrongMalo = (n: number) => {
  const good = malo(n);
  return good.slice(0, 10) + ((Number(good[10]) + 1) % 10);
};

/** Row numbers (1-based, as the preview counts) of the five bad rows, and what is wrong with each. */
const BAD = { 17: "malo_checkDigit", 42: "postcode", 88: "duplicate", 120: "parent", 163: "email" } as const;

function exportFile(): string {
  const header = ["Kundennummer", "Name", "E-Mail", "Vertragsnummer", "Straße und Hausnummer", "PLZ", "Ort", "Übergeordnetes Objekt", "Medium", "MeLo/MaLo", "Vertragsbeginn", "Einladung senden"];
  const rows = Array.from({ length: 200 }, (_, i) => {
    const n = i + 1;
    const row = [`K-${run}-${n}`, `Kundin ${n}`, `kundin.${run}.${n}@example.de`, `V-${run}-${n}`, `Importweg ${n}`, "90402", "Nürnberg", "", "Strom", malo(n), "01.01.2027", "nein"];
    const bad = BAD[n as keyof typeof BAD];
    if (bad === "malo_checkDigit") row[9] = wrongMalo(n);
    if (bad === "postcode") row[5] = "";
    if (bad === "duplicate") row[3] = `V-${run}-3`;
    if (bad === "parent") row[7] = "Gibt es nicht / Nirgendwo";
    if (bad === "email") row[2] = `kundin-ohne-at.example.de`;
    return row;
  });
  // As an ERP writes it for German spreadsheets: semicolons, a BOM, quoted where needed.
  return "\uFEFF" + Papa.unparse([header, ...rows], { delimiter: ";" });
}

async function upload(page: Page, content: string): Promise<void> {
  await page.goto("/onboarding/import");
  await page.getByLabel("Exportdatei (CSV oder XLSX, bis 50.000 Zeilen)").setInputFiles({ name: `erp-export-${run}.csv`, mimeType: "text/csv", buffer: Buffer.from(content, "utf8") });
  await page.getByRole("button", { name: "Hochladen und prüfen" }).click();
  await expect(page).toHaveURL(/\/onboarding\/import\/[0-9a-f-]{36}$/, { timeout: 30_000 });
}

async function partnerToken(): Promise<string> {
  const res = await fetch(`${SANDBOX_URL}/partner/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: E2E_CLIENT_ID, clientSecret: E2E_CLIENT_SECRET }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** The sandbox's customers and spaces of this run (through the partner API, as the dashboard sees them). */
async function upstreamCounts(): Promise<{ customers: number; spaces: number }> {
  const token = await partnerToken();
  const all = async <T,>(path: string, key: string): Promise<T[]> => {
    const items: T[] = [];
    for (let page = 0; ; page++) {
      const body = (await (await fetch(`${SANDBOX_URL}/partner/${path}?page=${page}&pageSize=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown> & { totalNumPages: number };
      items.push(...(body[key] as T[]));
      if (page + 1 >= body.totalNumPages) return items;
    }
  };
  const customers = await all<{ external_id?: string; externalId?: string }>("customers", "customers");
  const spaces = await all<{ addressLineOne: string; postcode: string }>("spaces", "spaces");
  return {
    customers: customers.filter((c) => String(c.external_id ?? c.externalId ?? "").startsWith(`K-${run}-`)).length,
    spaces: spaces.filter((s) => /^Importweg \d+$/.test(s.addressLineOne) && s.postcode === "90402").length,
  };
}

test("the preview marks exactly the 5 bad rows with their reasons; the job creates the other 195, row by row in the result", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, DEMO_USERS.staff);
  await upload(page, exportFile());
  await expect(page.getByTestId("import-summary")).toHaveText("195 anlegen · 0 aktualisieren · 0 unverändert · 5 mit Fehlern");
  // The mapping, saved under a name for the next export of this ERP.
  await page.getByLabel("Zuordnung speichern als").fill(`ERP ${run}`);
  await page.getByRole("button", { name: "Speichern", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Gespeichert." })).toBeVisible();

  await page.getByRole("combobox", { name: "Zeilen" }).selectOption("error");
  const errorRows = page.getByTestId("import-row");
  await expect(errorRows).toHaveCount(5);
  expect(await errorRows.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-row"))))).toEqual([17, 42, 88, 120, 163]);
  const reason = (n: number) => page.locator(`[data-testid="import-row"][data-row="${n}"] [data-testid="import-row-reason"]`);
  await expect(reason(17)).toContainText("MeLo/MaLo: Die Prüfziffer der MaLo stimmt nicht.");
  await expect(reason(42)).toContainText("PLZ: Bitte ausfüllen.");
  await expect(reason(88)).toContainText("Vertragsnummer: Kommt in der Datei schon in einer früheren Zeile vor.");
  await expect(reason(120)).toContainText("Übergeordnetes Objekt: Kein solches Objekt gefunden.");
  await expect(reason(163)).toContainText("E-Mail: Keine gültige E-Mail-Adresse.");
  // The bad cell itself is marked.
  await expect(page.locator('[data-testid="import-row"][data-row="17"] [data-error="malo.checkDigit"]')).toHaveText(wrongMalo(17));

  // The error rows as a CSV, to fix and upload again.
  const errorsDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Fehlerzeilen als CSV herunterladen" }).click();
  const errorsCsv = await (await import("node:fs/promises")).readFile((await (await errorsDownload).path())!, "utf8");
  const errorLines = Papa.parse<string[]>(errorsCsv.replace(/^\uFEFF/, ""), { delimiter: ";", skipEmptyLines: true }).data;
  expect(errorLines).toHaveLength(6);
  expect(errorLines.slice(1).map((r) => r[0])).toEqual([17, 42, 88, 120, 163].map((n) => `K-${run}-${n}`));

  const before = await upstreamCounts();
  await page.getByRole("button", { name: "Import starten (195 Zeilen)" }).click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await expect(page.getByText("Abgeschlossen", { exact: true })).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId("import-states")).toContainText("Fertig: 195");
  await expect(page.getByTestId("import-states")).toContainText("Fehlgeschlagen: 0");
  const after = await upstreamCounts();
  expect(after.customers - before.customers).toBe(195);
  expect(after.spaces - before.spaces).toBe(195);

  const resultDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Ergebnis als CSV herunterladen" }).click();
  const resultCsv = await (await import("node:fs/promises")).readFile((await (await resultDownload).path())!, "utf8");
  const [head, ...lines] = Papa.parse<string[]>(resultCsv.replace(/^\uFEFF/, ""), { delimiter: ";", skipEmptyLines: true }).data;
  expect(lines).toHaveLength(200);
  const outcome = head.indexOf("Ergebnis / Outcome");
  const contractId = head.indexOf("contractId");
  const spaceId = head.indexOf("spaceId");
  const created = lines.filter((l) => l[outcome] === "create");
  expect(created).toHaveLength(195);
  expect(created.every((l) => l[contractId] && l[spaceId])).toBe(true);
  expect(new Set(created.map((l) => l[spaceId])).size).toBe(195);
  expect(lines.filter((l) => l[outcome] === "skipped").map((l) => Number(l[head.indexOf("Zeile / Row")]))).toEqual([17, 42, 88, 120, 163]);

  // The new customers are in the customers list without a manual refresh of the index.
  await page.goto(`/customers?q=${encodeURIComponent(`K-${run}-1`)}`);
  await expect(page.getByRole("link", { name: `K-${run}-100` }).or(page.getByText(`K-${run}-100`)).first()).toBeVisible();
});

test("the same file imported again creates nothing new, even when sent again as updates", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, DEMO_USERS.staff);
  const before = await upstreamCounts();
  await upload(page, exportFile());
  await expect(page.getByTestId("import-summary")).toHaveText("0 anlegen · 0 aktualisieren · 195 unverändert · 5 mit Fehlern");
  await expect(page.getByRole("button", { name: "Import starten (0 Zeilen)" })).toBeDisabled();
  // The saved mapping fits this file: applying it changes nothing that would need a new check.
  await page.getByRole("combobox", { name: "Gespeicherte Zuordnung anwenden" }).selectOption({ label: `ERP ${run}` });
  await expect(page.getByRole("button", { name: "Zuordnung übernehmen und neu prüfen" })).toBeDisabled();
  // Unmapping a required column shows at once as an error in every row after the check.
  await page.getByRole("combobox", { name: "PLZ (Pflichtfeld)" }).selectOption("");
  await page.getByRole("button", { name: "Zuordnung übernehmen und neu prüfen" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText("0 anlegen · 0 aktualisieren · 0 unverändert · 200 mit Fehlern");
  await page.getByRole("combobox", { name: "Gespeicherte Zuordnung anwenden" }).selectOption({ label: `ERP ${run}` });

  await page.getByRole("combobox", { name: "Schon vorhandene Verträge" }).selectOption("update");
  await page.getByRole("button", { name: "Zuordnung übernehmen und neu prüfen" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText("0 anlegen · 195 aktualisieren · 0 unverändert · 5 mit Fehlern");
  await page.getByRole("button", { name: "Import starten (195 Zeilen)" }).click();
  await expect(page.getByText("Abgeschlossen", { exact: true })).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId("import-states")).toContainText("Fertig: 195");
  expect(await upstreamCounts()).toEqual(before);
});

test("rows that still fail after their retries are listed with the reason and retried from the job page", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.staff);
  const small = Papa.unparse(
    [["Kundennummer", "Name", "Vertragsnummer", "Straße und Hausnummer", "PLZ", "Ort", "Vertragsbeginn"], ...[1, 2, 3].map((n) => [`R-${run}-${n}`, `Retry ${n}`, `RV-${run}-${n}`, `Wiederholweg ${n}`, "90402", "Nürnberg", "2027-01-01"])],
    { delimiter: ";" },
  );
  await upload(page, small);
  await expect(page.getByTestId("import-summary")).toHaveText("3 anlegen · 0 aktualisieren · 0 unverändert · 0 mit Fehlern");
  // Every contract call fails until the rows have used up their attempts (IMPORT_MAX_ATTEMPTS, 5).
  await request.put(`${SANDBOX_URL}/__sandbox/faults`, { data: { failNext: { status: 503, count: 15, operations: ["addCustomerContract"] } } });
  try {
    await page.getByRole("button", { name: "Import starten (3 Zeilen)" }).click();
    await expect(page.getByText("Abgeschlossen", { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId("import-states")).toContainText("Fehlgeschlagen: 3");
    await expect(page.getByTestId("import-recent-errors")).toContainText("Die Partner-API war nicht erreichbar.");
  } finally {
    await request.put(`${SANDBOX_URL}/__sandbox/faults`, { data: { failNext: null } });
  }
  await page.getByRole("button", { name: "Fehlgeschlagene erneut versuchen" }).click();
  await expect(page.getByTestId("import-states")).toContainText("Fertig: 3", { timeout: 60_000 });
  await expect(page.getByTestId("import-states")).toContainText("Fehlgeschlagen: 0");
  await expect(page.getByText("Abgeschlossen", { exact: true })).toBeVisible();
});
