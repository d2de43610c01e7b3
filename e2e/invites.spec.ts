import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS, SANDBOX_URL } from "./env";
import { signIn, SAME_ORIGIN, expectForbidden } from "./helpers";
import { SandboxApi } from "./sandbox";

type Email = { to: string; inviteLink: string };

async function outbox(page: Page, to: string): Promise<Email[]> {
  return ((await (await page.request.get(`${SANDBOX_URL}/__sandbox/outbox?to=${encodeURIComponent(to)}`)).json()) as { emails: Email[] }).emails;
}

/** Invite from the space page's invites tab, as a person would. */
async function inviteFromSpace(page: Page, spaceId: string, email: string) {
  await page.goto(`/spaces/${spaceId}?tab=invites`);
  await page.getByRole("button", { name: "Kund:in einladen" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "E-Mail" }).fill(email);
  await dialog.getByRole("button", { name: "Einladen", exact: true }).click();
  await expect(dialog.getByTestId("invite-created")).toContainText(email);
  await dialog.getByRole("button", { name: "Fertig" }).click();
}

test.describe.configure({ mode: "serial" });

let spaceId: string;
const customer = `kundin.${Date.now()}@example.de`;

test.beforeAll(async ({ request }) => {
  spaceId = (await new SandboxApi(request).spaces()).filter((s) => s.category === "FLAT")[3].id;
});

test("staff invites a customer: a bad address is refused at the field, the e-mail lands in the outbox", async ({ page }) => {
  await signIn(page, DEMO_USERS.staff);
  await page.goto(`/spaces/${spaceId}?tab=invites`);
  await page.getByRole("button", { name: "Kund:in einladen" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "E-Mail" }).fill("kundin-at-example.de");
  await dialog.getByRole("button", { name: "Einladen", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("gültige E-Mail-Adresse");
  await dialog.getByRole("textbox", { name: "E-Mail" }).fill(customer);
  await dialog.getByRole("button", { name: "Einladen", exact: true }).click();
  await expect(dialog.getByTestId("invite-created")).toContainText(customer);
  await dialog.getByRole("button", { name: "Fertig" }).click();

  const row = page.getByTestId("invite-row").filter({ hasText: customer });
  await expect(row).toContainText("Offen");
  await expect(row.getByTestId("send-count")).toHaveText("1");
  expect(await outbox(page, customer)).toHaveLength(1);
  // Staff may invite but not resend: no control, and the server refuses.
  await expect(row.getByRole("button", { name: "Erneut senden" })).toHaveCount(0);
  const { invites } = (await (await page.request.get(`/api/spaces/${spaceId}/invites`)).json()) as { invites: { id: string; email: string }[] };
  const id = invites.find((i) => i.email === customer)!.id;
  await expectForbidden(await page.request.post(`/api/invites/${id}/resend`, { headers: SAME_ORIGIN, data: { confirmRecent: true } }));
});

test("a manager resends a pending invite after confirming: two e-mails, send count 2", async ({ page }) => {
  await signIn(page, DEMO_USERS.manager);
  await page.goto(`/spaces/${spaceId}?tab=invites`);
  const row = page.getByTestId("invite-row").filter({ hasText: customer });
  await row.getByRole("button", { name: "Erneut senden" }).click();
  // Sent a moment ago: the dashboard asks first.
  await expect(row.getByRole("alertdialog")).toContainText("weniger als 10 Minuten");
  await row.getByRole("button", { name: "Trotzdem senden" }).click();
  await expect(row.getByTestId("send-count")).toHaveText("2");
  expect(await outbox(page, customer)).toHaveLength(2);
});

test("accepting through the sandbox turns the invite accepted in the dashboard", async ({ page }) => {
  const [mail] = await outbox(page, customer);
  expect((await page.request.post(`${mail.inviteLink}/accept`, { data: {} })).ok()).toBe(true);
  await signIn(page, DEMO_USERS.support);
  // Opening the space page reads its users and settles the ledger.
  await page.goto(`/spaces/${spaceId}?tab=invites`);
  await expect(page.getByTestId("invite-row").filter({ hasText: customer })).toContainText("Angenommen");
  await page.getByRole("tab", { name: /Benutzer/ }).click();
  await expect(page.getByTestId("user-row").filter({ hasText: customer })).toBeVisible();
});

test("a bulk resend of three invites reports each result", async ({ page }) => {
  const emails = [1, 2, 3].map((n) => `sammel.${n}.${Date.now()}@example.de`);
  await signIn(page, DEMO_USERS.staff);
  for (const email of emails) await inviteFromSpace(page, spaceId, email);

  await page.context().clearCookies();
  await signIn(page, DEMO_USERS.manager);
  await page.goto(`/invites?q=sammel.&status=pending`);
  const rows = page.getByTestId("invite-row");
  await expect(rows).toHaveCount(3);
  await page.getByLabel("Alle offenen auf dieser Seite auswählen").check();
  await page.getByLabel("Auch vor weniger als 10 Minuten gesendete").check();
  await page.getByRole("button", { name: "Ausgewählte erneut senden" }).click();
  await expect(page.getByTestId("bulk-progress")).toHaveText("3 von 3 erledigt");
  for (const email of emails) {
    await expect(rows.filter({ hasText: email }).getByTestId("bulk-result")).toHaveText("Gesendet");
    await expect(rows.filter({ hasText: email }).getByTestId("send-count")).toHaveText("2");
    expect(await outbox(page, email)).toHaveLength(2);
  }
});
