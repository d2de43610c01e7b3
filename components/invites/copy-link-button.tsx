"use client";

import { Check, Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies an invite link; says so for a moment (mail gets lost, a link can be sent another way). */
export function CopyLinkButton({ link }: { link: string }) {
  const t = useTranslations("invites");
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="sm"
      variant="ghost"
      onClick={async () => {
        await navigator.clipboard.writeText(link).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 2_000);
      }}
    >
      {copied ? <Check aria-hidden className="size-4 text-emerald-600" /> : <Copy aria-hidden className="size-4" />}
      {copied ? t("copied") : t("copyLink")}
    </Button>
  );
}
