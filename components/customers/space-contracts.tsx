"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { createOnboarding } from "@/components/onboarding/api";
import { useCan } from "@/components/session/role-context";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { customerKeys } from "@/lib/customers/keys";
import { fetchSpaceContracts } from "./api";

/** On a space page: the customer and contract behind the space (from the contract ledger), and the tenant change. */
export function SpaceContracts({ spaceId }: { spaceId: string }) {
  const t = useTranslations("customers");
  const writeError = useWriteError();
  const router = useRouter();
  const canOnboard = useCan("onboarding.write");
  const query = useQuery({ queryKey: customerKeys.ofSpace(spaceId), queryFn: ({ signal }) => fetchSpaceContracts(spaceId, signal) });
  const change = useMutation({
    mutationFn: (contractId: string) => createOnboarding("tenantChange", contractId),
    onSuccess: ({ onboarding }) => router.push(`/onboarding/${onboarding.id}`),
  });
  const current = query.data?.contracts.filter((c) => !c.windowEnd) ?? [];
  if (current.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="space-contract">
      {current.map((c) => (
        <span key={c.id} className="flex flex-wrap items-center gap-2">
          <Link href={`/customers/${encodeURIComponent(c.customerId)}`} className="text-brand-700 hover:underline">
            {t("spaceContract", { customer: c.customerName ? `${c.customerName} (${c.customerExternalId})` : c.customerExternalId, contract: c.externalId })}
          </Link>
          {canOnboard && c.externalDeviceId ? (
            <Button size="sm" variant="secondary" disabled={change.isPending} onClick={() => change.mutate(c.id)}>
              {t("tenantChange")}
            </Button>
          ) : null}
        </span>
      ))}
      {change.isError ? <Alert>{writeError(change.error)}</Alert> : null}
    </div>
  );
}
