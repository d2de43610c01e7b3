"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useWriteError } from "@/components/spaces/use-field-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import { onboardingKeys } from "@/lib/onboarding/keys";
import { discardOnboarding, fetchOpenOnboardings } from "./api";

/** The caller's unfinished onboardings and tenant changes, to resume or discard. */
export function OnboardingList() {
  const t = useTranslations("onboarding");
  const writeError = useWriteError();
  const time = useBerlinTime();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: onboardingKeys.open(), queryFn: ({ signal }) => fetchOpenOnboardings(signal) });
  const discard = useMutation({ mutationFn: discardOnboarding, onSuccess: () => queryClient.invalidateQueries({ queryKey: onboardingKeys.open() }) });
  return (
    <section className="space-y-2">
      <h2 className="text-base font-semibold">{t("open")}</h2>
      {query.isError ? <Alert>{writeError(query.error)}</Alert> : null}
      {query.data?.onboardings.length === 0 ? <EmptyNote>{t("noOpen")}</EmptyNote> : null}
      {query.data && query.data.onboardings.length > 0 ? (
        <Table
          caption={t("open")}
          head={
            <>
              <Th>{t("fields.customerNumber")}</Th>
              <Th>{t("fields.customerName")}</Th>
              <Th>{t("steps.contract")}</Th>
              <Th>{t("updated")}</Th>
              <Th>{t("kind.customer")}</Th>
              <Th />
            </>
          }
        >
          {query.data.onboardings.map((o) => (
            <tr key={o.id} data-testid="onboarding-row">
              <Td className="font-mono text-xs">{String(o.values.customerNumber ?? "–")}</Td>
              <Td>{String(o.values.customerName ?? "–")}</Td>
              <Td>{String(o.values.contractNumber ?? "–")}</Td>
              <Td>{time(o.updatedAt)}</Td>
              <Td>
                {t(`kind.${o.kind}`)} · {t(`status.${o.status}`)}
              </Td>
              <Td className="whitespace-nowrap text-right">
                <Link href={`/onboarding/${o.id}`} className="mr-2 text-brand-700 hover:underline">
                  {t("resume")}
                </Link>
                <Button size="sm" variant="ghost" disabled={discard.isPending || o.status === "running"} onClick={() => discard.mutate(o.id)}>
                  {t("discard")}
                </Button>
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
