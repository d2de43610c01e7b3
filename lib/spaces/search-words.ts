import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { searchWords, spaceIndex } from "@/lib/db/schema";

/**
 * The word list typo-tolerant search corrects against (lib/db/schema.ts `search_words`).
 * Fuzzy matching a misspelt word against a few thousand distinct words is cheap; fuzzy matching
 * it against 20,000 addresses that share common trigrams is not (it took 700 ms).
 */

/** Shorter words are not corrected: too many neighbours at edit distance one. */
export const MIN_CORRECTED_WORD_LENGTH = 4;

type Executor = Pick<Database, "execute">;

/** Replaces the word list with the words of every indexed space (after a full refresh). */
export async function rebuildSearchWords(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(searchWords);
    await tx.execute(sql`
      insert into ${searchWords} (word)
      select distinct w from ${spaceIndex}, regexp_split_to_table(${spaceIndex.searchText}, ' ') as w
      where length(w) >= ${MIN_CORRECTED_WORD_LENGTH} and w ~ '[[:alpha:]]'
      on conflict do nothing`);
  });
}

/** Adds the words of search texts the dashboard wrote itself (a created or renamed space). */
export async function addSearchWords(db: Executor, searchText: string): Promise<void> {
  const words = wordsOf(searchText);
  if (words.length === 0) return;
  await db.execute(sql`
    insert into ${searchWords} (word) select jsonb_array_elements_text(${JSON.stringify(words)}::jsonb)
    on conflict do nothing`);
}

export function wordsOf(folded: string): string[] {
  return [...new Set(folded.split(" ").filter((w) => w.length >= MIN_CORRECTED_WORD_LENGTH && /\p{L}/u.test(w)))];
}

/**
 * The query with each unknown word replaced by the closest known word, or null when nothing
 * needed (or allowed) a correction. "Closest": among the nearest words by trigram distance, the
 * one with the fewest edits (a swapped pair counts as one), at most 1 edit for words up to
 * 6 letters and 2 beyond.
 */
export async function correctQuery(db: Executor, folded: string): Promise<string | null> {
  const words = folded.split(" ");
  const candidates = wordsOf(folded);
  if (candidates.length === 0) return null;
  const known = new Set(
    (await db.execute<{ word: string }>(sql`select word from ${searchWords} where word in (select jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb))`)).rows.map(
      (r) => r.word,
    ),
  );
  const replacements = new Map<string, string>();
  for (const word of candidates) {
    if (known.has(word)) continue;
    const near = await db.execute<{ word: string }>(sql`
      select word from ${searchWords} order by word <-> ${word} limit 12`);
    const limit = word.length <= 6 ? 1 : 2;
    let best: { word: string; edits: number } | null = null;
    for (const { word: candidate } of near.rows) {
      const edits = editDistance(word, candidate);
      if (edits <= limit && (!best || edits < best.edits)) best = { word: candidate, edits };
    }
    if (best) replacements.set(word, best.word);
  }
  if (replacements.size === 0) return null;
  return words.map((w) => replacements.get(w) ?? w).join(" ");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
