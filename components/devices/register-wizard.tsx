"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import { fetchSpaceDetail } from "@/components/spaces/api";
import { useSpaceLabels } from "@/components/spaces/use-labels";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { deviceTypesFor, READING_UNIT_BY_MEDIUM } from "@/lib/devices/matrix";
import { CONSENT_MAX_BYTES, PROVIDER_FIELD_NAMES, PROVIDER_KINDS, stepErrors, type DraftValues, type ProviderKind } from "@/lib/devices/schemas";
import { ApiError } from "@/lib/http/api-client";
import { MEDIA, type Medium } from "@/lib/partner-api/schemas";
import { spaceKeys } from "@/lib/spaces/keys";
import { registerDevice } from "./api";

const STEPS = ["kind", "device", "provider", "review"] as const;

interface Draft {
  step: number;
  kind: ProviderKind | null;
  values: DraftValues;
  /** One key per draft: a retry after an upstream failure reuses it and still makes one device. */
  idempotencyKey: string;
}

const emptyDraft = (): Draft => ({ step: 0, kind: null, values: { deviceName: "", deviceMedium: "ELECTRICITY", deviceType: "", isMainDevice: false, excludedFromCost: false }, idempotencyKey: crypto.randomUUID() });

/** localStorage key of a draft: per staff member and space. */
const draftKey = (userId: string, spaceId: string) => `zf.device-draft.${userId}.${spaceId}`;

function loadDraft(key: string): Draft {
  try {
    const stored = window.localStorage.getItem(key);
    if (stored) return JSON.parse(stored) as Draft;
  } catch {
    // a broken draft starts over
  }
  return emptyDraft();
}

const NUMBER_FIELDS = new Set(["conversionFactor", "consumptionReadingValue", "ingestionReadingValue"]);

/**
 * The registration wizard: how the data arrives → the device → provider details → review.
 * Every change is kept in the browser, so a reload or an upstream failure loses nothing.
 */
export function RegisterWizard({ spaceId, userId, onRegistered }: { spaceId: string; userId: string; /** Inside another flow (onboarding): called instead of opening the device page. */ onRegistered?: (deviceId: string) => void }) {
  const t = useTranslations("devices");
  const labels = useSpaceLabels();
  const writeError = useWriteError();
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const storageKey = draftKey(userId, spaceId);
  const [draft, setDraftState] = useState<Draft>(() => loadDraft(storageKey));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const space = useQuery({ queryKey: spaceKeys.detail(spaceId), queryFn: ({ signal }) => fetchSpaceDetail(spaceId, signal) });

  function setDraft(next: Draft) {
    setDraftState(next);
    window.localStorage.setItem(storageKey, JSON.stringify(next));
  }
  const set = (name: string, value: string | boolean) => setDraft({ ...draft, values: { ...draft.values, [name]: value } });

  // True while the server checks upstream whether a registration whose answer was lost exists.
  const [checking, setChecking] = useState(false);
  const mutation = useMutation({
    mutationFn: () => registerDevice(spaceId, { kind: draft.kind, ...draft.values }, draft.idempotencyKey, setChecking),
    onSuccess: ({ deviceId }) => {
      window.localStorage.removeItem(storageKey);
      if (onRegistered) onRegistered(deviceId);
      else router.push(`/devices/${encodeURIComponent(deviceId)}?registered=1`);
    },
    onError: (error) => {
      if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
        setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [k, v[0]])));
      }
    },
  });

  const kind = draft.kind;
  const step = STEPS[draft.step];
  const medium = (draft.values.deviceMedium as Medium) || "ELECTRICITY";
  const currentMain = space.data?.devices?.find((d) => d.isMainDevice && d.medium === medium);
  const message = (code: string | undefined) => (code ? (t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.invalid")) : undefined);

  function next() {
    if (step === "kind" && !kind) return setErrors({ kind: "required" });
    if ((step === "device" || step === "provider") && kind) {
      const found = stepErrors(step, kind, draft.values);
      setErrors(found);
      if (Object.keys(found).length > 0) return;
    }
    setErrors({});
    setDraft({ ...draft, step: draft.step + 1 });
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.type !== "application/pdf") return setErrors({ declarationOfConsent: "consent.notPdf" });
    if (file.size > CONSENT_MAX_BYTES) return setErrors({ declarationOfConsent: "consent.tooLarge" });
    const base64 = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",")[1] ?? "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    setErrors({});
    setDraft({ ...draft, values: { ...draft.values, declarationOfConsent: base64, declarationFileName: file.name } });
  }

  const field = (name: string) => {
    const id = `device-${name}`;
    const value = draft.values[name];
    const common = { id, "aria-invalid": errors[name] ? true : undefined, "aria-describedby": errors[name] ? `${id}-error` : undefined };
    let control;
    if (name === "declarationOfConsent") {
      control = (
        <div className="space-y-1">
          <Input {...common} type="file" accept="application/pdf" onChange={onFile} />
          {draft.values.declarationFileName ? <p className="text-xs text-slate-600">{t("fileChosen", { name: String(draft.values.declarationFileName) })}</p> : null}
        </div>
      );
    } else if (name === "declarationFileName") {
      return null;
    } else if (name === "readingTime") {
      control = <Input {...common} type="datetime-local" value={String(value ?? "")} onChange={(e) => set(name, e.target.value)} />;
    } else if (name === "readingUnit") {
      control = (
        <Select {...common} value={String(value ?? "")} onChange={(e) => set(name, e.target.value)}>
          <option value="">{t("choose")}</option>
          <option value="KILO_WATT_HOUR">kWh</option>
          <option value="CUBIC_METRE">m³</option>
        </Select>
      );
    } else {
      control = <Input {...common} inputMode={NUMBER_FIELDS.has(name) ? "decimal" : undefined} value={String(value ?? "")} onChange={(e) => set(name, e.target.value)} />;
    }
    return (
      <Field key={name} id={id} label={t(`fields.${name}`)} error={message(errors[name])}>
        {control}
      </Field>
    );
  };

  return (
    <div className="max-w-2xl space-y-4">
      <ol className="flex flex-wrap gap-2 text-xs" aria-label={t("steps")}>
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === draft.step ? "step" : undefined} className={i === draft.step ? "rounded-full bg-brand-600 px-2.5 py-1 text-white" : "rounded-full bg-slate-100 px-2.5 py-1 text-slate-600"}>
            {i + 1}. {t(`step.${s}`)}
          </li>
        ))}
      </ol>

      {step === "kind" ? (
        <fieldset className="space-y-2">
          <legend className="mb-2 text-sm font-medium">{t("kindQuestion")}</legend>
          {PROVIDER_KINDS.map((k) => (
            <label key={k} className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 bg-white p-3 has-[:checked]:border-brand-600">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setDraft({ ...draft, kind: k })} className="mt-1" />
              <span>
                <span className="block text-sm font-medium">{t(`kinds.${k}.title`)}</span>
                <span className="block text-xs text-slate-600">{t(`kinds.${k}.when`)}</span>
              </span>
            </label>
          ))}
          {errors.kind ? <p role="alert" className="text-sm text-red-700">{t("errors.kindRequired")}</p> : null}
        </fieldset>
      ) : null}

      {step === "device" && kind ? (
        <div className="space-y-3">
          {field("deviceName")}
          <Field id="device-deviceMedium" label={t("fields.deviceMedium")} error={message(errors.deviceMedium)}>
            <Select id="device-deviceMedium" value={medium} onChange={(e) => setDraft({ ...draft, values: { ...draft.values, deviceMedium: e.target.value, deviceType: "", readingUnit: READING_UNIT_BY_MEDIUM[e.target.value as Medium] } })}>
              {MEDIA.map((m) => (
                <option key={m} value={m}>
                  {labels.medium(m)}
                </option>
              ))}
            </Select>
          </Field>
          {kind !== "nonSmart" ? (
            <Field id="device-deviceType" label={t("fields.deviceType")} error={message(errors.deviceType)}>
              <Select id="device-deviceType" value={String(draft.values.deviceType ?? "")} onChange={(e) => set("deviceType", e.target.value)}>
                <option value="">{t("choose")}</option>
                {deviceTypesFor(medium).map((type) => (
                  <option key={type} value={type}>
                    {labels.deviceType(type)}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4" checked={draft.values.isMainDevice === true} onChange={(e) => set("isMainDevice", e.target.checked)} />
            {t("fields.isMainDevice")}
          </label>
          {errors.isMainDevice ? <p role="alert" className="text-sm text-red-700">{message(errors.isMainDevice)}</p> : null}
          {currentMain && draft.values.isMainDevice === true ? <Alert tone="info">{t("replacesMain", { name: currentMain.name })}</Alert> : null}
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4" checked={draft.values.excludedFromCost === true} onChange={(e) => set("excludedFromCost", e.target.checked)} />
            {t("fields.excludedFromCost")}
          </label>
        </div>
      ) : null}

      {step === "provider" && kind ? <div className="space-y-3">{PROVIDER_FIELD_NAMES[kind].map(field)}</div> : null}

      {step === "review" && kind ? (
        <div className="space-y-3">
          <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1 text-sm" data-testid="review">
            <dt className="text-slate-500">{t("review.kind")}</dt>
            <dd>{t(`kinds.${kind}.title`)}</dd>
            {["deviceName", "deviceMedium", ...(kind === "nonSmart" ? [] : ["deviceType"]), ...PROVIDER_FIELD_NAMES[kind].filter((n) => n !== "declarationOfConsent")].map((name) =>
              draft.values[name] !== undefined && draft.values[name] !== "" ? (
                <div key={name} className="contents">
                  <dt className="text-slate-500">{t(`fields.${name}`)}</dt>
                  <dd className="break-all">{String(draft.values[name])}</dd>
                </div>
              ) : null,
            )}
            <dt className="text-slate-500">{t("fields.isMainDevice")}</dt>
            <dd>{draft.values.isMainDevice ? t("yes") : t("no")}</dd>
          </dl>
          {checking ? <Alert tone="info">{tErrors("checking")}</Alert> : null}
          {mutation.isError ? (
            <Alert>
              {writeError(mutation.error)} {t("draftKept")}
            </Alert>
          ) : null}
        </div>
      ) : null}

      <div className="flex gap-2">
        {draft.step > 0 ? (
          <Button variant="secondary" onClick={() => setDraft({ ...draft, step: draft.step - 1 })}>
            {t("back")}
          </Button>
        ) : null}
        {step !== "review" ? (
          <Button onClick={next}>{t("next")}</Button>
        ) : (
          <Button disabled={mutation.isPending} onClick={() => mutation.mutate()}>
            {mutation.isPending ? t("registering") : mutation.isError ? t("retry") : t("register")}
          </Button>
        )}
        <Button
          variant="ghost"
          onClick={() => {
            window.localStorage.removeItem(storageKey);
            router.push(`/spaces/${encodeURIComponent(spaceId)}?tab=devices`);
          }}
        >
          {t("discard")}
        </Button>
      </div>
    </div>
  );
}
