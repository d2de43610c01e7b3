/**
 * Which parts of a matched value to highlight for a search query. People type identifiers with
 * spaces or dots between the parts (`DE 000562 66802 …`), so each word of the query is
 * highlighted on its own, case-insensitively, and overlapping matches merge.
 */
export interface Segment {
  text: string;
  match: boolean;
}

export function highlightSegments(text: string, query: string): Segment[] {
  const words = query
    .toLowerCase()
    .split(/[\s.,;]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0 || text.length === 0) return text ? [{ text, match: false }] : [];

  const lower = text.toLowerCase();
  const marked = new Array<boolean>(text.length).fill(false);
  for (const word of words) {
    let from = 0;
    while (from <= lower.length - word.length) {
      const at = lower.indexOf(word, from);
      if (at < 0) break;
      marked.fill(true, at, at + word.length);
      from = at + word.length;
    }
  }

  const segments: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      segments.push({ text: text.slice(start, i), match: marked[start] });
      start = i;
    }
  }
  return segments;
}
