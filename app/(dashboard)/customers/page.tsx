import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { CustomersTable } from "@/components/customers/customers-table";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("customers");
  return { title: t("title") };
}

export default async function CustomersPage() {
  const t = await getTranslations("customers");
  const user = await getSessionUser();
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          user && can(user.role, "onboarding.write") ? (
            <Link href="/onboarding/new" className="inline-flex h-9 items-center rounded-md bg-brand-600 px-3.5 text-sm font-medium text-white hover:bg-brand-700">
              {t("onboard")}
            </Link>
          ) : null
        }
      />
      <Suspense>
        <CustomersTable />
      </Suspense>
    </div>
  );
}
