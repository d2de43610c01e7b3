import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SpaceTree } from "@/components/spaces/space-tree";
import { ViewSwitch } from "@/components/spaces/view-switch";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("spaces");
  return { title: t("title") };
}

export default async function SpacesTreePage() {
  const t = await getTranslations("spaces");
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("treeDescription")} actions={<ViewSwitch current="tree" />} />
      {/* The tree reads selection and filter from the URL on the client. */}
      <Suspense>
        <SpaceTree />
      </Suspense>
    </div>
  );
}
