"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LoginInput } from "@/lib/auth/login-schema";
import type { Role } from "@/lib/auth/permissions";

type FormInput = z.input<typeof LoginInput>;

export function LoginForm({
  callbackUrl,
  demoAccounts,
  sso,
  initialEmail = "",
  passwordSet = false,
  notice = null,
}: {
  /** Said after a redirect back here: an SSO refusal, a provider that is down, a sign-out. */
  notice?: { tone: "info" | "error"; text: string } | null;
  callbackUrl: string;
  /** After a one-time set-password link: the e-mail to sign in with, and a note that it worked. */
  initialEmail?: string;
  passwordSet?: boolean;
  demoAccounts: { email: string; role: Role }[];
  sso: { id: string; name: string } | null;
}) {
  const t = useTranslations();
  const router = useRouter();
  const [failure, setFailure] = useState<"invalid" | "failed" | null>(null);
  // Seconds the sign-in throttle asks to wait (429 from /api/auth/callback/credentials).
  const [retryAfter, setRetryAfter] = useState<number | null>(null);
  const {
    register,
    handleSubmit,
    setValue,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<FormInput, unknown, LoginInput>({ resolver: zodResolver(LoginInput), defaultValues: { email: initialEmail, password: "" } });

  async function onSubmit(values: LoginInput) {
    setFailure(null);
    setRetryAfter(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    // Keep the e-mail, clear only the password, and say what to do.
    setValue("password", "");
    if (result?.error === "TooManyAttempts") {
      setRetryAfter(Number(new URL(result.url ?? "", window.location.href).searchParams.get("retryAfter")) || 30);
      setFocus("password");
      return;
    }
    setFailure(result?.error === "CredentialsSignin" ? "invalid" : "failed");
    setFocus("password");
  }

  const fieldError = (message: string | undefined) => (message ? t(`login.${message}` as "login.emailInvalid") : undefined);

  return (
    <div className="space-y-4">
      {notice && !failure && retryAfter === null ? (
        <Alert tone={notice.tone}>{notice.text}</Alert>
      ) : null}
      {sso ? (
        <>
          <Button variant="secondary" className="w-full" onClick={() => signIn(sso.id, { callbackUrl })}>
            {t("login.sso", { name: sso.name })}
          </Button>
          <p className="text-center text-xs uppercase tracking-wide text-slate-400">{t("login.or")}</p>
        </>
      ) : null}
      <form noValidate onSubmit={handleSubmit(onSubmit)} className="space-y-3">
        {passwordSet && !failure ? <Alert tone="info">{t("login.setPassword.done")}</Alert> : null}
        {failure ? <Alert>{t(`login.${failure}`)}</Alert> : null}
        {retryAfter !== null ? <Alert>{t("login.throttled", { seconds: retryAfter })}</Alert> : null}
        <Field id="email" label={t("login.email")} error={fieldError(errors.email?.message)}>
          <Input
            id="email"
            type="email"
            autoComplete="username"
            autoFocus
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-error" : undefined}
            {...register("email")}
          />
        </Field>
        <Field id="password" label={t("login.password")} error={fieldError(errors.password?.message)}>
          <Input
            id="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            {...register("password")}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={isSubmitting}>
          {isSubmitting ? t("login.submitting") : t("login.submit")}
        </Button>
      </form>
      {demoAccounts.length > 0 ? (
        <div className="rounded-md border border-dashed border-slate-300 p-3" data-testid="demo-accounts">
          <p className="text-sm font-medium">{t("login.demoTitle")}</p>
          <p className="mb-2 text-xs text-slate-500">{t("login.demoHint")}</p>
          <ul className="space-y-1">
            {demoAccounts.map((account) => (
              <li key={account.email} className="flex items-center justify-between gap-2 text-sm">
                <span>
                  <span className="font-mono text-xs">{account.email}</span>{" "}
                  <span className="text-slate-500">({t(`roles.${account.role}`)})</span>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => {
                    setValue("email", account.email);
                    setValue("password", "demo");
                    setFocus("password");
                  }}
                >
                  {t("login.useAccount")}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
