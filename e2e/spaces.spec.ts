import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS } from "./env";
import { signIn, SAME_ORIGIN, expectForbidden } from "./helpers";
import { SandboxApi } from "./sandbox";

/** Type into the header search and wait for a hit that names the space. */
async function search(page: Page, query: string) {
  const box = page.getByRole("combobox", { name: "Suche" });
  await box.fill(query);
  return page.getByTestId("search-hit");
}

test.describe("lookup", () => {
  test("finds a flat by part of its street, by its MeLo and by a misspelt city", async ({ page, request }) => {
    const sandbox = new SandboxApi(request);
    const spaces = await sandbox.spaces();
    const flat = spaces.find((s) => s.category === "FLAT")!;
    const melo = (await sandbox.devices(flat.id)).flatMap((d) => d.externalDeviceIds ?? []).find((id) => id.startsWith("DE"))!;
    expect(melo, "the seeded flat has a main meter with a MeLo").toHaveLength(33);

    await signIn(page, DEMO_USERS.support);

    // Part of the street: "Birkenweg 3b" → "Birkenw"
    const street = flat.addressLineOne.slice(0, Math.max(6, flat.addressLineOne.indexOf(" ") - 1));
    let hits = await search(page, street);
    await expect(hits.filter({ hasText: flat.name }).first()).toBeVisible();

    // The MeLo as people paste it, with spaces between the parts. The background crawl indexes
    // devices within seconds of the first index build; wait for it (the box caches each query's answer).
    await expect
      .poll(async () => {
        const status = (await (await page.request.get("/api/spaces/index")).json()) as { spaces: number; crawledSpaces: number };
        return status.spaces > 0 && status.crawledSpaces >= status.spaces;
      }, { timeout: 30_000 })
      .toBe(true);
    const pasted = `${melo.slice(0, 2)} ${melo.slice(2, 8)} ${melo.slice(8, 13)} ${melo.slice(13)}`;
    hits = await search(page, pasted);
    await expect(hits.first()).toContainText(flat.name);
    await expect(hits.first()).toContainText("MeLo");

    // A misspelt city: two letters swapped in the middle ("Lübeck" → "Lüebck").
    const city = spaces.find((s) => s.category === "FLAT" && s.city.length >= 6)!.city;
    const i = Math.floor(city.length / 2);
    const misspelt = city.slice(0, i - 1) + city[i] + city[i - 1] + city.slice(i + 1);
    hits = await search(page, misspelt);
    await expect(hits.filter({ hasText: city }).first()).toBeVisible();

    // Enter opens the space page.
    await page.getByRole("combobox", { name: "Suche" }).press("ArrowDown");
    await page.getByRole("combobox", { name: "Suche" }).press("Enter");
    await expect(page).toHaveURL(/\/spaces\/[0-9a-f-]{36}/);
  });

  test("Ctrl+K focuses the search from anywhere", async ({ page }) => {
    await signIn(page, DEMO_USERS.support);
    await page.locator("main").click();
    await page.keyboard.press("Control+k");
    await expect(page.getByRole("combobox", { name: "Suche" })).toBeFocused();
  });
});

test("the tree lists top-level spaces, expands lazily and keeps the selection in the URL", async ({ page, request }) => {
  const spaces = await new SandboxApi(request).spaces();
  const building = spaces.find((s) => s.category === "APARTMENT_BUILDING")!;
  await signIn(page, DEMO_USERS.support);
  await page.goto(`/spaces?selected=${building.id}`);
  const row = page.locator(`[data-testid="tree-row"][data-space-id="${building.id}"]`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("aria-selected", "true");
  // Never more than a few hundred rows in the DOM.
  expect(await page.getByTestId("tree-row").count()).toBeLessThan(300);
});

test.describe.serial("writes", () => {
  const name = `E2E Wohnung ${Date.now().toString(36)}`;
  let spaceUrl = "";

  test("staff creates a space under a building, exactly once", async ({ page, request }) => {
    const sandbox = new SandboxApi(request);
    const building = (await sandbox.spaces()).find((s) => s.category === "APARTMENT_BUILDING")!;
    await signIn(page, DEMO_USERS.staff);
    await page.goto(`/spaces/${building.id}`);
    await page.getByRole("button", { name: "Unterobjekt anlegen" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Straße und Hausnummer").fill(building.addressLineOne);
    await dialog.getByLabel("PLZ").fill(building.postcode);
    await dialog.getByLabel("Ort").fill(building.city);
    await dialog.getByLabel("Kategorie").selectOption("FLAT");
    // A double click must not create two spaces.
    await dialog.getByRole("button", { name: "Anlegen" }).dblclick();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    spaceUrl = new URL(page.url()).pathname;
    await expect(page.getByRole("navigation", { name: "Pfad" })).toContainText(building.name);
    expect((await sandbox.spaces()).filter((s) => s.name === name)).toHaveLength(1);
  });

  test("staff moves it under another building; moving a building under its own flat is refused", async ({ page, request }) => {
    const spaces = await new SandboxApi(request).spaces();
    const buildings = spaces.filter((s) => s.category === "APARTMENT_BUILDING");
    const target = buildings[1];
    await signIn(page, DEMO_USERS.staff);
    await page.goto(spaceUrl);
    await page.getByRole("button", { name: "Verschieben" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("combobox").fill(target.name);
    await dialog.getByRole("option", { name: new RegExp(target.name) }).first().click();
    await dialog.getByRole("button", { name: "Verschieben" }).click();
    await expect(page.getByRole("navigation", { name: "Pfad" })).toContainText(target.name);

    // A building cannot move under one of its own flats.
    const flat = spaces.find((s) => s.parentSpaceId === target.id && s.category === "FLAT")!;
    await page.goto(`/spaces/${target.id}`);
    await page.getByRole("button", { name: "Verschieben" }).click();
    await dialog.getByRole("combobox").fill(flat.name);
    const option = dialog.getByRole("option", { name: new RegExp(flat.name) }).first();
    await expect(option).toBeVisible();
    // Known descendants are greyed out; the server refuses the move too.
    const refused = await page.request.patch(`/api/spaces/${target.id}`, { headers: SAME_ORIGIN, data: { parentSpaceId: flat.id } });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.fieldErrors.parentSpaceId).toBeTruthy();
  });

  test("support sees no edit or delete controls and the server refuses those calls", async ({ page }) => {
    await signIn(page, DEMO_USERS.support);
    await page.goto(spaceUrl);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    for (const label of ["Bearbeiten", "Verschieben", "Löschen", "Unterobjekt anlegen"]) {
      await expect(page.getByRole("button", { name: label })).toHaveCount(0);
    }
    const id = spaceUrl.split("/").pop()!;
    const create = await page.request.post("/api/spaces", {
      headers: { ...SAME_ORIGIN, "idempotency-key": crypto.randomUUID() },
      data: { name: "x", addressLineOne: "x", postcode: "12345", city: "x", category: "FLAT" },
    });
    await expectForbidden(create);
    await expectForbidden(await page.request.patch(`/api/spaces/${id}`, { headers: SAME_ORIGIN, data: { name: "renamed" } }));
    await expectForbidden(await page.request.delete(`/api/spaces/${id}`, { headers: SAME_ORIGIN, data: { confirmName: name } }));
  });

  test("staff may edit but not delete", async ({ page }) => {
    await signIn(page, DEMO_USERS.staff);
    await page.goto(spaceUrl);
    await expect(page.getByRole("button", { name: "Bearbeiten" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Löschen" })).toHaveCount(0);
    const id = spaceUrl.split("/").pop()!;
    await expectForbidden(await page.request.delete(`/api/spaces/${id}`, { headers: SAME_ORIGIN, data: { confirmName: name } }));
  });

  test("the activity tab shows managers who created and moved it; staff see that it is for managers", async ({ page }) => {
    await signIn(page, DEMO_USERS.staff);
    await page.goto(`${spaceUrl}?tab=activity`);
    await expect(page.getByRole("tabpanel")).toContainText("nur Manager");
    await expect(page.getByTestId("audit-row")).toHaveCount(0);

    await page.context().clearCookies();
    await signIn(page, DEMO_USERS.manager);
    await page.goto(spaceUrl);
    await page.getByRole("tab", { name: "Aktivität" }).click();
    await expect(page).toHaveURL(/tab=activity/);
    const rows = page.getByTestId("audit-row");
    await expect(rows.filter({ hasText: "Objekt verschoben" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "Objekt angelegt" })).toHaveCount(1);
    await expect(rows.first()).toContainText(DEMO_USERS.staff);
  });

  test("a manager deletes it after typing its name", async ({ page, request }) => {
    await signIn(page, DEMO_USERS.manager);
    await page.goto(spaceUrl);
    await page.getByRole("button", { name: "Löschen" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Die Geräte werden mitgelöscht.");
    const confirm = dialog.getByRole("button", { name: "Löschen" });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole("textbox").fill(name);
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(page).not.toHaveURL(spaceUrl);
    expect((await new SandboxApi(request).spaces()).some((s) => s.name === name)).toBe(false);
  });
});
