import { expect, test } from "@playwright/test";
import { DEMO_USERS, SANDBOX_URL } from "./env";
import { expectForbidden, SAME_ORIGIN, signIn } from "./helpers";

/** Issue 12, staff administration: add a colleague through a one-time link, demote, disable, the last manager. */
test.describe.configure({ mode: "serial" });

const email = `kollegin-${Date.now().toString(36)}@example.de`;
const password = "ein-gutes-passwort-42";

test("a manager adds a colleague; the link sets the password, the role holds, a demotion and a disabling take effect at once", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/staff");
  await page.getByRole("button", { name: "Kolleg:in hinzufügen" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("E-Mail").fill(email);
  await dialog.getByLabel("Name").fill("Karla Kollegin");
  await dialog.getByLabel("Rolle").selectOption("staff");
  await dialog.getByRole("button", { name: "Hinzufügen" }).click();
  const link = await page.getByTestId("staff-link").getByRole("textbox").inputValue();
  expect(link).toMatch(/\/set-password\?token=/);
  // Mail is configured in the e2e run (the sandbox's outbox): the same link is in the e-mail.
  await expect(page.getByTestId("staff-link")).toContainText(`auch an ${email} unterwegs`);
  const outbox = (await (await fetch(`${SANDBOX_URL}/__sandbox/outbox?to=${encodeURIComponent(email)}`)).json()) as { emails: { body: string; inviteLink: string }[] };
  expect(outbox.emails.map((e) => e.inviteLink)).toEqual([link]);

  // A fresh browser: set the password and sign in with the role given.
  const colleague = await (await browser.newContext({ locale: "de-DE" })).newPage();
  await colleague.goto(link);
  await colleague.getByLabel("Neues Passwort (mindestens 10 Zeichen)").fill(password);
  await colleague.getByLabel("Passwort wiederholen").fill(password);
  await colleague.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(colleague.getByLabel("E-Mail")).toHaveValue(email, { timeout: 15_000 });
  await colleague.getByLabel("Passwort").fill(password);
  await colleague.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(colleague).toHaveURL(/\/spaces/, { timeout: 30_000 });
  await expect(colleague.getByTestId("user-role")).toHaveText("Mitarbeiter:in");
  const createProbe = () =>
    colleague.request.post("/api/spaces", { headers: { ...SAME_ORIGIN, "idempotency-key": crypto.randomUUID() }, data: { name: "x", addressLineOne: "", postcode: "", city: "", category: "FLAT" } });
  expect((await createProbe()).status()).toBe(400); // staff may write (the body is just invalid)

  // Demoted to support: the very next write is refused for the role.
  const row = page.locator(`[data-testid="staff-row"][data-email="${email}"]`);
  const demoted = page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().includes("/api/staff/"));
  await row.getByRole("combobox").selectOption("support");
  expect((await demoted).status()).toBe(200);
  await expectForbidden(await createProbe());

  // Disabled: signed out.
  await row.getByRole("button", { name: "Sperren" }).click();
  await expect(row).toContainText("Gesperrt");
  expect((await colleague.request.get("/api/spaces/tree?parent=root")).status()).toBe(401);
  await colleague.goto("/spaces");
  await expect(colleague).toHaveURL(/\/login/);
});

test("the last enabled manager can be neither demoted nor disabled, and says why", async ({ page }) => {
  await signIn(page, DEMO_USERS.manager);
  await page.goto("/staff");
  // By its own e-mail: the manager's address also shows as "created by" on other rows.
  const row = page.locator(`[data-testid="staff-row"][data-email="${DEMO_USERS.manager}"]`);
  await row.getByRole("combobox").selectOption("staff");
  await expect(page.getByRole("alert").filter({ hasText: "letzte aktive Manager" })).toBeVisible();
  await expect(row.getByRole("combobox")).toHaveValue("manager");
  await row.getByRole("button", { name: "Sperren" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "letzte aktive Manager" })).toBeVisible();
  await expect(row).toContainText("Aktiv");
});

test("staff may open neither /staff nor /audit: both pages answer 403, and so does their API", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  for (const path of ["/staff", "/audit"]) {
    expect((await page.goto(path))?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Kein Zugriff" })).toBeVisible();
  }
  await expectForbidden(await page.request.get("/api/staff"));
  await expectForbidden(await page.request.get("/api/audit"));
  await expectForbidden(await page.request.get("/api/audit/export"));
  await expectForbidden(await page.request.post("/api/staff", { headers: SAME_ORIGIN, data: { email: "x@example.de", name: "X", role: "manager" } }));
});
