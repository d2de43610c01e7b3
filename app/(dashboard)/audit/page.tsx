import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { AuditLog } from "@/components/audit/audit-log";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

export default async function AuditPage() {
  const t = await getTranslations("audit");
  const user = await getSessionUser();
  // 403 with the dashboard's own page (app/forbidden.tsx), as the API answers.
  if (!user || !can(user.role, "audit.read")) forbidden();
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      <Suspense>
        <AuditLog />
      </Suspense>
    </div>
  );
}
