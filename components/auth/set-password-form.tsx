"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SetPasswordInput } from "@/lib/auth/set-password-schema";
import { apiFetch } from "@/lib/http/api-client";

/** The page a one-time link opens: choose a password, then sign in with it. */
export function SetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("login");
  const writeError = useWriteError();
  const router = useRouter();
  const { register, handleSubmit, formState: { errors } } = useForm<SetPasswordInput>({ resolver: zodResolver(SetPasswordInput), defaultValues: { token, password: "", confirm: "" } });
  const save = useMutation({
    mutationFn: (values: SetPasswordInput) => apiFetch<{ email: string }>("/api/password-links", { method: "POST", body: JSON.stringify(values) }),
    onSuccess: ({ email }) => router.push(`/login?email=${encodeURIComponent(email)}&passwordSet=1`),
  });
  const fieldError = (code: string | undefined) => (code ? t(`setPassword.${code}` as "setPassword.passwordTooShort") : undefined);
  return (
    <form noValidate onSubmit={handleSubmit((v) => save.mutate(v))} className="space-y-3">
      {save.isError ? <Alert>{writeError(save.error)}</Alert> : null}
      <Field id="new-password" label={t("setPassword.password")} error={fieldError(errors.password?.message)}>
        <Input id="new-password" type="password" autoComplete="new-password" aria-invalid={errors.password ? true : undefined} {...register("password")} />
      </Field>
      <Field id="confirm-password" label={t("setPassword.confirm")} error={fieldError(errors.confirm?.message)}>
        <Input id="confirm-password" type="password" autoComplete="new-password" aria-invalid={errors.confirm ? true : undefined} {...register("confirm")} />
      </Field>
      <Button type="submit" className="w-full" disabled={save.isPending}>
        {t("setPassword.submit")}
      </Button>
    </form>
  );
}
