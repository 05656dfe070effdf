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

/** Units counted as shared between two consecutive hits `gap` units apart (see above). */
function sharedUnits(gap: number, p: FingerprintParams): number {
  return gap <= p.w + p.k - 1 ? gap : Math.min(gap, p.k);
}

/** Groups page hits (sorted by page position) into passages. */
export function passagesFromHits(hits: Hit[], p: FingerprintParams, o: AlignOptions): UnitPassage[] {
  const out: UnitPassage[] = [];
  let cur: UnitPassage | undefined;
  let prev = -1;
  for (const h of hits) {
    if (cur && h.page - prev <= o.maxGap) {
      const gap = h.page - prev;
      cur.matched += sharedUnits(gap, p);
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

export interface UnitTexts {
  page: Uint32Array;
  pageLength: number;
  orig: Uint32Array;
  origLength: number;
}

/**
 * Exact extent of an aligned segment when both unit sequences are known:
 * seeds are extended unit by unit (left of the first, right of the last,
 * and across the gaps between seeds, along each seed's diagonal), and only
 * units that are equal on the page and in the original count as matched.
 * `lo`/`hi` bound the page range (neighbouring segments).
 */
function extendSeeds(seeds: Array<[number, number]>, k: number, t: UnitTexts, lo: number, hi: number): UnitPassage {
  const first = seeds[0]!;
  const last = seeds[seeds.length - 1]!;
  let p0 = first[0];
  let o0 = first[1];
  while (p0 > lo && o0 > 0 && t.page[p0 - 1] === t.orig[o0 - 1]) {
    p0--;
    o0--;
  }
  let pe = last[0] + k;
  let oe = last[1] + k;
  while (pe < hi && oe < t.origLength && t.page[pe] === t.orig[oe]) {
    pe++;
    oe++;
  }
  const mark = new Uint8Array(pe - p0);
  let origMin = o0;
  let origMax = oe;
  for (let i = 0; i < seeds.length; i++) {
    const [sp, so] = seeds[i]!;
    mark.fill(1, sp - p0, Math.min(sp + k, pe) - p0);
    origMin = Math.min(origMin, so);
    origMax = Math.max(origMax, so + k);
    const next = seeds[i + 1];
    if (!next) continue;
    // Right of this seed along its diagonal, up to the next seed.
    for (let j = sp + k, q = so + k; j < next[0] && q < t.origLength && t.page[j] === t.orig[q]; j++, q++) mark[j - p0] = 1;
    // Left of the next seed along its diagonal, back to this seed's k-gram.
    for (let j = next[0] - 1, q = next[1] - 1; j >= sp + k && q >= 0 && t.page[j] === t.orig[q]; j--, q--) mark[j - p0] = 1;
  }
  mark.fill(1, 0, first[0] - p0);
  mark.fill(1, last[0] + k - p0, pe - p0);
  let matched = 0;
  for (let i = 0; i < mark.length; i++) matched += mark[i]!;
  return { pageStart: p0, pageEnd: pe, matched, hits: seeds.length, origStart: Math.min(origMin, o0), origEnd: origMax };
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
  texts?: UnitTexts,
  bounds: [number, number] = [0, Number.MAX_SAFE_INTEGER],
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
    if (texts) {
      const lo = Math.max(bounds[0], out.length ? out[out.length - 1]!.pageEnd : 0);
      const hi = Math.min(bounds[1], texts.pageLength, endExclusive < seeds.length ? seeds[endExclusive]![0] : Number.MAX_SAFE_INTEGER);
      out.push(extendSeeds(part, p.k, texts, lo, hi));
      return;
    }
    let matched = p.k;
    for (let i = 1; i < part.length; i++) {
      const gap = part[i]![0] - part[i - 1]![0];
      matched += sharedUnits(gap, p);
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
