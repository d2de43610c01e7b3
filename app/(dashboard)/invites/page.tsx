import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { InvitesTable } from "@/components/invites/invites-table";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("invites");
  return { title: t("title") };
}

export default async function InvitesPage() {
  const t = await getTranslations("invites");
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      {/* Filters and page live in the URL; the table reads them on the client. */}
      <Suspense>
        <InvitesTable />
      </Suspense>
    </div>
  );
}
