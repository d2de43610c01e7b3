import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ImportJob } from "@/components/imports/import-job";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

export default async function ImportJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations("imports");
  const user = await getSessionUser();
  if (!user || !can(user.role, "onboarding.write")) forbidden();
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} />
      <ImportJob id={decodeURIComponent(id)} />
    </div>
  );
}
