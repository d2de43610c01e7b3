import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SpaceTree } from "@/components/spaces/space-tree";
import { ViewSwitch } from "@/components/spaces/view-switch";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("spaces");
  return { title: t("title") };
}

export default async function SpacesTreePage() {
  const t = await getTranslations("spaces");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex-1">
          <h1 className="text-xl font-semibold">{t("title")}</h1>
          <p className="text-sm text-slate-600">{t("treeDescription")}</p>
        </div>
        <ViewSwitch current="tree" />
      </div>
      {/* The tree reads selection and filter from the URL on the client. */}
      <Suspense>
        <SpaceTree />
      </Suspense>
    </div>
  );
}
