"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { CopyLinkButton } from "@/components/invites/copy-link-button";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { ApiError, apiFetch } from "@/lib/http/api-client";
import { staffKeys } from "@/lib/staff/keys";
import { AddStaffInput } from "@/lib/staff/schemas";
import type { StaffView } from "@/lib/staff/types";

const fetchStaff = (signal?: AbortSignal) => apiFetch<{ staff: StaffView[] }>("/api/staff", { signal });

/** /staff: every staff account, add a colleague (one-time link), role, disable/enable, a new link. */
export function StaffAdmin({ ssoEnabled }: { ssoEnabled: boolean }) {
  const t = useTranslations("staff");
  const tRoles = useTranslations("roles");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: staffKeys.list(), queryFn: ({ signal }) => fetchStaff(signal) });
  const [link, setLink] = useState<{ email: string; url: string; mailed: boolean } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: staffKeys.list() });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: { role?: Role; disabled?: boolean; allowSso?: true } }) =>
      apiFetch(`/api/staff/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(change) }),
    onSuccess: refresh,
    onError: refresh,
  });
  const reset = useMutation({
    mutationFn: (s: StaffView) => apiFetch<{ link: string; mailed: boolean }>(`/api/staff/${encodeURIComponent(s.id)}/password-link`, { method: "POST" }).then((r) => ({ ...r, email: s.email })),
    onSuccess: (r) => setLink({ email: r.email, url: r.link, mailed: r.mailed }),
  });
  const failure = update.error ?? reset.error;

  return (
    <div className="space-y-3">
      <div className="flex justify-end">
        <AddStaffButton ssoEnabled={ssoEnabled} onAdded={(added) => { if (added.url) setLink({ email: added.email, url: added.url, mailed: added.mailed }); void refresh(); }} />
      </div>
      {link ? <LinkOnce email={link.email} url={link.url} mailed={link.mailed} onClose={() => setLink(null)} /> : null}
      {failure ? <Alert>{failure instanceof ApiError && failure.code === "last_manager" ? t("lastManager") : writeError(failure)}</Alert> : null}
      {query.isError ? <Alert>{writeError(query.error)}</Alert> : null}
      {query.data?.staff.length === 0 ? <EmptyNote>{t("empty")}</EmptyNote> : null}
      {query.data && query.data.staff.length > 0 ? (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("name")}</Th>
              <Th>{t("email")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("signIn")}</Th>
              <Th>{t("lastSignIn")}</Th>
              <Th>{t("created")}</Th>
              <Th>{t("state")}</Th>
              <Th />
            </>
          }
        >
          {query.data.staff.map((s) => (
            <tr key={s.id} data-testid="staff-row" data-email={s.email}>
              <Td>{s.name}</Td>
              <Td>{s.email}</Td>
              <Td>
                <label className="sr-only" htmlFor={`role-${s.id}`}>
                  {t("roleOf", { name: s.name })}
                </label>
                <Select id={`role-${s.id}`} value={s.role} disabled={update.isPending} onChange={(e) => update.mutate({ id: s.id, change: { role: e.target.value as Role } })}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {tRoles(r)}
                    </option>
                  ))}
                </Select>
              </Td>
              <Td>
                {s.signIn === "sso" ? t("sso") : s.passwordSet ? t("password") : t("passwordPending")}
                {s.ssoAllowed ? <span className="block text-xs text-slate-500">{t("ssoAllowed")}</span> : null}
              </Td>
              <Td>{time(s.lastLoginAt)}</Td>
              <Td>
                {time(s.createdAt)}
                {s.createdBy ? <span className="block text-xs text-slate-500">{s.createdBy}</span> : null}
              </Td>
              <Td>{s.disabled ? t("disabled") : t("enabled")}</Td>
              <Td className="whitespace-nowrap text-right">
                <Button size="sm" variant="ghost" disabled={update.isPending} onClick={() => update.mutate({ id: s.id, change: { disabled: !s.disabled } })}>
                  {s.disabled ? t("enable") : t("disable")}
                </Button>
                {s.signIn === "password" ? (
                  <Button size="sm" variant="ghost" disabled={reset.isPending} onClick={() => reset.mutate(s)}>
                    {t("newLink")}
                  </Button>
                ) : null}
                {ssoEnabled && s.signIn === "password" && !s.ssoAllowed ? (
                  <Button size="sm" variant="ghost" disabled={update.isPending} onClick={() => update.mutate({ id: s.id, change: { allowSso: true } })}>
                    {t("allowSso")}
                  </Button>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}

/** The one-time link, shown once: it is not stored in readable form anywhere. */
function LinkOnce({ email, url, mailed, onClose }: { email: string; url: string; mailed: boolean; onClose: () => void }) {
  const t = useTranslations("staff");
  return (
    <div className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm" role="status" data-testid="staff-link">
      <p>{t("linkFor", { email })}</p>
      {mailed ? <p>{t("linkMailed", { email })}</p> : null}
      <div className="flex items-center gap-2">
        <Input readOnly value={url} aria-label={t("link")} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <CopyLinkButton link={url} />
        <Button size="sm" variant="secondary" onClick={onClose}>
          {t("done")}
        </Button>
      </div>
    </div>
  );
}

function AddStaffButton({ ssoEnabled, onAdded }: { ssoEnabled: boolean; onAdded: (added: { email: string; url: string | null; mailed: boolean }) => void }) {
  const t = useTranslations("staff");
  const tRoles = useTranslations("roles");
  const writeError = useWriteError();
  const [open, setOpen] = useState(false);
  const { register, handleSubmit, reset, formState: { errors } } = useForm<AddStaffInput>({ resolver: zodResolver(AddStaffInput), defaultValues: { email: "", name: "", role: "staff", signIn: "password" } });
  const add = useMutation({
    mutationFn: (values: AddStaffInput) => apiFetch<{ link: string | null; mailed: boolean }>("/api/staff", { method: "POST", body: JSON.stringify(values) }).then((r) => ({ email: String(values.email).trim().toLowerCase(), url: r.link, mailed: r.mailed })),
    onSuccess: (r) => {
      onAdded(r);
      reset();
      setOpen(false);
    },
  });
  const fieldError = (code: string | undefined) => (code ? t(`errors.${code}` as "errors.required") : undefined);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("add")}</Button>
      <Dialog open={open} onOpenChange={setOpen} title={t("add")} description={t("addDescription")}>
        <form noValidate onSubmit={handleSubmit((v) => add.mutate(v))} className="space-y-3">
          <Field id="staff-email" label={t("email")} error={fieldError(errors.email?.message)}>
            <Input id="staff-email" type="email" aria-invalid={errors.email ? true : undefined} {...register("email")} />
          </Field>
          <Field id="staff-name" label={t("name")} error={fieldError(errors.name?.message)}>
            <Input id="staff-name" aria-invalid={errors.name ? true : undefined} {...register("name")} />
          </Field>
          <Field id="staff-role" label={t("role")}>
            <Select id="staff-role" {...register("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tRoles(r)}
                </option>
              ))}
            </Select>
          </Field>
          {ssoEnabled ? (
            <Field id="staff-signin" label={t("signIn")}>
              <Select id="staff-signin" {...register("signIn")}>
                <option value="password">{t("password")}</option>
                <option value="sso">{t("sso")}</option>
              </Select>
            </Field>
          ) : null}
          {add.isError ? <Alert>{add.error instanceof ApiError && add.error.code === "staff_exists" ? t("exists") : writeError(add.error)}</Alert> : null}
          <Button type="submit" disabled={add.isPending}>
            {t("addSubmit")}
          </Button>
        </form>
      </Dialog>
    </>
  );
}
