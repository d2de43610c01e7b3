"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut, UserRound } from "lucide-react";
import { signOut } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { apiFetch } from "@/lib/http/api-client";
import { LOCALES } from "@/lib/i18n/config";
import type { ShellUser } from "./shell";

const itemClass =
  "flex cursor-default select-none items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100";

/**
 * Ends the dashboard session and, for SSO, the identity provider's too: the provider's logout
 * address is asked for first, while the session still exists. If that fails, the dashboard's own
 * sign-out still happens.
 */
async function signOutEverywhere(): Promise<void> {
  const { providerLogoutUrl } = await apiFetch<{ providerLogoutUrl: string | null }>("/api/session/end", { method: "POST" }).catch(() => ({ providerLogoutUrl: null }));
  await signOut({ redirect: false });
  window.location.assign(providerLogoutUrl ?? "/login");
}

export function UserMenu({ user }: { user: ShellUser }) {
  const t = useTranslations();
  const locale = useLocale();
  const router = useRouter();
  const [, startTransition] = useTransition();

  function changeLanguage(next: string) {
    startTransition(async () => {
      await apiFetch("/api/locale", { method: "POST", body: JSON.stringify({ locale: next }) });
      router.refresh();
    });
  }

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={t("userMenu.open")}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-slate-100"
      >
        <UserRound aria-hidden className="size-4 text-slate-500" />
        <span className="hidden text-left sm:block">
          <span className="block font-medium leading-tight" data-testid="user-name">
            {user.name}
          </span>
          <span className="block text-xs leading-tight text-slate-500" data-testid="user-role">
            {t(`roles.${user.role}`)}
          </span>
        </span>
        <ChevronDown aria-hidden className="size-4 text-slate-400" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-sm">
            <span className="block font-medium">{user.name}</span>
            <span className="block text-xs text-slate-500">{user.email}</span>
            <span className="mt-1 block text-xs text-slate-500">
              {t("userMenu.role")}: {t(`roles.${user.role}`)}
            </span>
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          <DropdownMenu.Label className="px-2 pt-1 text-xs font-medium uppercase tracking-wide text-slate-500">
            {t("userMenu.language")}
          </DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={locale} onValueChange={changeLanguage}>
            {LOCALES.map((l) => (
              <DropdownMenu.RadioItem key={l} value={l} className={itemClass}>
                <span aria-hidden className="w-3 text-brand-600">
                  <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
                </span>
                {t(`languages.${l}`)}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          <DropdownMenu.Item className={itemClass} onSelect={() => void signOutEverywhere()}>
            <LogOut aria-hidden className="size-4" />
            {t("userMenu.signOut")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
