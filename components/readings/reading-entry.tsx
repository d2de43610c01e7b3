"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ApiError } from "@/lib/http/api-client";
import { READING_STATUSES, type Device, type ObisCode, type ReadingStatus } from "@/lib/partner-api/schemas";
import { readingKeys } from "@/lib/readings/keys";
import { obisFor, obisInfo, UNIT_SYMBOL } from "@/lib/readings/obis";
import { parseNumber, parsePasted, type PastedRow } from "@/lib/readings/paste";
import type { Finding } from "@/lib/readings/plausibility";
import { fromBerlinLocal, toBerlinLocal } from "@/lib/readings/time";
import { submitReadings } from "./api";

interface Row {
  key: string;
  obisCode: ObisCode;
  local: string;
  value: string;
  status: ReadingStatus;
  interval: string;
  /** In the repeated autumn hour: which of the two instants is meant. */
  choice: "earlier" | "later" | "";
}

type Payload = { obisCode: ObisCode; timestamp: number; value: number; status: ReadingStatus; meteringInterval?: number };

const newRow = (obisCode: ObisCode): Row => ({
  key: crypto.randomUUID(),
  obisCode,
  local: toBerlinLocal(Math.floor(Date.now() / 1000)),
  value: "",
  status: "REAL",
  interval: "",
  choice: "",
});

/** Manual entry: several rows or rows pasted from a spreadsheet; plausibility warnings need a confirmation. */
export function ReadingEntry({ device }: { device: Device }) {
  const t = useTranslations("readings.entry");
  const locale = useLocale();
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const codes = obisFor(device.medium);
  const [rows, setRows] = useState<Row[]>(() => [newRow(codes[0]?.code ?? "1.8.0")]);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<{ payload: Payload[]; findings: Finding[][]; labels: string[] } | null>(null);
  const [pasteText, setPasteText] = useState("");
  const [pasteCode, setPasteCode] = useState<ObisCode>(codes[0]?.code ?? "1.8.0");
  const [preview, setPreview] = useState<PastedRow[] | null>(null);
  const [stored, setStored] = useState<number | null>(null);
  // Non-smart meters: a correction overwrites the reading at the same time instead of adding one.
  const nonSmart = device.deviceType === "NON_SMART_METER" || device.provider === "NON_SMART_METER_PROVIDER";
  const [correction, setCorrection] = useState(false);

  const mutation = useMutation({
    mutationFn: ({ payload, confirmed }: { payload: Payload[]; labels: string[]; confirmed: boolean }) =>
      submitReadings(device.id, { readings: payload, confirmed, correction: nonSmart && correction }),
    onSuccess: async (result, variables) => {
      setWarnings(null);
      setStored(result.stored);
      if (variables.labels[0] === "paste") {
        setPreview(null);
        setPasteText("");
      } else {
        setRows([newRow(codes[0]?.code ?? "1.8.0")]);
      }
      // Read back from the API: the chart and table show what upstream now holds.
      await queryClient.invalidateQueries({ queryKey: readingKeys.device(device.id) });
    },
    onError: (error, variables) => {
      if (error instanceof ApiError && error.code === "needs_confirmation") {
        setWarnings({ payload: variables.payload, labels: variables.labels, findings: (error.body.findings as Finding[][] | undefined) ?? [] });
      } else if (error instanceof ApiError) {
        const errors: Record<string, string> = {};
        for (const [field, messages] of Object.entries(error.fieldErrors)) {
          const index = Number(field.split(".")[1]);
          if (!Number.isNaN(index) && variables.labels[index]) errors[variables.labels[index]] = t(`errors.${messages[0]}` as never);
        }
        setRowErrors(errors);
      }
    },
  });

  function update(key: string, patch: Partial<Row>) {
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setStored(null);
  }

  function submitRows() {
    const errors: Record<string, string> = {};
    const payload: Payload[] = [];
    for (const row of rows) {
      const value = parseNumber(row.value);
      const time = fromBerlinLocal(row.local);
      if (value === null) errors[row.key] = t("errors.value");
      else if (time.kind === "invalid") errors[row.key] = t("errors.time");
      else if (time.kind === "gap") errors[row.key] = t("errors.gap");
      else if (time.kind === "ambiguous" && !row.choice) errors[row.key] = t("errors.ambiguous");
      else {
        const timestamp = time.kind === "ok" ? time.seconds : row.choice === "earlier" ? time.earlier : time.later;
        if (timestamp > Date.now() / 1000 + 120) errors[row.key] = t("errors.future");
        else payload.push({ obisCode: row.obisCode, timestamp, value, status: row.status, ...(row.interval ? { meteringInterval: Number(row.interval) * 60 } : {}) });
      }
    }
    setRowErrors(errors);
    if (Object.keys(errors).length === 0) mutation.mutate({ payload, labels: rows.map((r) => r.key), confirmed: false });
  }

  function sendPasted() {
    const valid = (preview ?? []).filter((r): r is Extract<PastedRow, { ok: true }> => r.ok);
    const payload = valid.map((r) => ({ obisCode: pasteCode, timestamp: r.timestamp, value: r.value, status: "REAL" as const }));
    mutation.mutate({ payload, labels: ["paste", ...valid.slice(1).map(() => "paste")], confirmed: false });
  }

  const unit = (code: ObisCode) => UNIT_SYMBOL[obisInfo(code)?.unit ?? "KILO_WATT_HOUR"];
  const label = (code: string) => {
    const o = obisInfo(code);
    return o ? `${o.code} ${locale === "de" ? o.de : o.en}` : code;
  };
  const validCount = preview?.filter((r) => r.ok).length ?? 0;

  if (codes.length === 0) return <Alert tone="info">{t("noCodes")}</Alert>;

  return (
    <section aria-labelledby="reading-entry-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h3 id="reading-entry-heading" className="text-sm font-semibold">
        {t("title")}
      </h3>

      <div className="space-y-2" data-testid="entry-rows">
        {rows.map((row, index) => {
          const ambiguous = fromBerlinLocal(row.local).kind === "ambiguous";
          return (
            <div key={row.key} className="flex flex-wrap items-end gap-2" data-testid="entry-row">
              <label className="text-xs">
                <span className="mb-1 block text-slate-600">{t("obis")}</span>
                <Select value={row.obisCode} onChange={(e) => update(row.key, { obisCode: e.target.value as ObisCode })} className="w-64" aria-label={`${t("obis")} ${index + 1}`}>
                  {codes.map((c) => (
                    <option key={c.code} value={c.code}>
                      {label(c.code)}
                    </option>
                  ))}
                </Select>
              </label>
              <label className="text-xs">
                <span className="mb-1 block text-slate-600">{t("time")}</span>
                <Input type="datetime-local" value={row.local} onChange={(e) => update(row.key, { local: e.target.value, choice: "" })} aria-label={`${t("time")} ${index + 1}`} />
              </label>
              {ambiguous ? (
                <label className="text-xs">
                  <span className="mb-1 block text-slate-600">{t("whichHour")}</span>
                  <Select value={row.choice} onChange={(e) => update(row.key, { choice: e.target.value as Row["choice"] })}>
                    <option value="">–</option>
                    <option value="earlier">{t("summerTime")}</option>
                    <option value="later">{t("winterTime")}</option>
                  </Select>
                </label>
              ) : null}
              <label className="text-xs">
                <span className="mb-1 block text-slate-600">
                  {t("value")} ({unit(row.obisCode)})
                </span>
                <Input inputMode="decimal" value={row.value} onChange={(e) => update(row.key, { value: e.target.value })} className="w-36" aria-label={`${t("value")} ${index + 1}`} />
              </label>
              <label className="text-xs">
                <span className="mb-1 block text-slate-600">{t("status")}</span>
                <Select value={row.status} onChange={(e) => update(row.key, { status: e.target.value as ReadingStatus })} className="w-40">
                  {READING_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`statuses.${s}`)}
                    </option>
                  ))}
                </Select>
              </label>
              <label className="text-xs">
                <span className="mb-1 block text-slate-600">{t("interval")}</span>
                <Input inputMode="numeric" value={row.interval} onChange={(e) => update(row.key, { interval: e.target.value.replace(/\D/g, "") })} className="w-24" placeholder="15" />
              </label>
              {rows.length > 1 ? (
                <Button size="sm" variant="ghost" aria-label={t("removeRow", { n: index + 1 })} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                  <Trash2 aria-hidden className="size-4" />
                </Button>
              ) : null}
              {rowErrors[row.key] ? (
                <p role="alert" className="basis-full text-xs text-red-700">
                  {rowErrors[row.key]}
                </p>
              ) : null}
              {warnings && warnings.labels[0] !== "paste" ? <RowWarnings findings={warnings.findings[warnings.labels.indexOf(row.key)] ?? []} /> : null}
            </div>
          );
        })}
        {nonSmart ? (
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4" checked={correction} onChange={(e) => setCorrection(e.target.checked)} />
            <span>
              {t("correction")}
              <span className="block text-xs text-slate-500">{t("correctionHint")}</span>
            </span>
          </label>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" onClick={() => setRows([...rows, newRow(rows.at(-1)?.obisCode ?? codes[0].code)])}>
            <Plus aria-hidden className="size-4" />
            {t("addRow")}
          </Button>
          <Button size="sm" disabled={mutation.isPending} onClick={submitRows}>
            {mutation.isPending ? t("saving") : t("save")}
          </Button>
        </div>
      </div>

      <details className="rounded-md border border-slate-200 p-3" open={!!preview}>
        <summary className="cursor-pointer text-sm font-medium">{t("pasteTitle")}</summary>
        <div className="mt-2 space-y-2">
          <p className="text-xs text-slate-500">{t("pasteHint")}</p>
          <label className="text-xs">
            <span className="mb-1 block text-slate-600">{t("obis")}</span>
            <Select value={pasteCode} onChange={(e) => setPasteCode(e.target.value as ObisCode)} className="w-64">
              {codes.map((c) => (
                <option key={c.code} value={c.code}>
                  {label(c.code)}
                </option>
              ))}
            </Select>
          </label>
          <textarea
            aria-label={t("pasteArea")}
            className="h-32 w-full rounded-md border border-slate-300 p-2 font-mono text-xs"
            value={pasteText}
            onChange={(e) => {
              setPasteText(e.target.value);
              setPreview(null);
            }}
          />
          <Button size="sm" variant="secondary" disabled={!pasteText.trim()} onClick={() => setPreview(parsePasted(pasteText))}>
            {t("preview")}
          </Button>
          {preview ? (
            <div className="space-y-2">
              <p role="status" data-testid="paste-summary" className="text-sm">
                {t("previewSummary", { valid: validCount, invalid: preview.length - validCount })}
              </p>
              <ol className="max-h-60 overflow-y-auto rounded border border-slate-200 text-xs">
                {preview.map((r) => (
                  <li key={r.line} data-testid="paste-row" data-valid={r.ok ? "true" : "false"} className={r.ok ? "flex gap-2 px-2 py-0.5" : "flex gap-2 bg-red-50 px-2 py-0.5 text-red-800"}>
                    <span className="w-8 text-slate-500">{r.line}</span>
                    <span aria-hidden>{r.ok ? "✓" : "✗"}</span>
                    <span className="font-mono">{r.text}</span>
                    {r.ok ? null : <span>– {t(`pasteErrors.${r.error}`)}</span>}
                  </li>
                ))}
              </ol>
              <Button size="sm" disabled={validCount === 0 || mutation.isPending} onClick={sendPasted}>
                {t("sendValid", { count: validCount })}
              </Button>
              {warnings && warnings.labels[0] === "paste" ? <RowWarnings findings={warnings.findings.flat()} /> : null}
            </div>
          ) : null}
        </div>
      </details>

      {warnings ? (
        <div role="alertdialog" aria-label={t("confirmTitle")} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>{t("confirmQuestion")}</p>
          <div className="flex gap-2">
            <Button size="sm" disabled={mutation.isPending} onClick={() => mutation.mutate({ payload: warnings.payload, labels: warnings.labels, confirmed: true })}>
              {t("confirm")}
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setWarnings(null)}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : null}
      {mutation.isError && !(mutation.error instanceof ApiError && (mutation.error.code === "needs_confirmation" || Object.keys(mutation.error.fieldErrors).length > 0)) ? (
        <Alert>{writeError(mutation.error)}</Alert>
      ) : null}
      {stored !== null ? (
        <p role="status" className="text-sm text-emerald-700">
          {t("stored", { count: stored })}
        </p>
      ) : null}
    </section>
  );
}

function RowWarnings({ findings }: { findings: Finding[] }) {
  const t = useTranslations("readings.entry.warnings");
  const warnings = findings.filter((f) => f.severity === "warning");
  if (warnings.length === 0) return null;
  return (
    <ul className="basis-full space-y-0.5 text-xs text-amber-800" data-testid="row-warnings">
      {warnings.map((f, i) => (
        <li key={i}>
          {f.code === "backwards"
            ? t("backwards", { previous: f.previous })
            : f.code === "jump"
              ? t("jump", { perDay: f.perDay, limit: f.limit })
              : t("beforeFirst")}
        </li>
      ))}
    </ul>
  );
}

