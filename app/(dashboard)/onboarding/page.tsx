import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ImportsList } from "@/components/imports/imports-list";
import { OnboardingList } from "@/components/onboarding/onboarding-list";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("onboarding");
  return { title: t("listTitle") };
}

export default async function OnboardingPage() {
  const t = await getTranslations("onboarding");
  const tImports = await getTranslations("imports");
  const user = await getSessionUser();
  if (!user || !can(user.role, "onboarding.write")) return <Alert>{t("notAllowed")}</Alert>;
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("listTitle")}
        description={t("listDescription")}
        actions={
          <div className="flex gap-2">
          <Link href="/onboarding/import" className="inline-flex h-9 items-center rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium hover:bg-slate-50">
            {tImports("start")}
          </Link>
          <Link href="/onboarding/new" className="inline-flex h-9 items-center rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white hover:bg-brand-700">
            {t("start")}
          </Link>
          </div>
        }
      />
      <OnboardingList />
      <ImportsList />
    </div>
  );
}
