"use client";

import { useTranslations } from "next-intl";
import { EmptyNote, Table, Td, Th } from "@/components/ui/table";
import { useBerlinTime } from "@/components/ui/use-berlin-time";
import type { SpaceDetail } from "@/lib/spaces/types";

/** The users tab of a space page: who has access, live from the partner API. */
export function SpaceUsersTab({ detail }: { detail: SpaceDetail }) {
  const t = useTranslations("spacePage");
  const time = useBerlinTime();
  const { users } = detail;
  if (!users) return <EmptyNote>{t("liveMissing")}</EmptyNote>;
  if (users.length === 0) return <EmptyNote>{t("noUsers")}</EmptyNote>;
  return (
    <Table
      caption={t("tabs.users")}
      head={
        <>
          <Th>{t("userName")}</Th>
          <Th>{t("email")}</Th>
          <Th>{t("lastLogin")}</Th>
        </>
      }
    >
      {users.map((u) => (
        <tr key={u.id} data-testid="user-row">
          <Td>{u.name || "–"}</Td>
          <Td>{u.email}</Td>
          <Td className="tabular-nums">{time(u.lastLogin)}</Td>
        </tr>
      ))}
    </Table>
  );
}
