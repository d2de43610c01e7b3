import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
if (!process.execArgv.includes("--conditions=react-server")) {
  const run = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
const { sql } = await import("drizzle-orm");
const { createDatabase } = await import("../lib/db");
const { spaceToRow } = await import("../lib/spaces/rows");
const { rebuildSearchWords } = await import("../lib/spaces/search-words");
const { searchSpaces } = await import("../lib/spaces/search");
const { buildForest } = await import("../lib/spaces/tree");
const spaces = JSON.parse(readFileSync("/tmp/spaces20k.json", "utf8"));
const h = await createDatabase({ dataDir: "memory://" });
const db = h.db;
const positions = buildForest(spaces.map((s: any) => ({ id: s.id, parentId: s.parentSpaceId })));
for (let i = 0; i < spaces.length; i += 1000) {
  const rows = spaces.slice(i, i + 1000).map((s: any) => { const r = spaceToRow(s); const p = positions.get(s.id)!; return { ...r, placement: p.placement, path: p.path }; });
  await db.execute(sql`insert into space_index (id, name, address_line_one, address_line_two, postcode, city, country, category, parent_id, search_text, raw, placement, path)
    select "id", "name", "addressLineOne", "addressLineTwo", "postcode", "city", "country", "category", "parentId", "searchText", "raw", "placement", "path" from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v("id" text, "name" text, "addressLineOne" text, "addressLineTwo" text, "postcode" text, "city" text, "country" text, "category" text, "parentId" text, "searchText" text, "raw" jsonb, "placement" text, "path" text[])`);
}
await rebuildSearchWords(db);
console.log("words", (await db.execute(sql`select count(*) from search_words`)).rows);
await db.execute(sql`analyze`);
if (process.env.CLEAN) { const a = performance.now(); console.log((await db.execute(sql`select gin_clean_pending_list('space_index_search_trgm_idx'::regclass)`)).rows, performance.now() - a); }
const misspell = (w: string) => { const i = Math.floor(w.length / 2); return w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1); };
const pick = (n: number) => Array.from({ length: n }, (_, i) => spaces[Math.floor((i * spaces.length) / n)]);
const kinds: Record<string, string[]> = {
  name: pick(100).map((s: any) => s.name),
  city: pick(100).map((s: any) => misspell(s.city)),
  postcode: pick(100).map((s: any) => s.postcode),
};
for (const [k, qs] of Object.entries(process.env.SKIP ? {} : kinds)) {
  const t: number[] = [];
  for (const q of qs) { const a = performance.now(); await searchSpaces(db, q); t.push(performance.now() - a); }
  t.sort((a, b) => a - b);
  console.log(k, "p50", t[50].toFixed(1), "p95", t[95].toFixed(1));
}
const show = async (q: string) => { const r = await db.execute(sql.raw(q)); console.log(r.rows.map((x: any) => x["QUERY PLAN"]).filter((l: string) => /Execution|Scan on|Bitmap/.test(l)).join("\n")); };
await show(`explain analyze select id from space_index where search_text like '%lueebck%' limit 60`);
await show(`explain analyze with m as materialized (select id from space_index where search_text like '%lueebck%') select * from m limit 60`);
await show(`explain analyze with m as materialized (select id from space_index where search_text like 'lueebck%') select * from m limit 60`);
await show(`explain analyze with m as materialized (select id from space_index where search_text like '%luebeck%') select * from m limit 60`);
await show(`explain analyze with m as materialized (select id from space_index where search_text like 'wohnung 1. og links%') select * from m limit 60`);
await show(`explain analyze select id from space_index where search_text like 'wohnung 1. og links%' limit 60`);
await h.close();
