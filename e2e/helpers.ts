import { expect, type APIResponse, type Page } from "@playwright/test";
import { BASE_URL, DEMO_PASSWORD } from "./env";

/** Sign in through the real login form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill(password);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  // The first sign-in on a fresh server also opens and migrates the database.
  await expect(page).toHaveURL(/\/spaces/, { timeout: 30_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Benutzermenü öffnen" }).click();
  await page.getByRole("menuitem", { name: "Abmelden" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * Headers a write from the dashboard's own pages carries: Playwright's request API sends no
 * Origin, and the server refuses writes without one (CSRF, lib/http/origin.ts).
 */
export const SAME_ORIGIN = { origin: BASE_URL };

/** A 403 for the role, not for some other reason (e.g. a refused cross-site request). */
export async function expectForbidden(res: APIResponse): Promise<void> {
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
}
