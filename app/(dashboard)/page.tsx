import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Overview } from "@/components/overview/overview";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("overview");
  return { title: t("title") };
}

/** Where the day starts: the figures and what needs attention (every role). */
export default async function Home() {
  const t = await getTranslations("overview");
  return (
    <div className="space-y-4">
      <PageHeader title={t("title")} description={t("description")} />
      <Overview />
    </div>
  );
}
