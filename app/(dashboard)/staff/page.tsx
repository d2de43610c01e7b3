import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { StaffAdmin } from "@/components/staff/staff-admin";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("staff");
  return { title: t("title") };
}

export default async function StaffPage() {
  const t = await getTranslations("staff");
  const user = await getSessionUser();
  // 403 with the dashboard's own page (app/forbidden.tsx), as the API answers.
  if (!user || !can(user.role, "staff.manage")) forbidden();
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      <StaffAdmin />
    </div>
  );
}
