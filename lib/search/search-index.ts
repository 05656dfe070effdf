/**
 * Answers a popup search from the term table (lib/search/terms.ts) without
 * reading every original: the docs of the typed words' prefixes are read from
 * a few rows and intersected, at most a few hundred candidates' metadata rows
 * are read and checked, and fuse.js ranks those (docs/search.md).
 */
import Dexie from 'dexie';
import Fuse from 'fuse.js';
import type { OriginalMeta } from '../index/types';
import { foldText } from '../text/normalize';
import { Lru, readOriginals, type ActiveIndex, type IndexDb, type Segment } from '../store/index-db';
import { OUTLET_MARK, originalTerms, prefixes, queryWords, rowDocs, textTerms, type SearchRow } from './terms';

/** Rows listed at most per word and range (each holds up to ROW_DOCS docs): a word with more is too common to read whole. */
const BASE_ROWS = 32;
/** Rows read of a word too common to read whole (its first terms' docs, which candidates are checked against the other words). */
const COMMON_ROWS = 6;
/** Other words are intersected when their docs lie in at most this many rows; beyond, candidates are checked against their titles. */
const FILTER_ROWS = 8;
/** Candidates' metadata read per round, and at most in all. */
const BATCH = 150;
const MAX_CHECKED = 900;
/** Checked candidates handed to fuse.js. */
const RANKED = 60;
/** Candidates' metadata kept between searches (a typed word's next letter checks mostly the same candidates). */
const KEPT_METAS = 2048;

export interface SearchOptions {
  /** Results wanted. */
  limit?: number;
  /** Every name an outlet goes by (all languages), for matching words against outlets. */
  outletNames?: (outlet: string) => string[];
  /** The outlet's name in the reader's language, for ranking. */
  outletName?: (outlet: string) => string;
}

interface Prepared {
  segments: Segment[];
  removed: Set<number>;
  /** Terms of each outlet's names and id. */
  outletTerms: Map<string, string[]>;
  /** Metadata of candidates checked lately, by doc (at most KEPT_METAS). */
  metas: Lru<number, OriginalMeta>;
}
const prepared = new WeakMap<ActiveIndex, Prepared>();

function prepare(state: ActiveIndex, options: SearchOptions): Prepared {
  let p = prepared.get(state);
  if (!p) {
    const segments = [...state.segments].sort((a, b) => a.docBase - b.docBase);
    const outletTerms = new Map<string, string[]>();
    for (const id of new Set(segments.flatMap((s) => s.outlets))) outletTerms.set(id, [...new Set([id, ...(options.outletNames?.(id) ?? [])].flatMap((n) => textTerms(n)))]);
    p = { segments, removed: new Set(segments.flatMap((s) => s.removed)), outletTerms, metas: new Lru(KEPT_METAS) };
    prepared.set(state, p);
  }
  return p;
}

function segmentOf(segments: Segment[], doc: number): Segment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = segments[mid]!;
    if (doc < s.docBase) hi = mid - 1;
    else if (doc >= s.docBase + s.header.originals) lo = mid + 1;
    else return s;
  }
  return undefined;
}

interface WordPlan {
  word: string;
  /** Outlets whose names the word prefixes. */
  outlets: Set<string>;
  /** Rows to read: [gen, key]. */
  keys: Array<[number, string]>;
  /** More rows exist than were listed. */
  truncated: boolean;
}

/** Lists the rows that may hold terms a word prefixes (keys only), in every segment. */
async function planWord(db: IndexDb, p: Prepared, word: string): Promise<WordPlan> {
  const outlets = new Set([...p.outletTerms].filter(([, terms]) => prefixes(terms, word)).map(([id]) => id));
  const keys: Array<[number, string]> = [];
  let truncated = false;
  await Promise.all(
    p.segments.map(async (s) => {
      const ranges: Array<[string, string]> = [[word, `${word}\uffff`], ...[...outlets].map((o): [string, string] => [OUTLET_MARK + o, `${OUTLET_MARK}${o}\uffff`])];
      const [before, ...inRange] = await Promise.all([
        // The row before the range may hold terms the word prefixes (rows hold runs of terms).
        db.search.where('[gen+key]').between([s.gen, ''], [s.gen, word], true, false).reverse().limit(1).primaryKeys(),
        ...ranges.map(([lo, hi]) => db.search.where('[gen+key]').between([s.gen, lo], [s.gen, hi], true, true).limit(BASE_ROWS + 1).primaryKeys()),
      ]);
      for (const k of before!) keys.push(k as [number, string]);
      for (const list of inRange) {
        if (list.length > BASE_ROWS) truncated = true;
        for (const k of list.slice(0, BASE_ROWS)) keys.push(k as [number, string]);
      }
    }),
  );
  return { word, outlets, keys, truncated };
}

/** The docs of the terms a word prefixes (and of the outlets it names), ascending, distinct. */
async function readWord(db: IndexDb, plan: WordPlan, maxRows: number): Promise<{ docs: Uint32Array; complete: boolean }> {
  const keys = plan.keys.slice(0, maxRows);
  const rows = (await db.search.bulkGet(keys)).filter((r): r is SearchRow => !!r);
  const out: number[] = [];
  const marks = new Set([...plan.outlets].map((o) => OUTLET_MARK + o));
  const want = (t: string) => t.startsWith(plan.word) || marks.has(t);
  for (const row of rows) rowDocs(row, want, out);
  const docs = Uint32Array.from(out);
  let sorted = true;
  for (let i = 1; i < docs.length && sorted; i++) sorted = docs[i - 1]! <= docs[i]!;
  if (!sorted) docs.sort();
  let n = 0;
  for (let i = 0; i < docs.length; i++) if (!i || docs[i] !== docs[i - 1]) docs[n++] = docs[i]!;
  return { docs: docs.subarray(0, n), complete: !plan.truncated && keys.length === plan.keys.length };
}

function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out[n++] = a[i]!;
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

/**
 * The originals that match a query, best first: every word of the query
 * prefixes a term of the original's title, date or outlet names; a word that
 * prefixes nothing (a typo) is searched by its first letters and left to
 * fuse.js's fuzzy match.
 */
export async function searchOriginals(db: IndexDb, state: ActiveIndex, query: string, options: SearchOptions = {}): Promise<OriginalMeta[]> {
  const limit = options.limit ?? 20;
  const words = queryWords(query);
  if (!words.length || !state.segments.length) return [];
  const p = prepare(state, options);
  let found = await candidates(db, p, words);
  if (found.missing.length) {
    // Typos: the words that prefix nothing are searched by their first letters; fuse.js judges.
    const missing = found.missing;
    const loose = words.flatMap((w) => (!missing.includes(w) ? [w] : [...w].length > 3 ? [[...w].slice(0, 3).join('')] : []));
    if (!loose.length) return [];
    found = { ...(await candidates(db, p, [...new Set(loose)])), fuzzy: true };
  }
  const verify = found.fuzzy ? [] : found.verify;
  const checked: OriginalMeta[] = [];
  const docs = found.docs;
  // Newest first (docs grow with each import), a batch at a time until enough pass. With no word
  // left to check every candidate passes, so the newest RANKED are read (not a batch of 150 spread
  // over as many metadata blocks); fuzzy candidates stay in batches, as fuse.js drops many of them.
  const step = verify.length || found.fuzzy ? BATCH : RANKED;
  for (let end = docs.length; end > 0 && checked.length < RANKED && docs.length - end < MAX_CHECKED; end -= step) {
    const batch = Array.from(docs.subarray(Math.max(0, end - step), end)).reverse().filter((d) => !p.removed.has(d));
    const metas = await metasOf(db, p, batch);
    for (const meta of metas) {
      if (!meta) continue;
      if (verify.every((w) => matches(p, meta, w))) checked.push(meta);
    }
  }
  return rank(checked, query, options, !!found.fuzzy).slice(0, limit);
}

/** The docs' metadata, from those kept since earlier searches or read (and then kept). */
async function metasOf(db: IndexDb, p: Prepared, docs: number[]): Promise<Array<OriginalMeta | undefined>> {
  const unread = docs.filter((d) => !p.metas.get(d));
  if (unread.length) {
    const read = await readOriginals(db, unread.map((d) => [segmentOf(p.segments, d), d] as const));
    read.forEach((m, i) => m && p.metas.set(unread[i]!, m));
  }
  return docs.map((d) => p.metas.get(d));
}

function matches(p: Prepared, meta: OriginalMeta, w: WordPlan): boolean {
  return w.outlets.has(meta.outlet) || prefixes(originalTerms(meta), w.word);
}

async function candidates(db: IndexDb, p: Prepared, words: string[]): Promise<{ docs: Uint32Array; verify: WordPlan[]; missing: string[]; fuzzy?: boolean }> {
  const plans = await Promise.all(words.map((w) => planWord(db, p, w)));
  const size = (x: WordPlan) => x.keys.length + (x.truncated ? BASE_ROWS : 0);
  plans.sort((a, b) => size(a) - size(b));
  const [base, ...others] = plans;
  const cheap = others.filter((x) => !x.truncated && x.keys.length <= FILTER_ROWS);
  const [first, ...rest] = await Promise.all([readWord(db, base!, base!.truncated ? COMMON_ROWS : BASE_ROWS), ...cheap.map((x) => readWord(db, x, FILTER_ROWS))]);
  const missing: string[] = [];
  if (first!.complete && !first!.docs.length) missing.push(base!.word);
  rest.forEach((r, i) => r.complete && !r.docs.length && missing.push(cheap[i]!.word));
  if (missing.length) return { docs: new Uint32Array(0), verify: [], missing };
  let docs = first!.docs;
  for (const r of rest) docs = intersect(docs, r.docs);
  // Words whose docs were not all read are checked against each candidate's terms; not the first word:
  // every candidate comes from its rows (a word too common to read whole gives the docs of its first terms).
  // With nothing left to check, the newest 60 candidates go to fuse.js (until 2026-12-02 the first word's
  // check made that 150, so an older title could rank among the 20 shown; it read 150 metadata blocks).
  const verify = others.filter((x) => !cheap.includes(x) || !rest[cheap.indexOf(x)]!.complete);
  return { docs, verify, missing };
}

const KEYS = ['folded', 'title', 'outletName', 'outlet', 'published'];
const OPTIONS = { keys: KEYS, threshold: 0.35, ignoreLocation: true, useExtendedSearch: true } as const;

/** fuse.js ranks the checked candidates; those it does not match follow, newest first (fuzzy candidates it rejects are dropped). */
function rank(checked: OriginalMeta[], query: string, options: SearchOptions, fuzzy: boolean): OriginalMeta[] {
  if (!checked.length) return [];
  const items = checked.map((m) => ({ meta: m, folded: foldText(m.title), title: m.title, outletName: options.outletName?.(m.outlet) ?? m.outlet, outlet: m.outlet, published: m.published }));
  const ranked = new Fuse(items, OPTIONS).search(foldText(query)).map((r) => r.item.meta);
  if (fuzzy) return ranked;
  const seen = new Set(ranked);
  return [...ranked, ...checked.filter((m) => !seen.has(m))];
}

/** For tests: the rows of a generation. */
export function rowsOf(db: IndexDb, gen: number): Promise<SearchRow[]> {
  return db.search.where('[gen+key]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]).toArray();
}
