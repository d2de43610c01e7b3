import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ImportsList } from "@/components/imports/imports-list";
import { UploadImport } from "@/components/imports/upload-import";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

export default async function ImportPage() {
  const t = await getTranslations("imports");
  const user = await getSessionUser();
  if (!user || !can(user.role, "onboarding.write")) forbidden();
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      <UploadImport />
      <ImportsList />
    </div>
  );
}
