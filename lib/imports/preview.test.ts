/**
 * planRows on both databases: duplicates within the file (only the later row is marked), what
 * exists (a contract in the ledger: update or unchanged; a meter in another space), the parent
 * (by id, name path, contract number; unknown, ambiguous), the summary, and the time for 50,000 rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/lib/db";
import { contracts, spaceDeviceIndex, spaceIndex } from "@/lib/db/schema";
import { maloCheckDigit } from "@/lib/domain/identifiers";
import type { PartnerClient } from "@/lib/partner-api";
import { testDatabases } from "@/lib/testing/databases";
import { IMPORT_FIELDS, type ImportField } from "./columns";
import { planRows, summarise, type PlannedRow } from "./preview";

const MAPPING = Object.fromEntries(IMPORT_FIELDS.map((f, i) => [f, i])) as Record<ImportField, number>;

const malo = (n: number) => {
  const first = String(1_000_000_000 + n);
  return `${first}${maloCheckDigit(first)}`;
};
const melo = (n: number) => `DE000562904910000000000${String(n).padStart(10, "0")}`;

const ROLE_ID = "role-bewohner-0001";
// planRows asks the partner API only for the access roles.
const client = {
  getAccessRoles: async () => ({ accessRoles: [{ id: ROLE_ID, name: "Bewohner", description: "", permissionIds: [], isDefault: true }] }),
} as unknown as PartnerClient;

let seq = 0;
function row(patch: Partial<Record<ImportField, string>> = {}): string[] {
  const n = ++seq;
  const values: Record<ImportField, string> = {
    customerNumber: `K-${n}`,
    customerName: `Kunde ${n}`,
    email: `kunde${n}@example.de`,
    contractNumber: `V-${n}`,
    addressLineOne: `Teststraße ${n}`,
    addressLineTwo: "",
    postcode: "90402",
    city: "Nürnberg",
    parent: "",
    medium: "Strom",
    meterId: "",
    meterKind: "",
    startDate: "01.01.2027",
    accessRole: "",
    sendInvite: "nein",
    ...patch,
  };
  return IMPORT_FIELDS.map((f) => values[f]);
}

const space = (id: string, name: string, parentId: string | null) => ({
  id,
  name,
  addressLineOne: `${name} 1`,
  postcode: "90402",
  city: "Nürnberg",
  category: "BUILDING",
  parentId,
  searchText: name.toLowerCase(),
  raw: {},
});

const KNOWN = { customer: "K-KNOWN", contract: "V-KNOWN", space: "space-known", meter: malo(900) };
const ELSEWHERE_METER = melo(901);

describe.each(testDatabases())("planRows on $name", ({ open }) => {
  let handle: DatabaseHandle;
  let db: Database;
  const plan = (rows: string[][], existing: "update" | "skip" = "skip") => planRows(db, client, rows, MAPPING, existing);

  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    await db.insert(spaceIndex).values([
      space("space-city", "Nürnberg", null),
      space("space-house", "Hauptstr. 5", "space-city"),
      space("space-twin-a", "Doppelhaus", null),
      space("space-twin-b", "Doppelhaus", "space-city"),
      space(KNOWN.space, "Wohnung 3", "space-house"),
      space("space-other", "Fremde Wohnung", null),
    ]);
    await db.insert(contracts).values({
      customerId: "cust-known",
      customerExternalId: KNOWN.customer,
      externalId: KNOWN.contract,
      contractId: "contract-known",
      spaceId: KNOWN.space,
      externalDeviceId: KNOWN.meter,
      medium: "ELECTRICITY",
      startDate: "2026-01-01",
      createdByEmail: "staff@example.test",
    });
    const device = (spaceId: string, deviceId: string, externalIds: string[]) => ({ spaceId, deviceId, name: deviceId, deviceType: "EXTERNAL", medium: "ELECTRICITY", status: "ACTIVE", isMain: true, externalIds, searchText: externalIds.join(" "), raw: {} });
    await db.insert(spaceDeviceIndex).values([device(KNOWN.space, "device-known", [KNOWN.meter]), device("space-other", "device-other", [ELSEWHERE_METER])]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const errorsOf = (r: PlannedRow) => r.errors ?? {};

  it("a new valid row is planned as create, with the onboarding's values", async () => {
    const [r] = await plan([row({ meterId: malo(1), sendInvite: "ja", accessRole: "bewohner" })]);
    expect(r).toMatchObject({ rowNo: 1, plan: "create", errors: null });
    expect(r.values).toMatchObject({ meterId: malo(1), meterPath: "contract", inviteChannel: "space", accessRoleId: ROLE_ID, medium: "ELECTRICITY", startDate: "2027-01-01", confirmDuplicates: true });
  });

  it("a row rowValues refuses is an error row with its field errors", async () => {
    const [r] = await plan([row({ postcode: "123" })]);
    expect(r).toMatchObject({ plan: "error", values: null, errors: { postcode: ["postcode"] } });
  });

  it("the same contract number twice (any case) marks only the later row as duplicateInFile", async () => {
    const rows = [row({ contractNumber: "V-DUP-1" }), row(), row({ contractNumber: "v-dup-1" }), row({ contractNumber: "V-DUP-1" })];
    const planned = await plan(rows);
    expect(planned.map((r) => r.plan)).toEqual(["create", "create", "error", "error"]);
    expect(errorsOf(planned[2])).toEqual({ contractNumber: ["duplicateInFile"] });
    expect(errorsOf(planned[3])).toEqual({ contractNumber: ["duplicateInFile"] });
    expect(planned.map((r) => r.rowNo)).toEqual([1, 2, 3, 4]);
    expect(planned[2].cells).toEqual(rows[2]);
  });

  it("the same meter on two rows (MeLo written differently) marks only the later row", async () => {
    const spaced = melo(5).replace(/(.{2})(.{6})(.{5})/, "$1 $2 $3 ");
    const planned = await plan([row({ meterId: melo(5) }), row({ meterId: malo(6) }), row({ meterId: spaced }), row({ meterId: malo(6) })]);
    expect(planned.map((r) => r.plan)).toEqual(["create", "create", "error", "error"]);
    expect(errorsOf(planned[2])).toEqual({ meterId: ["duplicateInFile"] });
    expect(errorsOf(planned[3])).toEqual({ meterId: ["duplicateInFile"] });
  });

  it("an invalid earlier row does not make a later one a duplicate", async () => {
    const planned = await plan([row({ contractNumber: "V-BAD-FIRST", postcode: "1" }), row({ contractNumber: "V-BAD-FIRST" })]);
    expect(planned.map((r) => r.plan)).toEqual(["error", "create"]);
  });

  it("a contract in the ledger is unchanged when existing rows are skipped", async () => {
    const [r] = await plan([row({ customerNumber: KNOWN.customer, contractNumber: KNOWN.contract, meterId: KNOWN.meter, sendInvite: "ja" })], "skip");
    expect(r.plan).toBe("unchanged");
    expect(r.errors).toBeNull();
  });

  it("a contract in the ledger is update when existing rows are sent again, and an update sends no invite", async () => {
    const [r] = await plan([row({ customerNumber: KNOWN.customer, contractNumber: KNOWN.contract, meterId: KNOWN.meter, sendInvite: "ja" })], "update");
    expect(r.plan).toBe("update");
    expect(r.values).toMatchObject({ inviteChannel: "none", customerNumber: KNOWN.customer, contractNumber: KNOWN.contract });
    // A new contract in the same file still gets its invite.
    const [fresh] = await plan([row({ sendInvite: "ja" })], "update");
    expect(fresh).toMatchObject({ plan: "create", values: { inviteChannel: "space" } });
  });

  it("the same contract number for another customer is not the known contract", async () => {
    const [r] = await plan([row({ contractNumber: KNOWN.contract })], "update");
    expect(r.plan).toBe("create");
  });

  it("a meter already in another space is meterElsewhere; its own contract's meter is not", async () => {
    const [elsewhere] = await plan([row({ meterId: ELSEWHERE_METER })]);
    expect(elsewhere).toMatchObject({ plan: "error", errors: { meterId: ["meterElsewhere"] } });
    // The known meter on a new contract: it is in the known contract's space, another one.
    const [taken] = await plan([row({ meterId: KNOWN.meter })]);
    expect(taken).toMatchObject({ plan: "error", errors: { meterId: ["meterElsewhere"] } });
    const [own] = await plan([row({ customerNumber: KNOWN.customer, contractNumber: KNOWN.contract, meterId: KNOWN.meter })], "update");
    expect(own.plan).toBe("update");
  });

  describe("the parent", () => {
    const parentOf = async (parent: string) => (await plan([row({ parent })]))[0];

    it("by id", async () => {
      expect((await parentOf("space-house")).values?.parentSpaceId).toBe("space-house");
    });
    it("by a unique name, in any case", async () => {
      expect((await parentOf("hauptstr. 5")).values?.parentSpaceId).toBe("space-house");
    });
    it("by name path, with / or >, spaces around the separator optional", async () => {
      expect((await parentOf("Nürnberg / Hauptstr. 5")).values?.parentSpaceId).toBe("space-house");
      expect((await parentOf("nürnberg/hauptstr. 5")).values?.parentSpaceId).toBe("space-house");
      expect((await parentOf("Nürnberg > Hauptstr. 5 > Wohnung 3")).values?.parentSpaceId).toBe(KNOWN.space);
      // A path names the space from the top: the twin under Nürnberg, not the one at the top.
      expect((await parentOf("Nürnberg / Doppelhaus")).values?.parentSpaceId).toBe("space-twin-b");
      expect((await parentOf("Doppelhaus / Nürnberg")).errors).toEqual({ parent: ["parentUnknown"] });
    });
    it("by a contract number in the ledger: that contract's space", async () => {
      expect((await parentOf(KNOWN.contract)).values?.parentSpaceId).toBe(KNOWN.space);
      expect((await parentOf(KNOWN.contract.toLowerCase())).values?.parentSpaceId).toBe(KNOWN.space);
    });
    it("unknown: parentUnknown", async () => {
      for (const parent of ["Gibt es nicht", "Nürnberg / Nebenstr. 9", "space-nope"]) {
        expect(await parentOf(parent), parent).toMatchObject({ plan: "error", values: null, errors: { parent: ["parentUnknown"] } });
      }
    });
    it("two spaces with the same name: parentAmbiguous", async () => {
      expect(await parentOf("Doppelhaus")).toMatchObject({ plan: "error", errors: { parent: ["parentAmbiguous"] } });
    });
  });

  it("an unknown access role: accessRoleUnknown", async () => {
    const [r] = await plan([row({ accessRole: "Hausmeister", sendInvite: "ja" })]);
    expect(r).toMatchObject({ plan: "error", errors: { accessRole: ["accessRoleUnknown"] } });
  });

  it("summarise counts the plans", async () => {
    const planned = await plan(
      [
        row(),
        row(),
        row({ postcode: "x" }),
        row({ customerNumber: KNOWN.customer, contractNumber: KNOWN.contract }),
        row({ parent: "Doppelhaus" }),
        row({ contractNumber: "V-S-1" }),
        row({ contractNumber: "V-S-1" }),
      ],
      "skip",
    );
    expect(summarise(planned)).toEqual({ create: 3, update: 0, unchanged: 1, error: 3 });
    expect(summarise([])).toEqual({ create: 0, update: 0, unchanged: 0, error: 0 });
    const asUpdate = await plan([row({ customerNumber: KNOWN.customer, contractNumber: KNOWN.contract }), row()], "update");
    expect(summarise(asUpdate)).toEqual({ create: 1, update: 1, unchanged: 0, error: 0 });
  });

  it("plans 50,000 valid rows", async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) =>
      row({ contractNumber: `V-BIG-${i}`, customerNumber: `K-BIG-${i}`, meterId: i % 2 ? malo(10_000 + i) : melo(10_000 + i), parent: i % 3 === 0 ? "Nürnberg / Hauptstr. 5" : "" }),
    );
    const started = performance.now();
    const planned = await plan(rows);
    const ms = performance.now() - started;
    console.log(`planRows: 50,000 rows in ${Math.round(ms)} ms`);
    expect(planned).toHaveLength(50_000);
    expect(summarise(planned)).toEqual({ create: 50_000, update: 0, unchanged: 0, error: 0 });
    expect(planned[49_999].rowNo).toBe(50_000);
  }, 120_000);
});
