/**
 * Sentence alignment for rewritten copies (when the original's text is at
 * hand): every page sentence is paired with the original sentence — or two
 * adjacent ones, for merged sentences — that shares the most content terms
 * with it, and the pair counts as derived when enough of the page sentence's
 * terms come from it. A split sentence is two page sentences paired with one
 * original sentence. This is the sentence-alignment approach of the text
 * reuse literature (e.g. Clough et al., METER, 2002), with terms weighted so
 * that what independent reports of one event share anyway — names, numbers,
 * quoted words — counts less than the ordinary wording an editor keeps, and
 * with shared term pairs (the same two content words next to each other in
 * both) as the strongest sign of derived wording.
 *
 * A page sentence that is mostly a quotation counts for neither side: the
 * officials' words are in every report of the event.
 *
 * The result is evidence a reader can check: aligned sentence pairs with the
 * shared terms marked, plus what the verdict needs: the share of the page in
 * derived sentences, the share of the original they cover, and how much of
 * the order the pairs keep.
 */
import { TERM_NAME, TERM_NUMBER, TERM_QUOTED, TERM_TOPICAL, type Terms } from './terms';

export interface AlignedPair {
  /** Page sentence index and its [start, end) offsets in the page text. */
  page: number;
  pageStart: number;
  pageEnd: number;
  /** Original sentence range [first, last] and its offsets in the original's text. */
  origFirst: number;
  origLast: number;
  origStart: number;
  origEnd: number;
  /** Weighted shared terms, and their share of the page sentence's weight. */
  shared: number;
  containment: number;
  /** Shared adjacent term pairs (same two terms next to each other on both sides). */
  pairs: number;
  /** Offsets of the shared terms on the page and in the original. */
  pageMarks: Array<[number, number]>;
  origMarks: Array<[number, number]>;
}

export interface SentenceAlignment {
  pairs: AlignedPair[];
  /** Page sentences (with content) and original sentences (with content). */
  pageSentences: number;
  origSentences: number;
  /** Share of the page's content weight in derived sentences (0–1). */
  pageCoverage: number;
  /** Share of the original's content weight in sentences the page derives from (0–1). */
  originalCoverage: number;
  /** Share of pairs that keep the original's order (longest increasing run over pairs). */
  order: number;
  /** Sum of shared weights over derived pairs, without quoted text. */
  evidence: number;
  /** Page-side units (terms) in derived sentences. */
  derivedTerms: number;
}

export interface AlignOptions {
  /** Weights of term kinds (ordinary terms weigh 1). */
  nameWeight: number;
  numberWeight: number;
  quotedWeight: number;
  /** Terms the page or original repeats (its topic). */
  topicalWeight: number;
  /** A pair is derived when its page sentence shares at least this share of its weight … */
  minContainment: number;
  /** … and at least this much weight, or at least `minPairs` adjacent term pairs with `minContainment / 2`. */
  minShared: number;
  minPairs: number;
}

export const DEFAULT_SENTENCE_ALIGN: AlignOptions = {
  nameWeight: 0.5,
  numberWeight: 0.5,
  quotedWeight: 0.3,
  topicalWeight: 0.6,
  minContainment: 0.55,
  minShared: 2.5,
  minPairs: 2,
};

interface SentenceTerms {
  start: number;
  end: number;
  /** Term indexes of the sentence. */
  terms: number[];
  weight: number;
  /** Terms inside quotation marks. */
  quoted: number;
}

function weightOf(flags: number, o: AlignOptions): number {
  if (flags & TERM_QUOTED) return o.quotedWeight;
  if (flags & TERM_NUMBER) return o.numberWeight;
  if (flags & TERM_NAME) return o.nameWeight;
  if (flags & TERM_TOPICAL) return o.topicalWeight;
  return 1;
}

function sentencesOf(t: Terms, o: AlignOptions): SentenceTerms[] {
  const out: SentenceTerms[] = t.sentences.map(([start, end]) => ({ start, end, terms: [], weight: 0, quoted: 0 }));
  for (let i = 0; i < t.length; i++) {
    const s = out[t.sentence[i]!]!;
    s.terms.push(i);
    s.weight += weightOf(t.flags[i]!, o);
    if (t.flags[i]! & TERM_QUOTED) s.quoted++;
  }
  return out;
}

/**
 * Pairs page sentences with original sentences. `skip` marks page sentences
 * already explained otherwise (inside verbatim passages): they count towards
 * neither side.
 */
export function alignSentences(page: Terms, orig: Terms, options: Partial<AlignOptions> = {}, skip?: Uint8Array): SentenceAlignment {
  const o = { ...DEFAULT_SENTENCE_ALIGN, ...options };
  const ps = sentencesOf(page, o);
  const os = sentencesOf(orig, o);
  // Original sentences by term.
  const where = new Map<number, number[]>();
  for (let j = 0; j < os.length; j++)
    for (const ti of os[j]!.terms) {
      const h = orig.hashes[ti]!;
      const list = where.get(h);
      if (!list) where.set(h, [j]);
      else if (list[list.length - 1] !== j) list.push(j);
    }
  // Adjacent term pairs of each original sentence.
  const pairKey = (a: number, b: number) => (Math.imul(a, 0x9e3779b1) ^ b) >>> 0;
  const origPairs = os.map((s) => {
    const set = new Set<number>();
    for (let x = 1; x < s.terms.length; x++) set.add(pairKey(orig.hashes[s.terms[x - 1]!]!, orig.hashes[s.terms[x]!]!));
    return set;
  });

  const pairs: AlignedPair[] = [];
  let pageWeight = 0;
  let derivedWeight = 0;
  let derivedTerms = 0;
  const usedOrig = new Set<number>();
  // Shared weight per original sentence, reused across page sentences (touched entries reset after each).
  const scores = new Float64Array(os.length);
  const touched: number[] = [];
  const lastSeen = new Map<number, number>();
  for (let i = 0; i < ps.length; i++) {
    const s = ps[i]!;
    // A sentence that is mostly a quotation says nothing either way: every report of the event may carry it.
    if (!s.terms.length || skip?.[i] || s.quoted * 2 > s.terms.length) continue;
    pageWeight += s.weight;
    // Each page term counted once per sentence.
    for (const ti of s.terms) {
      const h = page.hashes[ti]!;
      if (lastSeen.get(h) === i) continue;
      lastSeen.set(h, i);
      const js = where.get(h);
      if (!js) continue;
      const w = weightOf(page.flags[ti]!, o);
      for (const j of js) {
        if (scores[j] === 0) touched.push(j);
        scores[j]! += w;
      }
    }
    if (!touched.length) continue;
    const score = new Map<number, number>();
    for (const j of touched) {
      score.set(j, scores[j]!);
      scores[j] = 0;
    }
    touched.length = 0;
    // The best single original sentence, then whether it and a neighbour together explain clearly more (a merge).
    let best: { first: number; last: number; shared: number } | undefined;
    for (const [j, w] of score) if (!best || w > best.shared || (w === best.shared && j < best.first)) best = { first: j, last: j, shared: w };
    if (!best) continue;
    for (const j of [best.first - 1, best.first + 1]) {
      if (!score.has(j) || best.last !== best.first) continue;
      const pair = j < best.first ? [os[j]!, os[best.first]!] : [os[best.first]!, os[j]!];
      const both = unionShared(page, s, orig, pair, o);
      if (both > best.shared * 1.25) best = { first: Math.min(j, best.first), last: Math.max(j, best.first), shared: both };
    }
    const origSents = best.first === best.last ? [os[best.first]!] : [os[best.first]!, os[best.last]!];
    const shared = best.first === best.last ? best.shared : unionShared(page, s, orig, origSents, o);
    const containment = shared / Math.max(1e-9, s.weight);
    let adj = 0;
    for (let x = 1; x < s.terms.length; x++) {
      const k = pairKey(page.hashes[s.terms[x - 1]!]!, page.hashes[s.terms[x]!]!);
      if (origPairs[best.first]!.has(k) || (best.last !== best.first && origPairs[best.last]!.has(k))) adj++;
    }
    const derived =
      (containment >= o.minContainment && shared >= o.minShared) || (adj >= o.minPairs && containment >= o.minContainment / 2);
    if (!derived) continue;
    const origSet = new Set<number>();
    for (const os1 of origSents) for (const ti of os1.terms) origSet.add(orig.hashes[ti]!);
    const pageSet = new Set(s.terms.map((ti) => page.hashes[ti]!));
    pairs.push({
      page: i,
      pageStart: s.start,
      pageEnd: s.end,
      origFirst: best.first,
      origLast: best.last,
      origStart: origSents[0]!.start,
      origEnd: origSents[origSents.length - 1]!.end,
      shared,
      containment: Math.min(1, containment),
      pairs: adj,
      pageMarks: disjoint(s.terms.filter((ti) => origSet.has(page.hashes[ti]!)).map((ti) => [page.starts[ti]!, page.ends[ti]!])),
      origMarks: disjoint(origSents.flatMap((x) => x.terms).filter((ti) => pageSet.has(orig.hashes[ti]!)).map((ti) => [orig.starts[ti]!, orig.ends[ti]!])),
    });
    derivedWeight += s.weight;
    derivedTerms += s.terms.length;
    for (let j = best.first; j <= best.last; j++) usedOrig.add(j);
  }
  let origWeight = 0;
  let usedWeight = 0;
  for (let j = 0; j < os.length; j++) {
    origWeight += os[j]!.weight;
    if (usedOrig.has(j)) usedWeight += os[j]!.weight;
  }
  let evidence = 0;
  for (const p of pairs) evidence += p.shared;
  return {
    pairs,
    pageSentences: ps.filter((s) => s.terms.length).length,
    origSentences: os.filter((s) => s.terms.length).length,
    pageCoverage: pageWeight ? derivedWeight / pageWeight : 0,
    originalCoverage: origWeight ? usedWeight / origWeight : 0,
    order: orderKept(pairs.map((p) => p.origFirst)),
    evidence,
    derivedTerms,
  };
}

/** Weighted terms of the page sentence found in any of the given original sentences. */
function unionShared(page: Terms, s: SentenceTerms, orig: Terms, origSents: Array<SentenceTerms | undefined>, o: AlignOptions): number {
  const set = new Set<number>();
  for (const x of origSents) if (x) for (const ti of x.terms) set.add(orig.hashes[ti]!);
  const seen = new Set<number>();
  let w = 0;
  for (const ti of s.terms) {
    const h = page.hashes[ti]!;
    if (seen.has(h) || !set.has(h)) continue;
    seen.add(h);
    w += weightOf(page.flags[ti]!, o);
  }
  return w;
}

/** Length of the longest non-decreasing subsequence over the sequence length (1 for ≤ 1 item). */
export function orderKept(seq: number[]): number {
  if (seq.length <= 1) return 1;
  const tails: number[] = [];
  for (const x of seq) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tails[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length / seq.length;
}

/** Ranges merged where they overlap or touch (Chinese bigram terms overlap by a character). */
function disjoint(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of ranges.sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
