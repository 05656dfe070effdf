/**
 * Alignment: turns the page fingerprints that hit one original into passages.
 *
 * Page side: hits closer than `maxGap` units form one passage (so commentary
 * or a reworded sentence inside copied text leaves a gap, not a break).
 * Matched units count only text that is shared: a gap between consecutive hits
 * no longer than w + k - 1 is counted as shared (winnowing selects a k-gram in
 * every w; a sentence boundary in reordered text breaks k - 1 k-grams more),
 * a longer gap counts only the k units of each hit.
 *
 * Original side (when the original's text is known): each passage is split
 * where the original positions jump (reordered sentences), giving aligned
 * page↔original spans for side-by-side evidence.
 */
import type { FingerprintParams } from '../fingerprint';

export interface Hit {
  /** Unit position of the k-gram on the page. */
  page: number;
  hash: number;
}

export interface UnitPassage {
  /** Unit range on the page [start, end). */
  pageStart: number;
  pageEnd: number;
  /** Units of the passage that are shared text. */
  matched: number;
  hits: number;
  /** Unit range in the original, when known. */
  origStart?: number;
  origEnd?: number;
}

export interface AlignOptions {
  maxGap: number;
  minPassageUnits: number;
  minPassageHits: number;
}

export function defaultAlignOptions(p: FingerprintParams): AlignOptions {
  return {
    maxGap: 3 * (p.w + p.k),
    minPassageUnits: p.w + p.k,
    minPassageHits: 2,
  };
}

/** Groups page hits (sorted by page position) into passages. */
export function passagesFromHits(hits: Hit[], p: FingerprintParams, o: AlignOptions): UnitPassage[] {
  const out: UnitPassage[] = [];
  let cur: UnitPassage | undefined;
  let prev = -1;
  for (const h of hits) {
    if (cur && h.page - prev <= o.maxGap) {
      const gap = h.page - prev;
      cur.matched += gap <= p.w + p.k - 1 ? gap : Math.min(gap, p.k);
      cur.pageEnd = h.page + p.k;
      cur.hits++;
    } else {
      if (cur) out.push(cur);
      cur = { pageStart: h.page, pageEnd: h.page + p.k, matched: 0, hits: 1 };
    }
    prev = h.page;
  }
  if (cur) out.push(cur);
  for (const q of out) q.matched += p.k; // the last hit's own k-gram
  return out.filter((q) => q.matched >= o.minPassageUnits && q.hits >= o.minPassageHits);
}

/**
 * Splits passages by their positions in the original. `origPositions` maps a
 * hash to its unit positions in the original.
 */
export function alignToOriginal(
  passage: UnitPassage,
  hits: Hit[],
  origPositions: Map<number, number[]>,
  p: FingerprintParams,
  o: AlignOptions,
): UnitPassage[] {
  const inPassage = hits.filter((h) => h.page >= passage.pageStart && h.page < passage.pageEnd);
  // Seeds (page, orig); for hashes that occur several times in the original, keep the one closest to the diagonal.
  const seeds: Array<[number, number]> = [];
  let diag: number | undefined;
  for (const h of inPassage) {
    const cands = origPositions.get(h.hash);
    if (!cands || cands.length === 0) continue;
    let best = cands[0]!;
    if (diag !== undefined)
      for (const c of cands) if (Math.abs(c - h.page - diag) < Math.abs(best - h.page - diag)) best = c;
    seeds.push([h.page, best]);
    diag = best - h.page;
  }
  if (seeds.length === 0) return [passage];
  const out: UnitPassage[] = [];
  let start = 0;
  const flush = (endExclusive: number) => {
    const part = seeds.slice(start, endExclusive);
    let matched = p.k;
    for (let i = 1; i < part.length; i++) {
      const gap = part[i]![0] - part[i - 1]![0];
      matched += gap <= p.w + p.k - 1 ? gap : Math.min(gap, p.k);
    }
    const origs = part.map((s) => s[1]);
    out.push({
      pageStart: part[0]![0],
      pageEnd: part[part.length - 1]![0] + p.k,
      matched,
      hits: part.length,
      origStart: Math.min(...origs),
      origEnd: Math.max(...origs) + p.k,
    });
  };
  for (let i = 1; i < seeds.length; i++) {
    const dPage = seeds[i]![0] - seeds[i - 1]![0];
    const dOrig = seeds[i]![1] - seeds[i - 1]![1];
    if (dOrig < -p.k || Math.abs(dOrig - dPage) > o.maxGap) {
      flush(i);
      start = i;
    }
  }
  flush(seeds.length);
  return out.filter((q) => q.hits >= 1);
}
