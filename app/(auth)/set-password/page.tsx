import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Gauge } from "lucide-react";
import { SetPasswordForm } from "@/components/auth/set-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("login");
  return { title: t("setPassword.title") };
}

export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const t = await getTranslations("login");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center gap-2">
          <Gauge aria-hidden className="size-6 text-brand-600" />
          <h1 className="text-lg font-semibold">{t("setPassword.title")}</h1>
        </div>
        <p className="text-sm text-slate-600">{t("setPassword.intro")}</p>
        <SetPasswordForm token={typeof token === "string" ? token : ""} />
      </div>
    </main>
  );
}
