import { expect, test } from "@playwright/test";
import { DEMO_USERS, SANDBOX_URL } from "./env";
import { signIn, signOut } from "./helpers";

const roleLabels = { support: "Support", staff: "Mitarbeiter:in", manager: "Manager:in" } as const;

test("a signed-out visitor is sent to the login page", async ({ page }) => {
  await page.goto("/spaces");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Anmelden" })).toBeVisible();
  // Demo mode lists the three accounts.
  await expect(page.getByTestId("demo-accounts")).toContainText(DEMO_USERS.manager);
});

for (const role of ["support", "staff", "manager"] as const) {
  test(`${role} signs in, sees the sandbox's spaces and signs out`, async ({ page, request }) => {
    // The first page of spaces as the sandbox has it, to compare with what the table shows.
    const token = await request.post(`${SANDBOX_URL}/partner/auth/token`, {
      data: { clientId: "e2e-client-7b41", clientSecret: "e2e-client-secret-d93f0a" },
    });
    const { accessToken } = await token.json();
    const upstream = await request.get(`${SANDBOX_URL}/partner/spaces?page=0&pageSize=50`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const { spaces } = await upstream.json();
    expect(spaces.length).toBeGreaterThan(0);

    await signIn(page, DEMO_USERS[role]);
    await expect(page.getByTestId("user-role")).toHaveText(roleLabels[role]);
    await expect(page.getByTestId("tree-row").first()).toBeVisible();
    await page.goto("/spaces/list");
    const rows = page.getByTestId("space-row");
    await expect(rows.first()).toBeVisible();
    await expect(rows).toHaveCount(spaces.length);
    await expect(rows.first()).toContainText(spaces[0].name);
    await expect(page.getByTestId("connection-indicator")).toHaveAttribute("data-state", "online");

    await signOut(page);
    await page.goto("/spaces");
    await expect(page).toHaveURL(/\/login/);
  });
}

test("a wrong password shows an error and keeps the e-mail", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-Mail").fill(DEMO_USERS.staff);
  await page.getByLabel("Passwort").fill("not-the-password");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "E-Mail oder Passwort ist falsch" })).toBeVisible();
  await expect(page.getByLabel("E-Mail")).toHaveValue(DEMO_USERS.staff);
  await expect(page).toHaveURL(/\/login/);
});

test("an invalid e-mail is refused at the field without a request", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-Mail").fill("staff-at-example");
  await page.getByLabel("Passwort").fill("demo");
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.locator("#email-error")).toHaveText("Bitte eine gültige E-Mail-Adresse eingeben.");
  await expect(page.getByLabel("E-Mail")).toHaveValue("staff-at-example");
});

test("the table pages through the spaces and keeps the page in the URL", async ({ page }) => {
  await signIn(page, DEMO_USERS.support);
  await page.goto("/spaces/list");
  await expect(page.getByTestId("page-indicator")).toHaveText(/Seite 1 von \d+/);
  const firstName = await page.getByTestId("space-row").first().textContent();
  await page.getByRole("button", { name: "Weiter" }).click();
  await expect(page).toHaveURL(/page=1/);
  await expect(page.getByTestId("page-indicator")).toHaveText(/Seite 2 von/);
  await expect(page.getByTestId("space-row").first()).not.toHaveText(firstName ?? "");
  await page.reload();
  await expect(page.getByTestId("page-indicator")).toHaveText(/Seite 2 von/);
});

test("the language switch turns the UI into English and back", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await page.getByRole("button", { name: "Benutzermenü öffnen" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Spaces", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Open user menu" }).click();
  await page.getByRole("menuitemradio", { name: "Deutsch" }).click();
  await expect(page.getByRole("heading", { name: "Objekte", level: 1 })).toBeVisible();
});
