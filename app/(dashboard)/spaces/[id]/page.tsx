import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SpaceView } from "@/components/spaces/space-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("spacePage");
  return { title: t("title") };
}

// Thin: the client component loads the space (live data may be slow and gets its own retry).
export default async function SpacePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SpaceView id={decodeURIComponent(id)} />;
}
