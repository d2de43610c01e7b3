/**
 * The downloadable import template (issue 13, "Upload"): the expected columns with German
 * headers, semicolon-separated as German Excel expects, UTF-8 with a BOM so Excel shows the
 * umlauts, and two example rows that pass validation.
 */
import Papa from "papaparse";

/** The template's columns, in order. */
export const IMPORT_TEMPLATE_HEADERS = [
  "Kundennummer",
  "Name",
  "E-Mail",
  "Vertragsnummer",
  "Straße und Hausnummer",
  "Adresszusatz",
  "PLZ",
  "Ort",
  "Übergeordnetes Objekt",
  "Medium",
  "MeLo/MaLo",
  "Zählerart",
  "Vertragsbeginn",
  "Zugriffsrolle",
  "Einladung senden",
] as const;

export type ImportTemplateHeader = (typeof IMPORT_TEMPLATE_HEADERS)[number];

/**
 * Two example customers in Nürnberg: one electricity contract with a MaLo (check digit valid),
 * one gas contract with a 33-character MeLo.
 */
export const IMPORT_TEMPLATE_EXAMPLES: readonly Readonly<Record<ImportTemplateHeader, string>>[] = [
  {
    Kundennummer: "K-100001",
    Name: "Anna Müller",
    "E-Mail": "anna.mueller@example.de",
    Vertragsnummer: "V-2027-000001",
    "Straße und Hausnummer": "Königstraße 12",
    Adresszusatz: "2. OG links",
    PLZ: "90402",
    Ort: "Nürnberg",
    "Übergeordnetes Objekt": "Wohnanlage Altstadt",
    Medium: "ELECTRICITY",
    "MeLo/MaLo": "51238696781",
    Zählerart: "SMART_METER",
    Vertragsbeginn: "2027-01-01",
    Zugriffsrolle: "Bewohner",
    "Einladung senden": "ja",
  },
  {
    Kundennummer: "K-100002",
    Name: "Jürgen Weiß",
    "E-Mail": "juergen.weiss@example.de",
    Vertragsnummer: "V-2027-000002",
    "Straße und Hausnummer": "Äußere Sulzbacher Straße 118",
    Adresszusatz: "",
    PLZ: "90491",
    Ort: "Nürnberg",
    "Übergeordnetes Objekt": "Wohnanlage Altstadt",
    Medium: "GAS",
    "MeLo/MaLo": "DE0005629049100000000000000012345",
    Zählerart: "GAS_METER",
    Vertragsbeginn: "2027-01-01",
    Zugriffsrolle: "Bewohner",
    "Einladung senden": "nein",
  },
];

/** The template file's text (starts with a BOM; CRLF line ends, as Excel writes them). */
export function importTemplateCsv(): string {
  const rows = [
    [...IMPORT_TEMPLATE_HEADERS],
    ...IMPORT_TEMPLATE_EXAMPLES.map((example) => IMPORT_TEMPLATE_HEADERS.map((header) => example[header])),
  ];
  return `\uFEFF${Papa.unparse(rows, { delimiter: ";", newline: "\r\n" })}\r\n`;
}
