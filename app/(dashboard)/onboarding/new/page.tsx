import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { StartOnboarding } from "@/components/onboarding/start-onboarding";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("onboarding");
  return { title: t("title") };
}

export default async function NewOnboardingPage() {
  const t = await getTranslations("onboarding");
  const user = await getSessionUser();
  if (!user || !can(user.role, "onboarding.write")) return <Alert>{t("notAllowed")}</Alert>;
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} />
      <StartOnboarding />
    </div>
  );
}
