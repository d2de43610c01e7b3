import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DeviceView } from "@/components/devices/device-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("devices");
  return { title: t("pageTitle") };
}

export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DeviceView id={decodeURIComponent(id)} />;
}
