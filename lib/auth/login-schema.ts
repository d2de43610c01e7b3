import { z } from "zod";

/** The sign-in form; the credentials provider checks the same shape on the server. */
export const LoginInput = z.object({
  // Trim and lowercase first, so a pasted " Staff@Example.com " still signs in.
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "emailInvalid" })),
  password: z.string().min(1, { error: "passwordRequired" }),
});
export type LoginInput = z.infer<typeof LoginInput>;

/**
 * Only same-site paths may be a post-login destination (no open redirect), and percent-encoded:
 * a raw non-ASCII character would make the redirect's Location header invalid.
 */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/spaces";
  const here = "http://dashboard.invalid";
  try {
    const url = new URL(value, here);
    return url.origin === here ? `${url.pathname}${url.search}${url.hash}` : "/spaces";
  } catch {
    return "/spaces";
  }
}
