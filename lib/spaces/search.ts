import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { spaceIndex } from "@/lib/db/schema";
import { normalizeMelo } from "@/lib/domain/identifiers";
import { foldSearch, toBreadcrumbs, toSummary } from "./rows";
import { correctQuery } from "./search-words";
import { loadBreadcrumbs, summaryColumns } from "./tree-query";
import type { SearchField, SearchHit } from "./types";

/** Score factor of a hit found only after correcting a misspelt word. */
const TYPO_WEIGHT = 0.5;

/** Candidates per kind (spaces, devices, users) before ranking in JS; enough for any sane limit. */
const CANDIDATES = 60;

interface Candidate {
  spaceId: string;
  field: SearchField;
  value: string;
  score: number;
}

/**
 * Finds spaces by name, address, postcode, city, device identifiers (MeLo, MaLo, external id,
 * serial number), device name and user e-mail; typo-tolerant (pg_trgm), exact and prefix matches first.
 */
export async function searchSpaces(db: Database, query: string, limit = 20): Promise<SearchHit[]> {
  const q = foldSearch(query);
  if (!q) return [];
  const candidates = await findCandidates(db, query, q, limit);

  // Best match per space, best spaces first.
  const best = new Map<string, Candidate>();
  for (const c of candidates) if ((best.get(c.spaceId)?.score ?? -1) < c.score) best.set(c.spaceId, c);
  const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  if (ranked.length === 0) return [];

  const rows = await db
    .select({ ...summaryColumns, path: spaceIndex.path })
    .from(spaceIndex)
    .where(inArray(spaceIndex.id, ranked.map((c) => c.spaceId)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const crumbs = await loadBreadcrumbs(db, rows.flatMap((r) => r.path));
  return ranked.flatMap((c) => {
    const row = byId.get(c.spaceId);
    if (!row) return []; // a device or user row of a space deleted meanwhile
    return [{ space: toSummary(row), ancestors: toBreadcrumbs(row.path, crumbs), matched: { field: c.field, value: c.value }, score: round(c.score) }];
  });
}

/** Candidates from spaces, devices and users, cheapest queries first; each field scored. */
async function findCandidates(db: Database, query: string, q: string, limit: number): Promise<Candidate[]> {
  // Identifiers are pasted with spaces, dots or dashes ("DE 0004 7110 …"): compare them compact.
  const compact = normalizeMelo(query).toLowerCase();
  const looksLikeId = /^[\w\s.\-]+$/.test(query) && (compact.match(/\d/g)?.length ?? 0) >= 6;
  const idQuery = looksLikeId ? compact : q;
  const email = query.trim().toLowerCase();
  // Device names and e-mails fall back to `<%` (word similarity ≥ WORD_SIMILARITY_THRESHOLD in
  // lib/db, set per session); spaces correct misspelt words against the word list instead.
  const short = q.length < 3; // fewer than 3 characters make no trigram: prefix match only
  // An e-mail address is never in a space's address or a device; digits only (postcode, MaLo)
  // are never misspelt in a useful way and their trigrams are too common for fuzzy matching.
  const isEmail = email.includes("@");
  const fuzzy = !looksLikeId && !/^\d+$/.test(compact);
  const found: Candidate[] = [];

  // Cheapest first, each phase without ORDER BY so the index scan stops at the limit: prefix
  // (the name starts the search text), the phrase anywhere, every word anywhere. Only if that
  // finds too little are misspelt words corrected against the word list and the phases rerun.
  type SpaceRow = { id: string; name: string; address: string; postcode: string; city: string; sim: number };
  const spaces = (text: string, where: SQL) =>
    db.execute<SpaceRow>(sql`
      select id, name, address_line_one || coalesce(' ' || address_line_two, '') as address, postcode, city,
             word_similarity(${text}, search_text) as sim
      from space_index where ${where} limit ${CANDIDATES}`);
  const seen = new Set<string>();
  const collect = async (text: string, weight: number) => {
    for (const where of spacePhases(text)) {
      if (seen.size >= CANDIDATES) return;
      for (const r of (await spaces(text, where)).rows) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        const candidate = spaceCandidate(r, text);
        found.push({ ...candidate, score: candidate.score * weight });
      }
    }
  };
  // An identifier (MeLo, MaLo, serial number) is never in a space's name or address.
  if (!isEmail && !looksLikeId) {
    await collect(q, 1);
    if (!short && fuzzy && seen.size < limit) {
      const corrected = await correctQuery(db, q);
      // A corrected hit ranks below any hit of what was typed.
      if (corrected) await collect(corrected, TYPO_WEIGHT);
    }
  }

  if (!short && !isEmail) {
    type DeviceRow = { space_id: string; name: string; external_ids: string[]; serial_number: string | null; sim: number };
    const devices = (where: SQL) =>
      db.execute<DeviceRow>(sql`
        select space_id, name, external_ids, serial_number, word_similarity(${idQuery}, search_text) as sim
        from space_device_index where ${where} limit ${CANDIDATES}`);
    let rows = (await devices(sql`search_text like ${"%" + escapeLike(idQuery) + "%"}`)).rows;
    // Identifiers are matched exactly (a typo in a MeLo is another MeLo); names may be misspelt.
    if (rows.length === 0 && fuzzy && found.length === 0) rows = (await devices(sql`${idQuery} <% search_text`)).rows;
    found.push(...rows.map((r) => deviceCandidate(r, idQuery, q)));
  }

  if (!short && /[@.]/.test(email)) {
    const users = (where: SQL) =>
      db.execute<{ space_id: string; email: string; sim: number }>(sql`
        select space_id, email, word_similarity(${email}, email) as sim from space_user_index where ${where} limit ${CANDIDATES}`);
    let rows = (await users(sql`email like ${"%" + escapeLike(email) + "%"}`)).rows;
    if (rows.length === 0 && found.length < limit) rows = (await users(sql`${email} <% email`)).rows;
    found.push(...rows.map((r): Candidate => ({ spaceId: r.space_id, field: "email", value: r.email, score: Math.max(fieldScore(email, r.email), Number(r.sim)) })));
  }
  return found;
}

/** How well a query matches one field: exact 3, prefix 2, contained 1, else trigram word similarity (0..1). */
export function fieldScore(q: string, value: string): number {
  const v = foldSearch(value);
  if (!v) return 0;
  if (v === q) return 3;
  if (v.startsWith(q)) return 2;
  if (v.includes(q)) return 1;
  return trigramWordSimilarity(q, v);
}

function spaceCandidate(r: { id: string; name: string; address: string; postcode: string; city: string; sim: number }, q: string): Candidate {
  const fields: [SearchField, string][] = [
    ["name", r.name],
    ["address", r.address],
    ["postcode", r.postcode],
    ["city", r.city],
  ];
  let best: Candidate = { spaceId: r.id, field: "name", value: r.name, score: -1 };
  for (const [field, value] of fields) {
    const score = fieldScore(q, value);
    // Ties go to the earlier field (name before address before postcode before city).
    if (score > best.score) best = { spaceId: r.id, field, value, score };
  }
  // The name counts most: an exact name beats the same text in someone's address.
  const bonus = best.field === "name" ? 0.5 : 0;
  return { ...best, score: Math.max(best.score, Number(r.sim)) + bonus };
}

function deviceCandidate(
  r: { space_id: string; name: string; external_ids: string[]; serial_number: string | null; sim: number },
  idQuery: string,
  q: string,
): Candidate {
  const options: Candidate[] = [
    ...(r.serial_number ? [{ spaceId: r.space_id, field: "serialNumber" as const, value: r.serial_number, score: fieldScore(idQuery, r.serial_number) }] : []),
    ...r.external_ids
      .filter((id) => id !== r.serial_number)
      .map((id) => ({ spaceId: r.space_id, field: "externalId" as const, value: id, score: fieldScore(idQuery, id) })),
    { spaceId: r.space_id, field: "deviceName", value: r.name, score: fieldScore(q, r.name) },
  ];
  const best = options.reduce((a, b) => (b.score > a.score ? b : a));
  return { ...best, score: Math.max(best.score, Number(r.sim)) };
}

/** pg_trgm's word_similarity in JS, only to pick which field of a hit matched (never to filter). */
function trigramWordSimilarity(q: string, text: string): number {
  const grams = (s: string) => {
    const out = new Set<string>();
    for (const word of s.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
      const padded = `  ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
    }
    return out;
  };
  const qg = grams(q);
  if (qg.size === 0) return 0;
  const tg = grams(text);
  let common = 0;
  for (const g of qg) if (tg.has(g)) common++;
  return common / qg.size;
}

/** Prefix, phrase anywhere, and (for several words) each word anywhere; short text: prefix only. */
function spacePhases(text: string): SQL[] {
  const phases = [sql`search_text like ${escapeLike(text) + "%"}`];
  if (text.length < 3) return phases;
  phases.push(sql`search_text like ${"%" + escapeLike(text) + "%"}`);
  const words = text.split(" ").filter((w) => w.length >= 2);
  if (words.length > 1) phases.push(sql.join(words.map((w) => sql`search_text like ${"%" + escapeLike(w) + "%"}`), sql` and `));
  return phases;
}

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

const round = (n: number) => Math.round(n * 1_000) / 1_000;
