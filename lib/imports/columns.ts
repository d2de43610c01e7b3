/**
 * The fields an ERP export's columns map to, with the header names each is guessed from
 * (German and English, compared without case, spaces, dashes and dots). No `server-only`: the
 * mapping form uses the same list.
 */
export const IMPORT_FIELDS = [
  "customerNumber",
  "customerName",
  "email",
  "contractNumber",
  "addressLineOne",
  "addressLineTwo",
  "postcode",
  "city",
  "parent",
  "medium",
  "meterId",
  "meterKind",
  "startDate",
  "accessRole",
  "sendInvite",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Without these a row cannot become a customer with a contract. */
export const REQUIRED_FIELDS: readonly ImportField[] = ["customerNumber", "customerName", "contractNumber", "addressLineOne", "postcode", "city", "startDate"];

const SYNONYMS: Record<ImportField, string[]> = {
  customerNumber: ["kundennummer", "kundennr", "kdnr", "debitor", "debitorennummer", "geschäftspartner", "geschaeftspartner", "customernumber", "customerno", "customerid", "customer"],
  customerName: ["name", "kundenname", "kunde", "nameKunde", "vollername", "customername", "fullname"],
  email: ["email", "mail", "emailadresse", "emailaddress"],
  contractNumber: ["vertragsnummer", "vertragsnr", "vertrag", "vertragskonto", "contractnumber", "contractno", "contract", "contractid"],
  addressLineOne: ["straßeundhausnummer", "strasseundhausnummer", "straße", "strasse", "adresse", "anschrift", "street", "address", "addresslineone", "addressline1"],
  addressLineTwo: ["adresszusatz", "zusatz", "wohnung", "lage", "addresslinetwo", "addressline2", "apartment", "unit"],
  postcode: ["plz", "postleitzahl", "postcode", "zip", "zipcode", "postalcode"],
  city: ["ort", "stadt", "wohnort", "city", "town"],
  parent: ["übergeordnetesobjekt", "uebergeordnetesobjekt", "objekt", "liegenschaft", "gebäude", "gebaeude", "parent", "parentspace", "building", "property"],
  medium: ["medium", "sparte", "energieart", "commodity"],
  meterId: ["melomalo", "melo", "malo", "messlokation", "marktlokation", "zählpunkt", "zaehlpunkt", "meterid", "meteringpoint"],
  meterKind: ["zählerart", "zaehlerart", "zählertyp", "zaehlertyp", "meterkind", "metertype"],
  startDate: ["vertragsbeginn", "beginn", "lieferbeginn", "einzug", "startdatum", "startdate", "start", "contractstart"],
  accessRole: ["zugriffsrolle", "rolle", "accessrole", "role"],
  sendInvite: ["einladungsenden", "einladung", "einladen", "sendinvite", "invite"],
};

const normalise = (header: string) => header.toLowerCase().replace(/[\s_\-./()]+/g, "");

/**
 * Field → column index, guessed from the headers: an exact synonym wins over a header that only
 * starts with one; each column is used at most once; unmatched fields stay unmapped.
 */
export function guessMapping(headers: readonly string[]): Partial<Record<ImportField, number>> {
  const normalised = headers.map(normalise);
  const mapping: Partial<Record<ImportField, number>> = {};
  const used = new Set<number>();
  for (const exact of [true, false]) {
    for (const field of IMPORT_FIELDS) {
      if (mapping[field] !== undefined) continue;
      const synonyms = SYNONYMS[field].map(normalise);
      const index = normalised.findIndex((h, i) => !used.has(i) && synonyms.some((s) => (exact ? h === s : h.startsWith(s))));
      if (index >= 0) {
        mapping[field] = index;
        used.add(index);
      }
    }
  }
  return mapping;
}

/** A saved mapping (field → header name) applied to a file: each field to the column with that header, case-insensitive; absent headers stay unmapped. */
export function applyPreset(columns: Partial<Record<ImportField, string>>, headers: readonly string[]): Partial<Record<ImportField, number>> {
  const lower = headers.map((h) => h.trim().toLowerCase());
  const mapping: Partial<Record<ImportField, number>> = {};
  for (const [field, header] of Object.entries(columns)) {
    const index = lower.indexOf(String(header).trim().toLowerCase());
    if (index >= 0) mapping[field as ImportField] = index;
  }
  return mapping;
}
