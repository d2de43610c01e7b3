import Papa from "papaparse";
import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "./env";
import { SAME_ORIGIN, signIn } from "./helpers";

/** Issue 12, the audit log: the sign-in and the writes just made, filters, the CSV export of the filtered rows. */
test("/audit shows the sign-in and the writes just made, filters by actor and action, and exports the filtered rows", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO_USERS.manager);
  // Two writes: a colleague added, a space created.
  const colleague = `audit-${Date.now().toString(36)}@example.de`;
  expect((await page.request.post("/api/staff", { headers: SAME_ORIGIN, data: { email: colleague, name: "Anna Audit", role: "support" } })).status()).toBe(200);
  const spaceName = `Protokollhaus ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/spaces", {
    headers: { ...SAME_ORIGIN, "idempotency-key": crypto.randomUUID() },
    data: { name: spaceName, addressLineOne: "Protokollweg 1", postcode: "90402", city: "Nürnberg", category: "APARTMENT_BUILDING" },
  });
  expect(created.status()).toBe(200);
  const spaceId = ((await created.json()) as { space: { id: string } }).space.id;

  await page.goto("/audit");
  const rows = page.getByTestId("audit-row");
  // Newest first, summaries in German from the stored facts, each linked to its object.
  await expect(rows.first()).toContainText(`Raum „${spaceName}“ angelegt`);
  await expect(rows.first().getByRole("link")).toHaveAttribute("href", `/spaces/${spaceId}`);
  await expect(rows.nth(1)).toContainText(`${colleague} als Support hinzugefügt`);
  await expect(page.locator('[data-testid="audit-row"][data-action="auth.signIn"]').first()).toContainText("Angemeldet (Passwort)");

  // Filter: who and what. The URL carries the filter; the table shows only matching rows.
  await page.getByLabel("Wer (E-Mail)").fill(DEMO_USERS.manager);
  await page.getByLabel("Vorgang").selectOption("staff.create");
  await page.getByRole("button", { name: "Filtern" }).click();
  await expect(page).toHaveURL(/actor=manager%40example\.com/);
  await expect(page).toHaveURL(/action=staff\.create/);
  await expect(rows.first()).toContainText(colleague);
  const shown = await rows.count();
  for (let i = 0; i < shown; i++) await expect(rows.nth(i)).toHaveAttribute("data-action", "staff.create");

  // A day range the wrong way round is refused at the field; the other values stay.
  await page.getByLabel("Von (Tag)").fill("2026-12-02");
  await page.getByLabel("Bis (Tag)").fill("2026-12-01");
  await page.getByRole("button", { name: "Filtern" }).click();
  await expect(page.getByText("„Bis“ darf nicht vor „Von“ liegen.")).toBeVisible();
  await expect(page.getByLabel("Wer (E-Mail)")).toHaveValue(DEMO_USERS.manager);
  await page.getByLabel("Von (Tag)").fill("");
  await page.getByLabel("Bis (Tag)").fill("");

  // The export holds exactly the filtered rows.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Als CSV exportieren" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await (await import("node:fs/promises")).readFile((await download.path())!, "utf8");
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { delimiter: ";", skipEmptyLines: true });
  const [header, ...data] = parsed.data;
  expect(header).toContain("Zusammenfassung");
  expect(data.length).toBe(shown);
  const actionColumn = header.indexOf("Vorgang (Code)");
  const actorColumn = header.indexOf("Wer");
  expect(new Set(data.map((r) => r[actionColumn]))).toEqual(new Set(["staff.create"]));
  expect(new Set(data.map((r) => r[actorColumn]))).toEqual(new Set([DEMO_USERS.manager]));
  expect(data.some((r) => r.join(" ").includes(colleague))).toBe(true);
});
