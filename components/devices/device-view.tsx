"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronRight, Link2, Pencil, Trash2, Unlink } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { DeviceReadings } from "@/components/readings/device-readings";
import { useCan } from "@/components/session/role-context";
import { DeviceStatusBadge } from "@/components/spaces/device-status-badge";
import { ParentPicker, type ParentChoice } from "@/components/spaces/parent-picker";
import { useSpaceLabels } from "@/components/spaces/use-labels";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Button } from "@/components/ui/button";
import { DialogButton, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { deviceKeys } from "@/lib/devices/keys";
import type { DeviceDetail } from "@/lib/devices/types";
import { ApiError } from "@/lib/http/api-client";
import { spaceKeys } from "@/lib/spaces/keys";
import { deleteDevice, editDevice, fetchDevice, linkDevice, unlinkDevice } from "./api";

/** One device in plain words, what staff may change, and its readings. */
export function DeviceView({ id }: { id: string }) {
  const t = useTranslations("devices");
  const labels = useSpaceLabels();
  const time = useBerlinTime();
  const params = useSearchParams();
  const canWrite = useCan("devices.write");
  const canDelete = useCan("devices.delete");
  const query = useQuery({ queryKey: deviceKeys.detail(id), queryFn: ({ signal }) => fetchDevice(id, signal) });

  if (query.isPending) return <p role="status" className="text-sm text-slate-500">{t("loading")}</p>;
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return <Alert>{notFound ? t("notFound") : `${t("loadError")} ${query.error.message}`}</Alert>;
  }
  const { device, spaceId, spaces } = query.data;
  const home = spaces.find((s) => s.id === spaceId);
  const rows: [string, string][] = [
    [t("fields.deviceType"), labels.deviceType(device.deviceType)],
    [t("fields.deviceMedium"), labels.medium(device.medium)],
    [t("provider"), device.providerName ?? device.provider ?? "–"],
    [t("directions"), (device.directions ?? []).join(", ") || "–"],
    [t("externalIds"), [device.externalDeviceId, ...(device.externalDeviceIds ?? [])].filter(Boolean).join(", ") || "–"],
    [t("fields.isMainDevice"), device.isMainDevice ? t("yes") : t("no")],
    [t("firstReading"), time(device.firstReadingTime)],
    [t("latestReading"), time(device.latestReadingTime)],
    [t("created"), time(device.createdAt)],
    ...(device.metaData ?? []).map((m): [string, string] => [m.label, m.value]),
    [t("id"), device.id],
  ];

  return (
    <div className="space-y-5">
      {home ? (
        <nav aria-label={t("breadcrumb")} className="flex flex-wrap items-center gap-1 text-sm text-slate-600">
          {[...home.ancestors, { id: home.id, name: home.name }].map((crumb, i) => (
            <span key={crumb.id} className="flex items-center gap-1">
              {i > 0 ? <ChevronRight aria-hidden className="size-3.5 text-slate-400" /> : null}
              <Link href={`/spaces/${encodeURIComponent(crumb.id)}`} className="hover:underline">
                {crumb.name}
              </Link>
            </span>
          ))}
        </nav>
      ) : null}
      <header className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-semibold" data-testid="device-name">
            {device.name}
          </h1>
          <p className="mt-1 flex items-center gap-2 text-sm">
            <DeviceStatusBadge status={device.status} errorMessage={device.errorMessage} />
            {device.errorMessage ? <span className="text-red-700">{device.errorMessage}</span> : null}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canWrite ? <EditButton detail={query.data} /> : null}
          {canWrite ? <LinkButton detail={query.data} /> : null}
          {canDelete ? <UnlinkButton detail={query.data} /> : null}
          {canDelete ? <DeleteButton detail={query.data} /> : null}
        </div>
      </header>

      {params.get("registered") ? (
        <Alert tone="info">
          {t("registeredNext")}{" "}
          <a href="#readings" className="font-medium underline">
            {t("nextReading")}
          </a>
          {" · "}
          <Link href={`/spaces/${encodeURIComponent(spaceId)}?tab=invites`} className="font-medium underline">
            {t("nextInvite")}
          </Link>
        </Alert>
      ) : null}

      <dl className="grid max-w-3xl grid-cols-[12rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
        <dt className="text-slate-500">{t("spaces")}</dt>
        <dd>
          {spaces.map((s) => (
            <Link key={s.id} href={`/spaces/${encodeURIComponent(s.id)}`} className="mr-3 hover:underline">
              {s.name}
            </Link>
          ))}
        </dd>
      </dl>

      <section id="readings" aria-labelledby="readings-heading" className="space-y-2">
        <h2 id="readings-heading" className="text-base font-semibold">
          {t("readings")}
        </h2>
        <DeviceReadings device={device} />
      </section>
    </div>
  );
}

function useDeviceChanged(detail: DeviceDetail) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: deviceKeys.detail(detail.device.id) });
    for (const s of detail.spaces) await queryClient.invalidateQueries({ queryKey: spaceKeys.detail(s.id) });
  };
}

function EditButton({ detail }: { detail: DeviceDetail }) {
  const t = useTranslations("devices");
  return (
    <DialogButton label={t("edit")} icon={<Pencil aria-hidden className="size-4" />} title={t("editTitle")} testId="edit-device-dialog">
      {(close) => <EditForm detail={detail} onClose={close} />}
    </DialogButton>
  );
}

function EditForm({ detail, onClose }: { detail: DeviceDetail; onClose: () => void }) {
  const t = useTranslations("devices");
  const writeError = useWriteError();
  const changed = useDeviceChanged(detail);
  const { device, spaceId } = detail;
  const [values, setValues] = useState({
    deviceName: device.name,
    isMainDevice: device.isMainDevice,
    externalDeviceId: device.externalDeviceId ?? "",
    meteringLocationId: (device.externalDeviceIds ?? []).find((x) => x.startsWith("DE")) ?? "",
    serialNumber: "",
  });
  const mutation = useMutation({
    mutationFn: () => editDevice(device.id, { spaceId, ...values, serialNumber: values.serialNumber || undefined, externalDeviceId: values.externalDeviceId || undefined }),
    onSuccess: async () => {
      await changed();
      onClose();
    },
  });
  const fieldErrors = mutation.error instanceof ApiError ? mutation.error.fieldErrors : {};
  return (
    <form noValidate className="space-y-3" onSubmit={(e) => (e.preventDefault(), mutation.mutate())}>
      {(["deviceName", "externalDeviceId", "meteringLocationId", "serialNumber"] as const).map((name) => (
        <Field key={name} id={`edit-${name}`} label={t(`fields.${name}`)} error={fieldErrors[name]?.[0] ? (t.has(`errors.${fieldErrors[name][0]}`) ? t(`errors.${fieldErrors[name][0]}`) : fieldErrors[name][0]) : undefined}>
          <Input id={`edit-${name}`} value={values[name]} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
        </Field>
      ))}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4" checked={values.isMainDevice} onChange={(e) => setValues({ ...values, isMainDevice: e.target.checked })} />
        {t("fields.isMainDevice")}
      </label>
      {mutation.isError && Object.keys(fieldErrors).length === 0 ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button type="submit" disabled={mutation.isPending}>
          {t("save")}
        </Button>
      </DialogFooter>
    </form>
  );
}

function LinkButton({ detail }: { detail: DeviceDetail }) {
  const t = useTranslations("devices");
  return (
    <DialogButton label={t("link")} icon={<Link2 aria-hidden className="size-4" />} title={t("linkTitle")}>
      {(close) => <LinkForm detail={detail} onClose={close} />}
    </DialogButton>
  );
}

function LinkForm({ detail, onClose }: { detail: DeviceDetail; onClose: () => void }) {
  const t = useTranslations("devices");
  const writeError = useWriteError();
  const changed = useDeviceChanged(detail);
  const [target, setTarget] = useState<ParentChoice | null>(null);
  const mutation = useMutation({
    mutationFn: () => linkDevice(detail.device.id, target!.id),
    onSuccess: async () => {
      await changed();
      onClose();
    },
  });
  return (
    <div className="space-y-3">
      <ParentPicker id="link-space" label={t("linkTarget")} value={target} onChange={setTarget} disabledReason={(hit) => (detail.spaces.some((s) => s.id === hit.space.id) ? t("alreadyLinked") : null)} />
      {mutation.isError ? <Alert>{writeError(mutation.error)}</Alert> : null}
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {t("cancel")}
        </Button>
        <Button disabled={!target || mutation.isPending} onClick={() => mutation.mutate()}>
          {t("link")}
        </Button>
      </DialogFooter>
    </div>
  );
}

function UnlinkButton({ detail }: { detail: DeviceDetail }) {
  const t = useTranslations("devices");
  const changed = useDeviceChanged(detail);
  const home = detail.spaces.find((s) => s.id === detail.spaceId);
  return (
    <DialogButton label={t("unlink")} icon={<Unlink aria-hidden className="size-4" />} title={t("unlinkTitle", { space: home?.name ?? detail.spaceId })} size="sm">
      {(close) => <ConfirmAction explain={t("unlinkExplain")} confirm={t("unlink")} onClose={close} run={() => unlinkDevice(detail.device.id, detail.spaceId)} onDone={changed} />}
    </DialogButton>
  );
}

function DeleteButton({ detail }: { detail: DeviceDetail }) {
  const t = useTranslations("devices");
  const router = useRouter();
  return (
    <DialogButton label={t("delete")} icon={<Trash2 aria-hidden className="size-4" />} variant="danger" title={t("deleteTitle", { name: detail.device.name })} size="sm" testId="delete-device-dialog">
      {(close) => (
        <ConfirmAction
          explain={t("deleteExplain", { spaces: detail.spaces.length })}
          confirm={t("deleteConfirm")}
          onClose={close}
          run={() => deleteDevice(detail.device.id)}
          onDone={async () => router.push(`/spaces/${encodeURIComponent(detail.spaceId)}?tab=devices`)}
        />
      )}
    </DialogButton>
  );
}

