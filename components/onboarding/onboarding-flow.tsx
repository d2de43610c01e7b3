"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useAccessRoles } from "@/components/invites/use-access-roles";
import { ParentPicker, type ParentChoice } from "@/components/spaces/parent-picker";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ApiError } from "@/lib/http/api-client";
import type { DuplicateReport } from "@/lib/onboarding/duplicates-types";
import { onboardingKeys } from "@/lib/onboarding/keys";
import { ONBOARDING_STEPS, TENANT_CHANGE_STEPS, type OnboardingStep } from "@/lib/onboarding/schemas";
import type { OnboardingView } from "@/lib/onboarding/types";
import { MEDIA } from "@/lib/partner-api/schemas";
import { fetchChecks, fetchOnboarding, runOnboarding, saveOnboarding } from "./api";

// The wizard keeps its own draft in the browser's storage: client-only, as on its own page.
const RegisterWizard = dynamic(() => import("@/components/devices/register-wizard").then((m) => m.RegisterWizard), { ssr: false });

type Values = Record<string, string | boolean | null>;
const AUTOSAVE_MS = 800;

/**
 * The guided onboarding (and the tenant change, which starts with the move-out): one step at a
 * time, every change saved on the server, duplicates shown before anything is sent, then one
 * submit that carries the steps out — resumable wherever it stopped.
 */
export function OnboardingFlow({ id, userId }: { id: string; userId: string }) {
  const t = useTranslations("onboarding");
  const query = useQuery({ queryKey: onboardingKeys.detail(id), queryFn: ({ signal }) => fetchOnboarding(id, signal), staleTime: Infinity });
  const writeError = useWriteError();
  if (query.isPending) return <p className="text-sm text-slate-500">…</p>;
  if (query.isError) return <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>;
  return <Flow initial={query.data.onboarding} userId={userId} />;
}

function Flow({ initial, userId }: { initial: OnboardingView; userId: string }) {
  const t = useTranslations("onboarding");
  const tMedia = useTranslations("media");
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const roles = useAccessRoles();
  const steps: readonly OnboardingStep[] = initial.kind === "tenantChange" ? TENANT_CHANGE_STEPS : ONBOARDING_STEPS;
  const [values, setValues] = useState<Values>(initial.values as Values);
  const [step, setStep] = useState(Math.min(initial.step, steps.length - 1));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [onboarding, setOnboarding] = useState(initial);
  const [parent, setParent] = useState<ParentChoice | null>(values.parentSpaceId ? { id: String(values.parentSpaceId), name: String(values.parentName ?? values.parentSpaceId) } : null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const name = steps[step];
  const locked = initial.kind === "tenantChange" ? new Set(["meterId", "meterPath"]) : new Set<string>();

  // Everything typed reaches the server shortly after: a reload or another browser continues here.
  const firstRender = useRef(true);
  const autosave = useMutation({ mutationFn: (body: { values: Values; step: number }) => saveOnboarding(initial.id, body) });
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => autosave.mutate({ values, step }), AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- save on value changes only
  }, [values]);

  const set = (field: string, value: string | boolean | null) => setValues((v) => ({ ...v, [field]: value }));

  const move = useMutation({
    mutationFn: ({ to, validate }: { to: number; validate?: OnboardingStep }) =>
      saveOnboarding(initial.id, { values, step: to, validate: validate === "review" ? undefined : validate }),
    onSuccess: ({ onboarding: saved }, { to }) => {
      setErrors({});
      setStep(to);
      setOnboarding(saved);
      void queryClient.invalidateQueries({ queryKey: onboardingKeys.checks(initial.id) });
      headingRef.current?.focus();
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [k, v[0]])));
    },
  });

  const checks = useQuery({
    queryKey: onboardingKeys.checks(initial.id),
    queryFn: ({ signal }) => fetchChecks(initial.id, signal),
    enabled: name === "contract" || name === "review",
  });

  const run = useMutation({
    mutationFn: (deviceId?: string) => runOnboarding(initial.id, deviceId),
    onSuccess: ({ onboarding: result }) => {
      setOnboarding(result);
      void queryClient.invalidateQueries({ queryKey: onboardingKeys.open() });
    },
  });

  const message = (code: string | undefined) => (code ? (t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.invalid")) : undefined);

  const text = (field: string, props: { type?: string; inputMode?: "numeric" | "email"; autoComplete?: string } = {}) => (
    <Field id={`ob-${field}`} label={t(`fields.${field}`)} error={message(errors[field])}>
      <Input
        id={`ob-${field}`}
        type={props.type ?? "text"}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? "off"}
        readOnly={locked.has(field)}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `ob-${field}-error` : undefined}
        value={String(values[field] ?? "")}
        onChange={(e) => set(field, e.target.value)}
      />
    </Field>
  );

  const choice = (field: string, options: readonly string[], labelKey: string) => (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-700">{t(`fields.${field}`)}</legend>
      {options.map((option) => (
        <label key={option} className="flex items-start gap-2 text-sm">
          <input type="radio" name={field} className="mt-1" checked={values[field] === option} disabled={locked.has(field)} onChange={() => set(field, option)} />
          <span>{t(`${labelKey}.${option}`)}</span>
        </label>
      ))}
      {errors[field] ? (
        <p role="alert" className="text-sm text-red-700">
          {message(errors[field])}
        </p>
      ) : null}
    </fieldset>
  );

  const progress = onboarding.progress;
  const spaceId = progress.space?.spaceId;

  if (onboarding.status === "done") return <Result onboarding={onboarding} />;

  let body: ReactNode;
  if (progress.needsMeter && spaceId) {
    body = (
      <div className="space-y-3">
        <Alert tone="info">{t("meterNow")}</Alert>
        <RegisterWizard spaceId={spaceId} userId={userId} onRegistered={(deviceId) => run.mutate(deviceId)} />
      </div>
    );
  } else if (name === "moveOut") {
    body = (
      <div className="space-y-3">
        {text("moveOutDate", { type: "date" })}
        {choice("removeUsers", ["atDate", "now", "keep"], "removeUsersOptions")}
      </div>
    );
  } else if (name === "customer") {
    body = (
      <div className="grid gap-3 sm:grid-cols-2">
        {text("customerNumber")}
        {text("customerName")}
        {text("email", { type: "email", inputMode: "email" })}
      </div>
    );
  } else if (name === "contract") {
    body = (
      <div className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2">
          {text("contractNumber")}
          {text("startDate", { type: "date" })}
          {text("addressLineOne")}
          {text("addressLineTwo")}
          {text("postcode", { inputMode: "numeric" })}
          {text("city")}
          <Field id="ob-medium" label={t("fields.medium")} error={message(errors.medium)}>
            <Select id="ob-medium" value={String(values.medium ?? "ELECTRICITY")} disabled={initial.kind === "tenantChange"} onChange={(e) => set("medium", e.target.value)}>
              {MEDIA.map((m) => (
                <option key={m} value={m}>
                  {tMedia(m)}
                </option>
              ))}
            </Select>
          </Field>
          {text("meterId")}
        </div>
        <ParentPicker
          id="ob-parent"
          label={t("fields.parent")}
          value={parent}
          allowTop
          error={message(errors.parentSpaceId)}
          onChange={(choice) => {
            setParent(choice);
            set("parentSpaceId", choice?.id ?? "");
            set("parentName", choice?.name ?? "");
          }}
        />
        <Checks report={checks.data} />
      </div>
    );
  } else if (name === "meter") {
    body = choice("meterPath", ["contract", "wizard", "none"], "meterPaths");
  } else if (name === "invite") {
    body = (
      <div className="space-y-3">
        {choice("inviteChannel", ["space", "customer", "none"], "inviteChannels")}
        <p className="text-xs text-slate-500">{t("oneEmail")}</p>
        {values.inviteChannel === "space" ? (
          <>
            <Field id="ob-role" label={t("fields.accessRole")}>
              <Select id="ob-role" value={String(values.accessRoleId ?? "")} onChange={(e) => set("accessRoleId", e.target.value)}>
                <option value="">{t("defaultRole")}</option>
                {roles.data?.accessRoles.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </Select>
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={values.sendEmail !== false} onChange={(e) => set("sendEmail", e.target.checked)} />
              {t("fields.sendEmail")}
            </label>
          </>
        ) : null}
        {errors.email ? <Alert>{message(errors.email)}</Alert> : null}
      </div>
    );
  } else {
    const duplicates = run.error instanceof ApiError && run.error.code === "duplicates_found" ? (run.error.body.duplicates as DuplicateReport) : null;
    body = (
      <div className="space-y-3" data-testid="onboarding-review">
        <p className="text-sm">{t("review")}</p>
        <Review values={values} parent={parent} />
        <Checks report={duplicates ?? checks.data} />
        {duplicates ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={values.confirmDuplicates === true} onChange={(e) => set("confirmDuplicates", e.target.checked)} />
            {t("fields.confirmDuplicates")}
          </label>
        ) : null}
        {run.isError && !duplicates ? (
          <Alert>
            {writeError(run.error)} {t("kept")}
          </Alert>
        ) : null}
        {run.error instanceof ApiError && Object.keys(run.error.fieldErrors).length > 0 ? (
          <Alert>{Object.entries(run.error.fieldErrors).map(([field, codes]) => `${t.has(`fields.${field}`) ? t(`fields.${field}`) : field}: ${message(codes[0])}`).join(" · ")}</Alert>
        ) : null}
        <Button
          disabled={run.isPending || (duplicates !== null && values.confirmDuplicates !== true)}
          onClick={async () => {
            await saveOnboarding(initial.id, { values, step });
            run.mutate(undefined);
          }}
        >
          {run.isPending ? t("running") : run.isError ? t("retry") : initial.kind === "tenantChange" ? t("submitTenantChange") : t("submit")}
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <ol className="flex flex-wrap gap-2 text-xs" aria-label={t("title")}>
        {steps.map((s, i) => (
          <li key={s} aria-current={i === step ? "step" : undefined} className={i === step ? "rounded bg-slate-900 px-2 py-1 text-white" : "rounded bg-slate-100 px-2 py-1 text-slate-700"}>
            {i + 1}. {t(`steps.${s}`)}
          </li>
        ))}
      </ol>
      <h2 ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none">
        {t("stepOf", { step: step + 1, total: steps.length, name: t(`steps.${name}`) })}
      </h2>
      <div className="rounded-lg border border-slate-200 bg-white p-4">{body}</div>
      {progress.needsMeter ? null : (
        <div className="flex gap-2">
          {step > 0 ? (
            <Button variant="secondary" disabled={move.isPending} onClick={() => move.mutate({ to: step - 1 })}>
              {t("back")}
            </Button>
          ) : null}
          {name !== "review" ? (
            <Button disabled={move.isPending} onClick={() => move.mutate({ to: step + 1, validate: name })}>
              {t("next")}
            </Button>
          ) : null}
        </div>
      )}
      {move.isError && !(move.error instanceof ApiError && Object.keys(move.error.fieldErrors).length > 0) ? <Alert>{writeError(move.error)}</Alert> : null}
    </div>
  );
}

function Checks({ report }: { report: DuplicateReport | undefined }) {
  const t = useTranslations("onboarding");
  if (!report) return null;
  const notes: string[] = [];
  if (report.existingCustomer) notes.push(t("checks.customerExists", { number: report.existingCustomer.externalId, name: report.existingCustomer.name ?? "–" }));
  if (report.existingContract) notes.push(t("checks.contractExists"));
  for (const m of report.meterInSpaces) notes.push(t("checks.meterIn", { space: m.spaceName ?? m.spaceId, device: m.deviceName }));
  for (const s of report.sameAddressSpaces) notes.push(t("checks.addressIn", { space: s.name }));
  return (
    <div data-testid="onboarding-checks" className="space-y-1">
      <p className="text-sm font-medium">{t("checks.title")}</p>
      {notes.length === 0 ? <p className="text-sm text-slate-600">{t("checks.none")}</p> : notes.map((n) => <Alert key={n} tone="info">{n}</Alert>)}
    </div>
  );
}

function Review({ values, parent }: { values: Values; parent: ParentChoice | null }) {
  const t = useTranslations("onboarding");
  const rows: [string, string][] = [
    ["customerNumber", String(values.customerNumber ?? "")],
    ["customerName", String(values.customerName ?? "")],
    ["email", String(values.email ?? "") || "–"],
    ["contractNumber", String(values.contractNumber ?? "")],
    ["addressLineOne", [values.addressLineOne, values.addressLineTwo, `${values.postcode ?? ""} ${values.city ?? ""}`].filter(Boolean).join(", ")],
    ["parent", parent?.name ?? t("fields.parentNone")],
    ["startDate", String(values.startDate ?? "")],
    ["meterId", String(values.meterId ?? "") || "–"],
    ["meterPath", values.meterPath ? t(`meterPaths.${values.meterPath}`) : "–"],
    ["inviteChannel", values.inviteChannel ? t(`inviteChannels.${values.inviteChannel}`) : "–"],
  ];
  if (values.moveOutDate) rows.unshift(["moveOutDate", String(values.moveOutDate)], ["removeUsers", t(`removeUsersOptions.${values.removeUsers}`)]);
  return (
    <dl className="grid grid-cols-[minmax(0,12rem)_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([field, value]) => (
        <div key={field} className="contents">
          <dt className="text-slate-500">{t(`fields.${field}`)}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Result({ onboarding }: { onboarding: OnboardingView }) {
  const t = useTranslations("onboarding");
  const { progress, values } = onboarding;
  const customerId = progress.customer?.customerId;
  const spaceId = progress.space?.spaceId;
  const deviceId = progress.device && "deviceId" in progress.device ? progress.device.deviceId : null;
  return (
    <div className="space-y-3" data-testid="onboarding-result">
      <Alert tone="info">{t("done")}</Alert>
      <ul className="list-disc space-y-1 pl-5 text-sm">
        {customerId ? (
          <li>
            <Link className="text-brand-700 hover:underline" href={`/customers/${encodeURIComponent(customerId)}`}>
              {t(progress.customer?.existed ? "result.customerExisted" : "result.customer", { number: String(values.customerNumber) })}
            </Link>
          </li>
        ) : null}
        {spaceId ? (
          <li>
            <Link className="text-brand-700 hover:underline" href={`/spaces/${encodeURIComponent(spaceId)}`}>
              {t("result.space")}: {String(values.addressLineOne)}
            </Link>
          </li>
        ) : null}
        {deviceId ? (
          <li>
            <Link className="text-brand-700 hover:underline" href={`/devices/${encodeURIComponent(deviceId)}`}>
              {t("result.device")}: {String(values.meterId || deviceId)}
            </Link>
          </li>
        ) : null}
        <li>{progress.invite && "inviteId" in progress.invite ? `${t("result.invite")}: ${String(values.email)}` : progress.invite && "channel" in progress.invite ? t("result.inviteCustomer") : t("result.noInvite")}</li>
        {progress.timeWindow ? <li>{t("result.windowEnded", { date: String(values.moveOutDate) })}</li> : null}
        {progress.users === "scheduled" ? <li>{t("result.usersScheduled")}</li> : progress.users === "removed" ? <li>{t("result.usersRemoved")}</li> : null}
      </ul>
      <div className="flex flex-wrap gap-2 text-sm">
        <span className="font-medium">{t("nextSteps")}:</span>
        {customerId ? <Link className="text-brand-700 hover:underline" href={`/customers/${encodeURIComponent(customerId)}`}>{t("toCustomer")}</Link> : null}
        {spaceId ? <Link className="text-brand-700 hover:underline" href={`/spaces/${encodeURIComponent(spaceId)}`}>{t("toSpace")}</Link> : null}
        <Link className="text-brand-700 hover:underline" href="/onboarding/new">
          {t("another")}
        </Link>
      </div>
    </div>
  );
}
