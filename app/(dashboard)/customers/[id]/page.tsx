import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CustomerView } from "@/components/customers/customer-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("customers");
  return { title: t("title") };
}

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CustomerView id={decodeURIComponent(id)} />;
}
