/**
 * The popup search's term table (docs/search.md): every original's title,
 * date and outlet become terms, and each term's docs are stored in rows of a
 * prefix-sorted table so that the docs of all terms that start with a typed
 * word are a key range away.
 *
 * Terms: a title's words and numbers (case-folded, de-accented, look-alikes
 * folded: lib/text/normalize.ts), Han text as character bigrams plus the last
 * character of each run (Traditional folded to Simplified, so that either
 * script finds the other), the date as one term ("2026-03-14", which a typed
 * "2026-03" prefixes) and the outlet id under a reserved first character.
 */
import { foldCodePoint } from '../text/normalize';

/** foldCodePoint's classes (lib/text/normalize.ts). */
const SEP = 0;
const WORD = 1;
const HAN = 2;
const DROP = 3;

/** Outlet terms start with this character (a typed word never does). */
export const OUTLET_MARK = '\u0001';
/** Continuation rows of a term too long for one row: `${term}${CONT}${seq}` (sorts right after the term). */
const CONT = '\u0000';
/** Longest term kept (longer words are cut: a prefix of them still finds them). */
const MAX_TERM = 24;
const DATE = /^\d{4}(?:-\d{1,2}(?:-\d{0,2})?|-)?$/;

/**
 * The terms of a text, in order, with duplicates: words and numbers as they
 * fold, Han runs as bigrams plus their last character (a run of one character
 * is that character).
 */
export function textTerms(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let han: string[] = [];
  const endWord = () => {
    if (word) out.push(word.slice(0, MAX_TERM));
    word = '';
  };
  const endHan = () => {
    for (let i = 0; i + 1 < han.length; i++) out.push(han[i]! + han[i + 1]!);
    if (han.length) out.push(han[han.length - 1]!);
    han = [];
  };
  for (const ch of text) {
    const f = foldCodePoint(ch.codePointAt(0)!);
    if (f.cls === DROP) continue;
    if (f.cls === WORD) {
      endHan();
      word += String.fromCodePoint(...f.cps);
    } else if (f.cls === HAN) {
      endWord();
      for (const cp of f.cps) han.push(String.fromCodePoint(cp));
    } else {
      endWord();
      endHan();
    }
  }
  endWord();
  endHan();
  return out;
}

/** The date term of an original ("2026-03-14"), or undefined. */
function dateTerm(published: string): string | undefined {
  const d = published.trim().slice(0, 10).toLowerCase();
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : undefined;
}

export interface TermSource {
  title: string;
  outlet: string;
  published: string;
}

/** The distinct terms of an original: its title's, its date and its outlet. */
export function originalTerms(o: TermSource): Set<string> {
  const terms = new Set(textTerms(o.title));
  const d = dateTerm(o.published);
  if (d) terms.add(d);
  terms.add(OUTLET_MARK + o.outlet);
  return terms;
}

/**
 * The words of a query, each matched as a prefix of some term: a date prefix
 * ("2026-03") as it is, Han as bigrams (one character alone as itself), other
 * text as words. Duplicates and words that prefix another word of the query
 * are dropped.
 */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  for (const piece of query.trim().split(/\s+/)) {
    if (!piece) continue;
    if (DATE.test(piece)) {
      words.push(piece);
      continue;
    }
    const terms = textTerms(piece);
    // textTerms adds each Han run's last character: a run of two or more is covered by its bigrams.
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!;
      const han = [...t].length === 1 && foldCodePoint(t.codePointAt(0)!).cls === HAN;
      if (han && i > 0 && [...terms[i - 1]!].length === 2 && terms[i - 1]!.endsWith(t)) continue;
      words.push(t);
    }
  }
  const distinct = [...new Set(words)];
  return distinct.filter((w) => !distinct.some((o) => o !== w && o.startsWith(w)));
}

/** Whether some term of the set starts with `word`. */
export function prefixes(terms: Iterable<string>, word: string): boolean {
  for (const t of terms) if (t.startsWith(word)) return true;
  return false;
}

// ---- rows ----

/** One row of the term table: a run of consecutive terms (or a part of one long term) and their docs. */
export interface SearchRow {
  gen: number;
  /** The row's first term (or `${term}\u0000${seq}` for the continuation of a long term). */
  key: string;
  terms: string[];
  /** ends[i]: where term i's docs end in `docs` (in docs, not bytes). */
  ends: Uint32Array;
  /** Each term's global docs, ascending, varint delta-coded (the first of each term from 0). */
  docs: Uint8Array;
}

/** Docs per row (IndexedDB's cost is per row and per byte: a few kilobytes a row). */
export const ROW_DOCS = 4096;

/** Builds the term table of a segment's originals incrementally (terms by id, pairs in growing arrays). */
export class TermTableBuilder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private termOf = new Uint32Array(1 << 16);
  private n = 0;
  /** The docs added, and where each one's terms start in termOf. */
  private docs: number[] = [];
  private starts: number[] = [];

  /** Adds an original's terms (docs must be added in ascending order). */
  add(doc: number, o: TermSource): void {
    this.docs.push(doc);
    this.starts.push(this.n);
    for (const t of originalTerms(o)) {
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.names.length;
        this.ids.set(t, id);
        this.names.push(t);
      }
      if (this.n === this.termOf.length) {
        const grown = new Uint32Array(this.termOf.length * 2);
        grown.set(this.termOf);
        this.termOf = grown;
      }
      this.termOf[this.n++] = id;
    }
  }

  /** The rows of generation `gen`, in key order. */
  rows(gen: number): SearchRow[] {
    const T = this.names.length;
    const order = Array.from({ length: T }, (_, i) => i).sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : this.names[a]! > this.names[b]! ? 1 : 0));
    const rank = new Uint32Array(T);
    order.forEach((id, r) => (rank[id] = r));
    // Counting sort of the pairs by term rank (stable: each term's docs stay ascending).
    const start = new Uint32Array(T + 1);
    for (let i = 0; i < this.n; i++) start[rank[this.termOf[i]!]! + 1]!++;
    for (let r = 0; r < T; r++) start[r + 1]! += start[r]!;
    const fill = start.slice(0, T);
    const docs = new Uint32Array(this.n);
    for (let d = 0; d < this.docs.length; d++) {
      const end = d + 1 < this.starts.length ? this.starts[d + 1]! : this.n;
      for (let i = this.starts[d]!; i < end; i++) docs[fill[rank[this.termOf[i]!]!]!++] = this.docs[d]!;
    }

    const rows: SearchRow[] = [];
    let terms: string[] = [];
    let ends: number[] = [];
    let chunks: Uint32Array[] = [];
    let count = 0;
    const flush = (key?: string) => {
      if (!terms.length) return;
      rows.push({ gen, key: key ?? terms[0]!, terms, ends: Uint32Array.from(ends), docs: packDocs(chunks) });
      terms = [];
      ends = [];
      chunks = [];
      count = 0;
    };
    for (let r = 0; r < T; r++) {
      const term = this.names[order[r]!]!;
      const list = docs.subarray(start[r]!, start[r + 1]!);
      if (count && count + list.length > ROW_DOCS) flush();
      if (list.length <= ROW_DOCS) {
        terms.push(term);
        chunks.push(list);
        count += list.length;
        ends.push(count);
        continue;
      }
      // A long term: rows of its own, the first under the term itself.
      for (let a = 0, seq = 0; a < list.length; a += ROW_DOCS, seq++) {
        const part = list.subarray(a, a + ROW_DOCS);
        terms = [term];
        chunks = [part];
        ends = [part.length];
        count = part.length;
        flush(seq ? `${term}${CONT}${seq.toString(36).padStart(4, '0')}` : term);
      }
    }
    flush();
    return rows;
  }
}

/** Varint delta coding of ascending doc lists (each list's first doc from 0). */
function packDocs(lists: Uint32Array[]): Uint8Array {
  let size = 0;
  for (const l of lists) size += l.length * 5;
  const out = new Uint8Array(size);
  let p = 0;
  for (const l of lists) {
    let prev = 0;
    for (let i = 0; i < l.length; i++) {
      let v = l[i]! - prev;
      prev = l[i]!;
      while (v >= 0x80) {
        out[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      out[p++] = v;
    }
  }
  return out.slice(0, p);
}

/** Appends to `into` the docs of every term of `row` for which `want(term)` holds. */
export function rowDocs(row: SearchRow, want: (term: string) => boolean, into: number[]): void {
  const bytes = row.docs;
  let p = 0;
  let begin = 0;
  for (let t = 0; t < row.terms.length; t++) {
    const end = row.ends[t]!;
    const wanted = want(row.terms[t]!);
    let prev = 0;
    for (let i = begin; i < end; i++) {
      let v = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[p++]!;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      prev += v;
      if (wanted) into.push(prev);
    }
    begin = end;
  }
}

/** The key range of the rows whose first term starts with `word` (continuations included). */
export function prefixRange(word: string): [string, string] {
  return [word, `${word}\uffff`];
}
