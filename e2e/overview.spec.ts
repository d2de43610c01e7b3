import { expect, test } from "@playwright/test";
import { DEMO_USERS, E2E_CLIENT_ID, E2E_CLIENT_SECRET, SANDBOX_URL } from "./env";
import { signIn } from "./helpers";

/** Issue 14, the overview: its figures equal counts taken from the sandbox directly. */
test("the overview's device figures equal the sandbox's devices by status, and its open invites the ledger's", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_USERS.support);
  // The figures come from the index: wait until the crawl has read every space's devices.
  await expect
    .poll(async () => {
      const status = (await (await page.request.get("/api/spaces/index")).json()) as { spaces: number; crawledSpaces: number };
      return status.spaces > 0 && status.crawledSpaces >= status.spaces;
    }, { timeout: 90_000 })
    .toBe(true);

  const token = ((await (await fetch(`${SANDBOX_URL}/partner/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: E2E_CLIENT_ID, clientSecret: E2E_CLIENT_SECRET }) })).json()) as { accessToken: string }).accessToken;
  const get = async <T,>(path: string): Promise<T> => (await (await fetch(`${SANDBOX_URL}/partner/${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const spaceIds: string[] = [];
  for (let p = 0; ; p++) {
    const body = await get<{ spaces: { id: string }[]; totalNumPages: number }>(`spaces?page=${p}&pageSize=100`);
    spaceIds.push(...body.spaces.map((s) => s.id));
    if (p + 1 >= body.totalNumPages) break;
  }
  const byStatus = new Map<string, number>();
  for (const id of spaceIds) {
    for (let p = 0; ; p++) {
      const body = await get<{ devices: { id: string; status: string }[]; totalNumPages: number }>(`spaces/${id}/devices?page=${p}&pageSize=100`);
      for (const d of body.devices) byStatus.set(d.status, (byStatus.get(d.status) ?? 0) + 1);
      if (p + 1 >= body.totalNumPages) break;
    }
  }
  const pendingInvites = ((await (await page.request.get("/api/invites?status=pending&pageSize=10")).json()) as { total: number }).total;

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Übersicht", level: 1 })).toBeVisible();
  const figure = (key: string) => page.getByTestId(`figure-${key}`).locator("span").first();
  await expect(figure("devicesConnected")).toHaveText((byStatus.get("CONNECTED") ?? 0).toLocaleString("de-DE"));
  await expect(figure("devicesConnecting")).toHaveText((byStatus.get("CONNECTING") ?? 0).toLocaleString("de-DE"));
  await expect(figure("devicesFailed")).toHaveText((byStatus.get("FAILED") ?? 0).toLocaleString("de-DE"));
  await expect(figure("spaces")).toHaveText(spaceIds.length.toLocaleString("de-DE"));
  await expect(figure("openInvites")).toHaveText(pendingInvites.toLocaleString("de-DE"));
  expect(byStatus.get("FAILED") ?? 0).toBeGreaterThan(0); // the seed has failed devices: the figure is not trivially 0
  if ((byStatus.get("FAILED") ?? 0) > 0) await expect(page.getByTestId("attention-devicesFailed")).toContainText(String(byStatus.get("FAILED")));
});
