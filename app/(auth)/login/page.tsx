import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Gauge } from "lucide-react";
import { LoginForm } from "@/components/auth/login-form";
import { DEMO_ACCOUNTS, isDemoMode } from "@/lib/auth/demo";
import { enabledSignInProviders } from "@/lib/auth/options";
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
          />
        </section>
      </div>
    </main>
  );
}
