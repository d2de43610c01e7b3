import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RegisterWizardClient } from "@/components/devices/register-wizard-client";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("devices");
  return { title: t("registerTitle") };
}

export default async function RegisterDevicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations("devices");
  const user = await getSessionUser();
  if (!user || !can(user.role, "devices.write")) return <Alert>{t("notAllowed")}</Alert>;
  return (
    <div className="space-y-4">
      <PageHeader title={t("registerTitle")} description={t("registerDescription")} />
      <RegisterWizardClient spaceId={decodeURIComponent(id)} userId={user.id} />
    </div>
  );
}
