import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("errors");
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-lg font-semibold">{t("forbiddenTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("forbiddenText")}</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
        {t("backHome")}
      </Link>
    </main>
  );
}
