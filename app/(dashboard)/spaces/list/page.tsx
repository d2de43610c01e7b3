import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SpacesTable } from "@/components/spaces/spaces-table";
import { ViewSwitch } from "@/components/spaces/view-switch";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("spaces");
  return { title: t("listTitle") };
}

export default async function SpacesListPage() {
  const t = await getTranslations("spaces");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex-1">
          <h1 className="text-xl font-semibold">{t("title")}</h1>
          <p className="text-sm text-slate-600">{t("description")}</p>
        </div>
        <ViewSwitch current="list" />
      </div>
      {/* The table reads the page from the URL on the client. */}
      <Suspense>
        <SpacesTable />
      </Suspense>
    </div>
  );
}
