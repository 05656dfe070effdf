/**
 * The rewrite tier of matching, for one page: its content terms and sampled
 * grams (looked up in the index's rewrite postings to find candidates), and
 * for each candidate the evidence that the page was written from it —
 * sentence alignment when the original's text is at hand, otherwise the
 * share of the original's sampled grams found on the page.
 */
import { segment, type Segmented } from '../text/normalize';
import { alignSentences, type AlignedPair, type AlignOptions } from './align-sentences';
import { distinctGrams, distinctOf, termGrams, type Grams, type RewriteParams } from './grams';
import { contentTerms, TERM_HAN, type Terms } from './terms';

/** Only the first this many characters of a page take part in the rewrite tier (the verbatim tier reads all). */
export const REWRITE_MAX_CHARS = 300_000;

export interface PageGrams {
  terms: Terms;
  /** Distinct gram hashes of the page (what is looked up). */
  lookups: Uint32Array;
  /** Its grams of wording (without topical ones): what shared wording is measured on. */
  wording: Uint32Array;
  /** Every gram of the page, in order, with where it starts (the derived region's wording is counted on them). */
  grams: Grams;
  /** Most of the page's terms are Chinese (Han) character bigrams: shared wording is measured against another baseline. */
  han: boolean;
  /** A short page (a brief, a post, a caption): fewer grams than two sketches. */
  short: boolean;
}

export function pageGrams(text: string, seg: Segmented, p: RewriteParams): PageGrams {
  const t = text.length > REWRITE_MAX_CHARS ? text.slice(0, REWRITE_MAX_CHARS) : text;
  const terms = contentTerms(t, t === text ? seg : segment(t));
  let han = 0;
  for (let i = 0; i < terms.length; i++) if (terms.flags[i]! & TERM_HAN) han++;
  const grams = termGrams(terms, p.k);
  const lookups = distinctOf(grams);
  return { terms, lookups, wording: distinctOf(grams, true), grams, han: han * 2 > terms.length, short: lookups.length < 2 * p.sketch };
}

export interface RewriteEvidence {
  /** True when the original's text was aligned sentence by sentence; false for an estimate from sampled grams. */
  aligned: boolean;
  /** Share of the page's content in sentences derived from the original (aligned), or the estimated share of its grams shared (not aligned). */
  pageCoverage: number;
  /** Share of the original's content the page derives from. */
  originalCoverage: number;
  /** Weighted shared terms in derived sentences (aligned), or sketch grams found (not aligned). */
  evidence: number;
  /** Share of derived sentence pairs in the original's order. */
  order: number;
  /** Aligned sentence pairs, page order. */
  pairs: AlignedPair[];
  /** The original's sketch grams found on the page. */
  hits: number;
  /**
   * The share of the page's grams (pairs of adjacent content terms, not only names, numbers or
   * quotes) that the original also has, and the share of the original's grams on the page: shared
   * wording, as opposed to shared facts (independent reports of one event share few). Counted when
   * aligned; estimated from the sketch when not.
   */
  pageGrams: number;
  /** pageGrams measured from the page's first to its last derived sentence (the page-wide figure without the text). */
  regionGrams: number;
  originalGrams: number;
  /** How many grams page and original share (estimated from the sketch when not aligned). */
  sharedGrams: number;
  /** The page is mostly Chinese. */
  han: boolean;
  /** A short page (a brief, a post, a caption): fewer grams than two sketches. */
  short: boolean;
}

/** Evidence of rewriting: aligned when the original's text is known. */
export function rewriteEvidence(
  page: PageGrams,
  /** The original's sketch grams found on the page: by any of its grams, and by its grams of wording. */
  sketchHits: { all: number; wording: number },
  original: { text?: string; fps2?: number; grams?: number },
  p: RewriteParams,
  align?: Partial<AlignOptions>,
  /** The original's segmentation, when the caller has it. */
  origSeg?: Segmented,
  /** Page sentences already explained by verbatim passages (not aligned again). */
  skip?: Uint8Array,
  /** Grams of wording that many originals of the index use: not evidence of rewriting. */
  common?: ReadonlySet<number>,
): RewriteEvidence {
  const hits = sketchHits.all;
  if (original.text !== undefined) {
    // A very long original is aligned on its start, as a long page is (offsets stay those of the whole text).
    const long = original.text.length > REWRITE_MAX_CHARS;
    const otext = long ? original.text.slice(0, REWRITE_MAX_CHARS) : original.text;
    const origTerms = contentTerms(otext, long ? segment(otext) : (origSeg ?? segment(otext)));
    const a = alignSentences(page.terms, origTerms, align, skip);
    const og = new Set(distinctGrams(origTerms, p.k, true));
    let shared = 0;
    let pageWording = 0;
    for (const g of page.wording) {
      if (common?.has(g)) continue;
      pageWording++;
      if (og.has(g)) shared++;
    }
    let origWording = 0;
    for (const g of og) if (!common?.has(g)) origWording++;
    // The same share where the page tells the original's story: from its first to its last derived
    // sentence. A rewrite inside a longer page (a live blog, a portal page, a post among comments) is
    // not diluted by the rest of it.
    let regionWording = pageWording;
    let regionShared = shared;
    if (a.pairs.length) {
      let from = Infinity;
      let to = 0;
      for (const q of a.pairs) {
        from = Math.min(from, q.pageStart);
        to = Math.max(to, q.pageEnd);
      }
      const g = page.grams;
      const seen = new Set<number>();
      regionWording = 0;
      regionShared = 0;
      for (let i = 0; i < g.length; i++) {
        if (g.weak[i] !== 0) continue;
        const at = page.terms.starts[g.first[i]!]!;
        const h = g.hashes[i]!;
        if (at < from || at >= to || seen.has(h) || common?.has(h)) continue;
        seen.add(h);
        regionWording++;
        if (og.has(h)) regionShared++;
      }
    }
    return {
      aligned: true,
      pageCoverage: a.pageCoverage,
      originalCoverage: a.originalCoverage,
      evidence: a.evidence,
      order: a.order,
      pairs: a.pairs,
      hits,
      pageGrams: pageWording ? shared / pageWording : 0,
      regionGrams: regionWording ? regionShared / regionWording : 0,
      originalGrams: origWording ? shared / origWording : 0,
      sharedGrams: shared,
      han: page.han,
      short: page.short,
    };
  }
  // Without the text: the share of the original's sketch found by the page's grams of wording estimates
  // the share of the original's grams the page words the same way (Broder's containment estimate); the
  // page's share follows from the two gram counts.
  const origShare = original.fps2 ? Math.min(1, sketchHits.wording / original.fps2) : 0;
  const sharedGrams = origShare * (original.grams ?? original.fps2 ?? 0);
  const pageShare = page.wording.length ? Math.min(1, sharedGrams / page.wording.length) : 0;
  return {
    aligned: false,
    pageCoverage: pageShare,
    originalCoverage: origShare,
    pageGrams: pageShare,
    regionGrams: pageShare,
    originalGrams: origShare,
    sharedGrams,
    han: page.han,
    short: page.short,
    evidence: sketchHits.wording,
    order: 1,
    pairs: [],
    hits,
  };
}
