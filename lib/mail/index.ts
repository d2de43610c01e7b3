import "server-only";

/**
 * The dashboard's own e-mails (today: set-password links for staff). Customer e-mails are not
 * ours: the partner API sends invites itself.
 *
 * One transport: with MAIL_OUTBOX_URL set, each e-mail is POSTed there as JSON
 * `{ to, subject, body, link }` — in the demo the sandbox's outbox, in production a mail relay's
 * HTTP hook. Without it nothing is sent; the manager copies the link shown once on /staff.
 */
export interface Mail {
  to: string;
  subject: string;
  body: string;
  link?: string;
}

export function mailConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return !!env.MAIL_OUTBOX_URL?.trim();
}

/** True when the e-mail was accepted. A failure is logged and answered false, never thrown: the link is shown anyway. */
export async function sendMail(mail: Mail, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const url = env.MAIL_OUTBOX_URL?.trim();
  if (!url) return false;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mail),
      signal: AbortSignal.timeout(5_000),
    });
    if (response.ok) return true;
    console.error(`E-mail to ${mail.to} not accepted by MAIL_OUTBOX_URL: HTTP ${response.status}`);
  } catch (error) {
    console.error(`E-mail to ${mail.to} not sent (MAIL_OUTBOX_URL unreachable)`, error instanceof Error ? error.message : error);
  }
  return false;
}

/** The set-password e-mail, in German and English (we do not know the new colleague's language yet). */
export function setPasswordMail(to: string, name: string, link: string, expiresAt: Date): Mail {
  const until = expiresAt.toLocaleString("de-DE", { timeZone: "Europe/Berlin", dateStyle: "medium", timeStyle: "short" });
  return {
    to,
    subject: "Ihr Zugang zum Zählerfreunde Partner-Dashboard / Your partner dashboard account",
    body: [
      `Hallo ${name},`,
      "",
      `mit diesem einmaligen Link legen Sie Ihr Passwort für das Partner-Dashboard fest (gültig bis ${until}):`,
      link,
      "",
      `Hello ${name}, use this one-time link to set your password for the partner dashboard (valid until ${until}, Berlin time).`,
    ].join("\n"),
    link,
  };
}
