import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SpacesTable } from "@/components/spaces/spaces-table";
import { ViewSwitch } from "@/components/spaces/view-switch";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("spaces");
  return { title: t("listTitle") };
}

export default async function SpacesListPage() {
  const t = await getTranslations("spaces");
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} actions={<ViewSwitch current="list" />} />
      {/* The table reads the page from the URL on the client. */}
      <Suspense>
        <SpacesTable />
      </Suspense>
    </div>
  );
}
