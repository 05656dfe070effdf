/**
 * Rewrite-tier fingerprints: hashes of k consecutive content terms of one
 * sentence (content-word bigrams in English, character trigrams in Chinese
 * for k = 2). Each original keeps a bottom-k sketch of them: `sketch`
 * grams of lowest rank (a hash of the gram hash), as in Broder's min-hash
 * sketches (1997), most of them from its wording and a third of those from the lede (see sketchGrams). Unlike winnowing, whether a gram is kept does not depend
 * on its neighbours, which a rewrite changes; unlike sampling a fixed share,
 * a short original (a post, a caption) keeps all its grams and a long one
 * costs no more than `sketch` postings. The share of an original's sketch
 * found on a page estimates the share of the original's grams the page
 * holds. The page is looked up with all its grams.
 *
 * Grams made only of names, numbers or quoted words are left out: they are
 * what independent reports of one event share. Grams made only of such words
 * and the text's repeated topic terms are "topical": they still find
 * candidates (a heavy paraphrase keeps little else), but do not count as
 * shared wording.
 */
import { mix32 } from '../text/normalize';
import { TERM_NAME, TERM_NUMBER, TERM_QUOTED, TERM_TOPICAL, TERMS_VERSION, type Terms } from './terms';

export interface RewriteParams {
  /** Version of the content-term definition (lib/rewrite/terms.ts): grams of other versions do not match. */
  terms: number;
  /** Content terms per gram. */
  k: number;
  /** Grams kept per original (bottom-k sketch size). */
  sketch: number;
}

/** Chosen by measurement on the rewrite corpus (docs/matching.md, "Rewritten copies"). */
export const DEFAULT_REWRITE_PARAMS: RewriteParams = { terms: TERMS_VERSION, k: 2, sketch: 32 };

const SALT = 0x7f4a7c15;
const PICK = 0x3c6ef372;

export interface Grams {
  hashes: Uint32Array;
  /** Index of each gram's first term. */
  first: Uint32Array;
  /**
   * 0: wording; 1: made only of names and quoted words (and numbers) — what same-event reports share;
   * 2: of those and the text's topic terms; 3: of numbers only.
   */
  weak: Uint8Array;
  length: number;
}

/** Every gram of k consecutive terms inside one sentence. */
export function termGrams(t: Terms, k: number): Grams {
  const n = Math.max(0, t.length - k + 1);
  const hashes = new Uint32Array(n);
  const first = new Uint32Array(n);
  const weak = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i + k <= t.length; i++) {
    if (t.sentence[i] !== t.sentence[i + k - 1]) continue;
    let h = SALT;
    let ordinary = 0;
    let untopical = 0;
    let numbers = 0;
    for (let j = 0; j < k; j++) {
      h = Math.imul(h ^ t.hashes[i + j]!, 0x01000193) + j;
      const f = t.flags[i + j]!;
      if (!(f & (TERM_NAME | TERM_NUMBER | TERM_QUOTED))) ordinary++;
      if (!(f & (TERM_NAME | TERM_NUMBER | TERM_QUOTED | TERM_TOPICAL))) untopical++;
      if (f & TERM_NUMBER) numbers++;
    }
    hashes[count] = mix32(h);
    first[count] = i;
    weak[count] = numbers === k ? 3 : ordinary === 0 ? 1 : untopical === 0 ? 2 : 0;
    count++;
  }
  return { hashes, first, weak, length: count };
}

/** The rank that orders grams for the sketch (independent of the hash's bucket prefix). */
export function gramRank(h: number): number {
  return mix32(h ^ PICK);
}

/**
 * Distinct grams: all but pairs of numbers (what the page looks up, to find
 * candidates), or with `wording` only the grams of wording (what shared
 * wording is measured on).
 */
export function distinctGrams(t: Terms, k: number, wording = false): Uint32Array {
  return distinctOf(termGrams(t, k), wording);
}

/** distinctGrams of grams already made. */
export function distinctOf(g: Grams, wording = false): Uint32Array {
  const out = new Set<number>();
  for (let i = 0; i < g.length; i++) if (wording ? g.weak[i] === 0 : g.weak[i] !== 3) out.add(g.hashes[i]!);
  return Uint32Array.from(out);
}

/**
 * The sketch of an original, `sketch` grams chosen so that a rewrite of any
 * strength shares some: an eighth from its pairs of names (a heavy
 * paraphrase keeps the names and little else), three sixteenths from its
 * topic pairs, five sixteenths from the wording of its first third — the
 * lede, which shortened versions and news briefs keep (news is written in
 * inverted-pyramid order, and editors cut from the end) — and the rest from
 * its wording; each by lowest rank, each share filled from the next when
 * short. Two thirds are wording: without the original's text, the share of
 * the sketch's wording grams on a page is the estimate of shared wording, and
 * more of them make it less noisy (measured: with a quarter each of names,
 * topic and lede, the estimate without texts found fewer rewrites in both
 * languages and the aligned tier no more). A text with no more grams than the sketch keeps them all. Returns
 * the sketch and how many distinct grams the text has.
 */
export function sketchGrams(t: Terms, p: RewriteParams): { sketch: Uint32Array; grams: number } {
  const g = termGrams(t, p.k);
  const firstAt = new Map<number, number>();
  const kind = new Map<number, number>();
  for (let i = 0; i < g.length; i++) {
    if (g.weak[i] === 3 || firstAt.has(g.hashes[i]!)) continue;
    firstAt.set(g.hashes[i]!, g.first[i]!);
    kind.set(g.hashes[i]!, g.weak[i]!);
  }
  const all = [...firstAt.keys()];
  if (all.length <= p.sketch) return { sketch: Uint32Array.from(all), grams: all.length };
  // All grams in rank order once, lowest first; each share takes from it in turn. gramRank is a
  // bijection of 32-bit values (mix32 is), so ranks never tie and a typed array sorts them.
  const ranks = new Uint32Array(all.length);
  const byRank = new Map<number, number>();
  for (let i = 0; i < all.length; i++) byRank.set((ranks[i] = gramRank(all[i]!)), all[i]!);
  const ordered = Array.from(ranks.sort(), (r) => byRank.get(r)!);
  const ledeEnd = t.length / 3;
  // Of 32: 4 name pairs, 6 topic pairs, 10 from the lede's wording, 12 from the rest of the wording.
  const names = p.sketch >> 3;
  const topic = (p.sketch * 3) >> 4;
  const lede = (p.sketch * 5) >> 4;
  const chosen = new Set<number>();
  const take = (keep: (h: number) => boolean, n: number) => {
    for (const h of ordered) {
      if (chosen.size >= n) break;
      if (keep(h)) chosen.add(h);
    }
  };
  take((h) => kind.get(h) === 1, names);
  take((h) => kind.get(h) === 2, chosen.size + topic);
  take((h) => kind.get(h) === 0 && firstAt.get(h)! < ledeEnd, chosen.size + lede);
  take((h) => kind.get(h) === 0, p.sketch);
  take(() => true, p.sketch);
  return { sketch: Uint32Array.from(chosen), grams: all.length };
}
