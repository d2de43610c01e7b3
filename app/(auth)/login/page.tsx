import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Gauge } from "lucide-react";
import { LoginForm } from "@/components/auth/login-form";
import { DEMO_ACCOUNTS, isDemoMode } from "@/lib/auth/demo";
import { enabledSignInProviders } from "@/lib/auth/options";
import { readOidcConfig } from "@/lib/auth/sso";
import { safeCallbackPath } from "@/lib/auth/login-schema";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("login");
  return { title: t("title") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : null);
  if (await getSessionUser()) redirect(callbackUrl);

  const t = await getTranslations();
  const sso = enabledSignInProviders().find((p) => p.type === "oidc");
  // Only e-mail and role go to the browser; everyone knows the demo password is "demo".
  const notice = loginNotice(t, params, sso?.name ?? "SSO");
  const demoAccounts = isDemoMode() ? DEMO_ACCOUNTS.map(({ email, role }) => ({ email, role })) : [];

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center gap-2">
          <Gauge aria-hidden className="size-6 text-brand-600" />
          <span className="font-semibold">{t("app.name")}</span>
        </div>
        <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <div>
            <h1 className="text-lg font-semibold">{t("login.title")}</h1>
            <p className="text-sm text-slate-600">{t("login.subtitle")}</p>
          </div>
          <LoginForm
            callbackUrl={callbackUrl}
            demoAccounts={demoAccounts}
            sso={sso ? { id: sso.id, name: sso.name } : null}
            initialEmail={typeof params.email === "string" ? params.email.slice(0, 320) : ""}
            passwordSet={params.passwordSet === "1"}
            notice={notice}
          />
        </section>
      </div>
    </main>
  );
}

// next-auth's error codes of an OAuth round trip that did not complete: the provider is down,
// answered nonsense, or the person cancelled there.
const PROVIDER_FAILURES = new Set(["OAuthSignin", "OAuthCallback", "OAuthCreateAccount", "Callback", "OAuthAccountNotLinked"]);
const REFUSALS = new Set(["SsoNoAccount", "SsoUnverifiedEmail", "SsoPasswordAccount", "SsoDisabled", "SsoNoRole"]);

/** What the login page says after a redirect back from sign-in or sign-out; null for nothing. */
function loginNotice(
  t: Awaited<ReturnType<typeof getTranslations>>,
  params: Record<string, string | string[] | undefined>,
  providerName: string,
): { tone: "info" | "error"; text: string } | null {
  const error = typeof params.error === "string" ? params.error : null;
  const contact = readOidcConfig()?.adminContact ?? t("login.errors.defaultContact");
  const email = typeof params.email === "string" ? params.email.slice(0, 320) : "";
  if (error === "SsoNoAccount" && !email) return { tone: "error", text: t("login.errors.SsoNoAccountNoEmail", { contact }) };
  if (error && REFUSALS.has(error)) return { tone: "error", text: t(`login.errors.${error}` as "login.errors.SsoNoAccount", { contact, email }) };
  if (error && PROVIDER_FAILURES.has(error)) return { tone: "error", text: t("login.errors.ssoUnavailable", { name: providerName }) };
  if (error === "Configuration") return { tone: "error", text: t("login.errors.configuration") };
  if (error === "AccessDenied" || error === "Verification") return { tone: "error", text: t("login.errors.accessDenied", { contact }) };
  if (params.signedOut === "1") return { tone: "info", text: t("login.errors.signedOut") };
  return null;
}
