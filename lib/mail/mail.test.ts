import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { mailConfigured, sendMail, setPasswordMail } = await import("@/lib/mail");

let server: Server;
let url: string;
const received: unknown[] = [];
let status = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method, type: req.headers["content-type"], body: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/outbox`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("sendMail", () => {
  it("posts the e-mail as JSON to MAIL_OUTBOX_URL and says it was accepted", async () => {
    const mail = setPasswordMail("neu@example.de", "Nora Neu", "http://localhost:3000/set-password?token=abc", new Date("2026-12-03T11:00:00Z"));
    expect(await sendMail(mail, { MAIL_OUTBOX_URL: url })).toBe(true);
    expect(received.at(-1)).toEqual({ method: "POST", type: "application/json", body: mail });
    expect(mail.body).toContain("03.12.2026, 12:00"); // Berlin time in the text
    expect(mail.body).toContain(mail.link);
  });

  it("answers false, without throwing, when the outbox refuses or cannot be reached, and when none is configured", async () => {
    const mail = { to: "x@example.de", subject: "s", body: "b" };
    status = 503;
    expect(await sendMail(mail, { MAIL_OUTBOX_URL: url })).toBe(false);
    status = 200;
    expect(await sendMail(mail, { MAIL_OUTBOX_URL: "http://127.0.0.1:1/outbox" })).toBe(false);
    const before = received.length;
    expect(await sendMail(mail, {})).toBe(false);
    expect(received.length).toBe(before);
    expect(mailConfigured({})).toBe(false);
    expect(mailConfigured({ MAIL_OUTBOX_URL: url })).toBe(true);
  });
});
