"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { EmptyNote } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { customerKeys } from "@/lib/customers/keys";
import { applyPreset, IMPORT_FIELDS, REQUIRED_FIELDS, type ImportField } from "@/lib/imports/columns";
import { describeRowProblem } from "@/lib/imports/describe";
import { importKeys } from "@/lib/imports/keys";
import type { ImportJobView, ImportRowView } from "@/lib/imports/types";
import { spaceKeys } from "@/lib/spaces/keys";
import { controlImport, fetchImport, fetchImportRows, fetchPresets, importCsvHref, replanImport, savePreset } from "./api";

const ACTIVE = new Set(["queued", "running", "paused"]);

/** /onboarding/import/:id — the preview of a draft, then the job's progress and result. */
export function ImportJob({ id }: { id: string }) {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: importKeys.job(id),
    queryFn: ({ signal }) => fetchImport(id, signal),
    // A running job is watched every second; a draft or a finished one is not polled.
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.job.status) ? 1_000 : false),
  });
  const status = query.data?.job.status;
  const previous = useRef(status);
  useEffect(() => {
    // Finished: the space tree, the search and the customers list show the new rows without a manual refresh.
    if (previous.current && previous.current !== "done" && status === "done") {
      void queryClient.invalidateQueries({ queryKey: spaceKeys.all });
      void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      void queryClient.invalidateQueries({ queryKey: importKeys.rows(id, "") });
    }
    previous.current = status;
  }, [status, queryClient, id]);

  if (query.isPending) return <EmptyNote>{t("loading")}</EmptyNote>;
  if (query.isError) return <Alert>{`${t("loadError")} ${writeError(query.error)}`}</Alert>;
  const job = query.data.job;
  return job.status === "draft" ? <DraftJob job={job} /> : <RunningJob job={job} />;
}

function DraftJob({ job }: { job: ImportJobView }) {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<Partial<Record<ImportField, number>>>(job.mapping);
  const [existing, setExisting] = useState(job.existing);
  const setJob = (next: { job: ImportJobView }) => {
    queryClient.setQueryData(importKeys.job(job.id), next);
    void queryClient.invalidateQueries({ queryKey: [...importKeys.all, "rows", job.id] });
  };
  const replan = useMutation({ mutationFn: () => replanImport(job.id, { mapping, existing }), onSuccess: setJob });
  const start = useMutation({ mutationFn: () => controlImport(job.id, "start"), onSuccess: setJob });
  const c = job.counts.plan;
  const dirty = JSON.stringify(mapping) !== JSON.stringify(job.mapping) || existing !== job.existing;
  return (
    <div className="space-y-4">
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="mapping-title">
        <div>
          <h2 id="mapping-title" className="text-base font-semibold">
            {t("mapping")}
          </h2>
          <p className="text-sm text-slate-600">{t("mappingHint")}</p>
        </div>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {IMPORT_FIELDS.map((field) => (
            <label key={field} className="block text-sm">
              <span className="font-medium text-slate-700">
                {t(`fields.${field}`)}
                {REQUIRED_FIELDS.includes(field) ? <span className="text-xs font-normal text-slate-500"> ({t("required")})</span> : null}
              </span>
              <Select
                value={mapping[field] === undefined ? "" : String(mapping[field])}
                onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value === "" ? undefined : Number(e.target.value) }))}
              >
                <option value="">{t("notMapped")}</option>
                {job.headers.map((h, i) => (
                  <option key={i} value={i}>
                    {h}
                  </option>
                ))}
              </Select>
            </label>
          ))}
          <label className="block text-sm">
            <span className="font-medium text-slate-700">{t("existing")}</span>
            <Select value={existing} onChange={(e) => setExisting(e.target.value as "update" | "skip")}>
              <option value="skip">{t("existingSkip")}</option>
              <option value="update">{t("existingUpdate")}</option>
            </Select>
          </label>
        </div>
        {replan.isError ? <Alert>{writeError(replan.error)}</Alert> : null}
        <div className="flex flex-wrap items-end gap-3">
          <Button variant="secondary" disabled={!dirty || replan.isPending} onClick={() => replan.mutate()}>
            {t("recheck")}
          </Button>
          <Presets job={job} mapping={mapping} onApply={setMapping} />
        </div>
      </section>

      <section className="flex flex-wrap items-center gap-3" aria-live="polite">
        <p className="text-sm font-medium" data-testid="import-summary">
          {t("summary", { create: c.create, update: c.update, unchanged: c.unchanged, error: c.error })}
        </p>
        {c.error > 0 ? (
          <a href={importCsvHref(job.id, "errors")} download className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
            {t("downloadErrors")}
          </a>
        ) : null}
        <span className="flex-1" />
        {start.isError ? <Alert>{writeError(start.error)}</Alert> : null}
        <Button disabled={dirty || start.isPending || c.create + c.update === 0} onClick={() => start.mutate()}>
          {t("startJob", { count: c.create + c.update })}
        </Button>
      </section>
      <RowsTable job={job} filters="plan" />
    </div>
  );
}

/** Saved mappings: apply one to this file, or save the one shown under a name. */
function Presets({ job, mapping, onApply }: { job: ImportJobView; mapping: Partial<Record<ImportField, number>>; onApply: (m: Partial<Record<ImportField, number>>) => void }) {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const queryClient = useQueryClient();
  const presets = useQuery({ queryKey: importKeys.presets(), queryFn: ({ signal }) => fetchPresets(signal) });
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => savePreset({ name: name.trim(), jobId: job.id, mapping }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.presets() }),
  });
  return (
    <>
      {presets.data && presets.data.presets.length > 0 ? (
        <label className="block text-sm">
          <span className="font-medium text-slate-700">{t("applyPreset")}</span>
          <Select
            value=""
            onChange={(e) => {
              const preset = presets.data.presets.find((p) => p.id === e.target.value);
              if (preset) onApply(applyPreset(preset.columns, job.headers));
            }}
          >
            <option value="">{t("choosePreset")}</option>
            {presets.data.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      <form
        noValidate
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const error = !name.trim() ? t("presetNameRequired") : name.trim().length > 80 ? t("problems.tooLong") : null;
          setNameError(error);
          if (!error) save.mutate();
        }}
      >
        <Field id="preset-name" label={t("presetName")} error={nameError ?? undefined}>
          <Input id="preset-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? "preset-name-error" : undefined} />
        </Field>
        <Button type="submit" variant="secondary" disabled={save.isPending}>
          {t("savePreset")}
        </Button>
        {save.isSuccess ? <span role="status" className="pb-2 text-sm text-emerald-700">{t("presetSaved")}</span> : null}
        {save.isError ? <Alert>{writeError(save.error)}</Alert> : null}
      </form>
    </>
  );
}

function RunningJob({ job }: { job: ImportJobView }) {
  const t = useTranslations("imports");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const queryClient = useQueryClient();
  const control = useMutation({ mutationFn: (action: Parameters<typeof controlImport>[1]) => controlImport(job.id, action), onSuccess: (next) => queryClient.setQueryData(importKeys.job(job.id), next) });
  const s = job.counts.state;
  const work = job.counts.plan.create + job.counts.plan.update;
  const processed = s.done + s.failed;
  const percent = work === 0 ? 100 : Math.round((100 * processed) / work);
  return (
    <div className="space-y-4">
      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="progress-title">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="progress-title" className="text-base font-semibold">
            {t("progress")}
          </h2>
          <Badge tone={job.status === "done" ? (s.failed > 0 ? "danger" : "success") : "neutral"}>{t(`statuses.${job.status}`)}</Badge>
        </div>
        <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t("progress")} className="h-3 overflow-hidden rounded bg-slate-100">
          <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <p className="text-sm tabular-nums" data-testid="import-progress">
          {t("progressLabel", { done: processed, total: work })}
          {job.rowsPerSecond ? ` · ${t("speed", { rate: job.rowsPerSecond.toFixed(1) })}` : ""}
          {job.etaSeconds ? ` · ${t("eta", { time: duration(job.etaSeconds) })}` : ""}
        </p>
        <p className="flex flex-wrap gap-2 text-xs" data-testid="import-states">
          {(["pending", "running", "done", "failed", "skipped"] as const).map((state) => (
            <span key={state} className="rounded bg-slate-100 px-2 py-0.5">
              {t(`states.${state}`)}: <span className="tabular-nums">{s[state]}</span>
            </span>
          ))}
        </p>
        {job.pausedUntil ? <Alert tone="info">{t("waitingRateLimit", { time: time(job.pausedUntil) })}</Alert> : null}
        {control.isError ? <Alert>{writeError(control.error)}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          {job.status === "queued" || job.status === "running" ? (
            <Button variant="secondary" onClick={() => control.mutate("pause")} disabled={control.isPending}>
              {t("pause")}
            </Button>
          ) : null}
          {job.status === "paused" ? (
            <Button variant="secondary" onClick={() => control.mutate("resume")} disabled={control.isPending}>
              {t("resume")}
            </Button>
          ) : null}
          {ACTIVE.has(job.status) ? (
            <Button variant="ghost" onClick={() => window.confirm(t("confirmCancel")) && control.mutate("cancel")} disabled={control.isPending}>
              {t("cancel")}
            </Button>
          ) : null}
          {s.failed > 0 && job.status !== "cancelled" ? (
            <Button variant="secondary" onClick={() => control.mutate("retryFailed")} disabled={control.isPending}>
              {t("retryFailed")}
            </Button>
          ) : null}
          <a href={importCsvHref(job.id, "result")} download className="self-center text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
            {t("downloadResult")}
          </a>
        </div>
      </section>
      <section className="space-y-2" aria-labelledby="errors-title">
        <h2 id="errors-title" className="text-base font-semibold">
          {t("recentErrors")}
        </h2>
        {job.recentErrors.length === 0 ? <EmptyNote>{t("noErrors")}</EmptyNote> : null}
        <ul className="space-y-1 text-sm" data-testid="import-recent-errors">
          {job.recentErrors.map((r) => (
            <li key={r.rowNo}>
              <span className="font-medium tabular-nums">
                {t("row")} {r.rowNo}:
              </span>{" "}
              <RowProblem job={job} row={r} />
            </li>
          ))}
        </ul>
      </section>
      <RowsTable job={job} filters="state" />
    </div>
  );
}

function RowProblem({ job, row }: { job: ImportJobView; row: ImportRowView }) {
  const t = useTranslations("imports");
  return <>{describeRowProblem((key, values) => t(key as "title", values as never), job.headers, job.mapping, row)}</>;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}

const ROW_HEIGHT = 36;

/**
 * Every row of the file, 500 at a time as the list scrolls, only the visible ones in the DOM
 * (50,000 rows stay smooth). A bad cell is marked and says why; the filter shows one plan/state.
 */
function RowsTable({ job, filters }: { job: ImportJobView; filters: "plan" | "state" }) {
  const t = useTranslations("imports");
  const [filter, setFilter] = useState("");
  const query = useInfiniteQuery({
    queryKey: importKeys.rows(job.id, `${filters}:${filter}:${filters === "state" ? job.counts.state.done + job.counts.state.failed : ""}`),
    queryFn: ({ pageParam, signal }) => fetchImportRows(job.id, filters === "plan" ? { plan: filter || undefined } : { state: filter || undefined }, pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextAfter,
  });
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read every render on purpose
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);
  useEffect(() => {
    if (last && last.index >= rows.length - 20 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [last, rows.length, query]);
  const options = filters === "plan" ? (["create", "update", "unchanged", "error"] as const) : (["pending", "running", "done", "failed", "skipped"] as const);
  const columns = `4rem 7rem minmax(16rem, 2fr) ${job.headers.map(() => "minmax(8rem, 1fr)").join(" ")}`;
  return (
    <section className="space-y-2" aria-label={t("rows")}>
      <label className="flex items-center gap-2 text-sm">
        <span className="font-medium">{t("filter")}</span>
        <Select value={filter} onChange={(e) => setFilter(e.target.value)} className="w-48">
          <option value="">{t("filterAll")}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {filters === "plan" ? t(`plans.${o}`) : t(`states.${o}`)}
            </option>
          ))}
        </Select>
      </label>
      <div ref={scroller} className="h-[28rem] overflow-auto rounded-lg border border-slate-200 bg-white text-sm" role="table" aria-label={t("rows")} aria-rowcount={rows.length + 1}>
        <div role="row" className="sticky top-0 z-10 grid border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500" style={{ gridTemplateColumns: columns, minWidth: "max-content" }}>
          <span role="columnheader" className="px-2 py-2">
            {t("row")}
          </span>
          <span role="columnheader" className="px-2 py-2">
            {filters === "plan" ? t("plan") : t("state")}
          </span>
          <span role="columnheader" className="px-2 py-2">
            {t("reason")}
          </span>
          {job.headers.map((h, i) => (
            <span key={i} role="columnheader" className="truncate px-2 py-2">
              {h}
            </span>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth: "max-content" }}>
          {items.map((item) => {
            const row = rows[item.index];
            return <RowLine key={row.rowNo} job={job} row={row} filters={filters} columns={columns} top={item.start} />;
          })}
        </div>
        {rows.length === 0 && !query.isPending ? <p className="p-3 text-slate-500">{t("noErrors")}</p> : null}
      </div>
    </section>
  );
}

function RowLine({ job, row, filters, columns, top }: { job: ImportJobView; row: ImportRowView; filters: "plan" | "state"; columns: string; top: number }) {
  const t = useTranslations("imports");
  const fieldOfColumn = new Map(Object.entries(job.mapping).map(([field, index]) => [index, field as ImportField]));
  const problem = describeRowProblem((key, values) => t(key as "title", values as never), job.headers, job.mapping, row);
  const tone = row.plan === "error" || row.state === "failed" ? "danger" : row.state === "done" ? "success" : "neutral";
  return (
    <div
      role="row"
      data-testid="import-row"
      data-row={row.rowNo}
      data-plan={row.plan}
      data-state={row.state}
      title={problem || undefined}
      className="absolute left-0 grid w-full border-b border-slate-100"
      style={{ gridTemplateColumns: columns, height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <span role="cell" className="px-2 py-2 tabular-nums text-slate-500">
        {row.rowNo}
      </span>
      <span role="cell" className="px-2 py-1.5">
        <Badge tone={tone}>{filters === "plan" ? t(`plans.${row.plan}`) : t(`states.${row.state}`)}</Badge>
      </span>
      <span role="cell" className="truncate px-2 py-2 text-red-800" data-testid="import-row-reason">
        {problem}
      </span>
      {row.cells.map((cell, i) => {
        const field = fieldOfColumn.get(i);
        const codes = field ? row.errors?.[field] : undefined;
        return (
          <span
            key={i}
            role="cell"
            data-error={codes ? codes.join(" ") : undefined}
            className={codes ? "truncate bg-red-50 px-2 py-2 text-red-800 ring-1 ring-inset ring-red-300" : "truncate px-2 py-2"}
            title={codes ? codes.map((c) => (t.has(`problems.${c.replace(/\./g, "_")}`) ? t(`problems.${c.replace(/\./g, "_")}`) : c)).join(" ") : cell}
          >
            {cell || (codes ? "∅" : "")}
          </span>
        );
      })}
    </div>
  );
}
