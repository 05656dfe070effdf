/**
 * Matching: fingerprints → candidate originals → aligned passages → coverage.
 * Pure logic over an IndexReader; runs the same in Node and in the extension.
 */
import { kgramHashes } from '../fingerprint';
import type { IndexReader, OriginalMeta } from '../index/types';
import { segment, type Segmented } from '../text/normalize';
import { alignToOriginal, defaultAlignOptions, passagesFromHits, type AlignOptions, type Hit, type UnitPassage } from './align';

export interface Passage {
  /** UTF-16 offsets in the page text [start, end). */
  pageStart: number;
  pageEnd: number;
  /** Shared units in this passage. */
  units: number;
  /** UTF-16 offsets in the original's text, when the index carries it. */
  origStart?: number;
  origEnd?: number;
}

export interface CandidateMatch {
  original: OriginalMeta;
  /** Share of the page's units that are shared with this original (0–1). */
  pageCoverage: number;
  /** Share of the original's fingerprints found on the page (0–1). */
  originalCoverage: number;
  /** Shared units. */
  matchedUnits: number;
  passages: Passage[];
  /** Other originals of the same syndication group that match too. */
  alsoIn: OriginalMeta[];
  /**
   * Page offsets of the copied text: passages widened by w + k units on each
   * side (passage ends are only known to within a window) and merged.
   */
  copiedExtent: Array<[number, number]>;
}

export interface TextMatch {
  /** True when the page text was longer than maxTextLength and only its start was matched. */
  truncated: boolean;
  pageUnits: number;
  /** k-grams of the page that were looked up. */
  fingerprints: number;
  candidates: CandidateMatch[];
}

export interface MatchOptions {
  /** Distinct shared fingerprints an original needs to be verified at all. */
  minCandidateHits: number;
  /** How many of the best candidates are verified. */
  maxCandidates: number;
  align?: Partial<AlignOptions>;
  /** Page texts longer than this (UTF-16 units) are cut; the cut is reported. */
  maxTextLength: number;
}

export const DEFAULT_MATCH: MatchOptions = {
  minCandidateHits: 3,
  maxCandidates: 16,
  maxTextLength: 10_000_000,
};

export async function matchText(
  text: string,
  index: IndexReader,
  options: Partial<MatchOptions> = {},
): Promise<TextMatch> {
  const o = { ...DEFAULT_MATCH, ...options };
  const params = index.params;
  const align = { ...defaultAlignOptions(params), ...o.align };
  const pageText = text.length > o.maxTextLength ? text.slice(0, o.maxTextLength) : text;
  // The index keeps winnowed fingerprints of each original; the page is
  // looked up with all of its k-grams. Any shared run of w + k - 1 units holds
  // an indexed fingerprint, and every indexed fingerprint inside shared text
  // is found (not only those the page's own winnowing would have kept).
  const seg = segment(pageText);
  const grams = kgramHashes(seg.units, seg.length, params.k);
  const result: TextMatch = { truncated: pageText.length < text.length, pageUnits: seg.length, fingerprints: grams.length, candidates: [] };
  if (grams.length === 0) return result;

  const unique = Uint32Array.from(new Set(grams));
  const lists = await index.lookup(unique);
  const postingsOf = new Map<number, Uint32Array>();
  for (let i = 0; i < unique.length; i++) if (lists[i]!.length) postingsOf.set(unique[i]!, lists[i]!);
  const hitsByDoc = new Map<number, Hit[]>();
  for (let i = 0; i < grams.length; i++) {
    const list = postingsOf.get(grams[i]!);
    if (!list) continue;
    for (let j = 0; j < list.length; j++) {
      const doc = list[j]!;
      let hits = hitsByDoc.get(doc);
      if (!hits) hitsByDoc.set(doc, (hits = []));
      hits.push({ page: i, hash: grams[i]! });
    }
  }
  const ranked = [...hitsByDoc]
    .map(([doc, hits]) => ({ doc, hits, distinct: new Set(hits.map((h) => h.hash)).size }))
    .filter((c) => c.distinct >= o.minCandidateHits)
    .sort((a, b) => b.distinct - a.distinct || a.doc - b.doc)
    .slice(0, o.maxCandidates);
  if (ranked.length === 0) return result;

  const metas = await index.originals(ranked.map((c) => c.doc));
  const verified: CandidateMatch[] = [];
  for (let c = 0; c < ranked.length; c++) {
    const meta = metas[c];
    if (!meta) continue;
    const { hits } = ranked[c]!;
    let passages = passagesFromHits(hits, params, align);
    if (passages.length === 0) continue;
    const inPassages = new Set<number>();
    for (const h of hits)
      if (passages.some((q) => h.page >= q.pageStart && h.page < q.pageEnd)) inPassages.add(h.hash);
    let matchedUnits = passages.reduce((s, q) => s + q.matched, 0);
    const origText = await index.text(meta.doc);
    let origSeg: Segmented | undefined;
    if (origText !== undefined) {
      origSeg = segment(origText);
      const positions = positionsOf(origSeg, params.k, inPassages);
      const texts = { page: seg.units, pageLength: seg.length, orig: origSeg.units, origLength: origSeg.length };
      passages = passages.flatMap((q, i) =>
        alignToOriginal(q, hits, positions, params, align, texts, [passages[i - 1]?.pageEnd ?? 0, passages[i + 1]?.pageStart ?? seg.length]),
      );
      matchedUnits = passages.reduce((s, q) => s + q.matched, 0);
    }
    // With the original's text, its coverage is the share of its units inside aligned
    // passages; without it, the share of its fingerprints found on the page.
    const originalCoverage = origSeg
      ? unionLength(passages.map((q) => [q.origStart ?? 0, q.origEnd ?? 0])) / Math.max(1, origSeg.length)
      : meta.fps
        ? inPassages.size / meta.fps
        : 0;
    verified.push({
      original: meta,
      pageCoverage: seg.length ? Math.min(1, matchedUnits / seg.length) : 0,
      originalCoverage: Math.min(1, originalCoverage),
      matchedUnits,
      passages: passages.map((q) => toOffsets(q, seg, origSeg)),
      alsoIn: [],
      copiedExtent: extentOf(passages, seg, params.w + params.k),
    });
  }
  verified.sort((a, b) => b.matchedUnits - a.matchedUnits || b.originalCoverage - a.originalCoverage);

  // Fold syndication-group mates of a better candidate into its alsoIn.
  const byGroup = new Map<number, CandidateMatch>();
  for (const v of verified) {
    const lead = byGroup.get(v.original.group);
    if (lead) lead.alsoIn.push(v.original);
    else {
      byGroup.set(v.original.group, v);
      result.candidates.push(v);
    }
  }
  return result;
}

function unionLength(spans: Array<[number, number]>): number {
  let total = 0;
  let end = -1;
  for (const [a, b] of spans.sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

function extentOf(passages: UnitPassage[], seg: Segmented, margin: number): Array<[number, number]> {
  const spans = passages
    .map((q) => [Math.max(0, q.pageStart - margin), Math.min(seg.length, q.pageEnd + margin) - 1] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const start = a === 0 ? 0 : seg.starts[a]!;
    const end = b >= seg.length - 1 ? Number.MAX_SAFE_INTEGER : seg.ends[b]!;
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Unit positions in the original of every k-gram whose hash is wanted. */
function positionsOf(seg: Segmented, k: number, wanted: Set<number>): Map<number, number[]> {
  const all = kgramHashes(seg.units, seg.length, k);
  const out = new Map<number, number[]>();
  for (let i = 0; i < all.length; i++) {
    const h = all[i]!;
    if (!wanted.has(h)) continue;
    const list = out.get(h);
    if (list) list.push(i);
    else out.set(h, [i]);
  }
  return out;
}

function toOffsets(q: UnitPassage, page: Segmented, orig?: Segmented): Passage {
  const last = Math.min(q.pageEnd, page.length) - 1;
  const p: Passage = { pageStart: page.starts[q.pageStart]!, pageEnd: page.ends[last]!, units: q.matched };
  if (orig && q.origStart !== undefined && q.origEnd !== undefined) {
    p.origStart = orig.starts[q.origStart]!;
    p.origEnd = orig.ends[Math.min(q.origEnd, orig.length) - 1]!;
  }
  return p;
}
