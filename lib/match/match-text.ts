/**
 * Matching: fingerprints → candidate originals → aligned passages → coverage.
 * Pure logic over an IndexReader; runs the same in Node and in the extension.
 */
import { fingerprintText, kgramHashes, type FingerprintParams } from '../fingerprint';
import type { IndexReader, OriginalMeta } from '../index/types';
import type { AlignOptions as SentenceAlignOptions } from '../rewrite/align-sentences';
import { pageGrams, rewriteEvidence, type PageGrams, type RewriteEvidence } from '../rewrite/match-rewrite';
import { quotedSpans } from '../rewrite/terms';
import { segment, type Segmented } from '../text/normalize';
import type { TranslationEvidence } from '../translate/match-translation';
import { alignToOriginal, defaultAlignOptions, passagesFromHits, type AlignOptions, type Hit, type UnitPassage } from './align';
import { DocTally } from './doc-tally';

export interface Passage {
  /** UTF-16 offsets in the page text [start, end). */
  pageStart: number;
  pageEnd: number;
  /** Shared units in this passage. */
  units: number;
  /** UTF-16 offsets in the original's text, when the index carries it. */
  origStart?: number;
  origEnd?: number;
  /** verbatim: shared text; rewritten: a page sentence and the original sentence(s) it was written from. */
  kind: 'verbatim' | 'rewritten' | 'translated';
  /** For rewritten passages: offsets of the shared terms in the page text and in the original's text. */
  pageMarks?: Array<[number, number]>;
  origMarks?: Array<[number, number]>;
}

/** How a page reuses an original: word for word, rewritten, or both. */
export type ReuseKind = 'verbatim' | 'rewritten' | 'mixed' | 'translated';

export interface CandidateMatch {
  original: OriginalMeta;
  /** Share of the page's units derived from this original, word for word or rewritten (0–1). */
  pageCoverage: number;
  /** Share of the original the page derives from (0–1). */
  originalCoverage: number;
  /** Units shared word for word (the verbatim tier). */
  matchedUnits: number;
  /**
   * Of those, the units outside quotation marks on the page (quoted officials' words are in every
   * report of an event), in word-equivalents: a Chinese character counts half (two make a word).
   */
  unquotedUnits: number;
  /** The verbatim tier's own coverages. */
  verbatimPageCoverage: number;
  verbatimOriginalCoverage: number;
  reuse: ReuseKind;
  /** The rewrite tier's evidence, when it looked at this original. */
  rewrite?: RewriteEvidence;
  /** The translation tier's evidence (reuse "translated": the page is in another language). */
  translation?: TranslationEvidence;
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
  /** Rewrite tier: distinct sampled grams an original needs to be a candidate, and how many candidates are aligned. */
  minRewriteHits: number;
  maxRewriteCandidates: number;
  sentenceAlign?: Partial<SentenceAlignOptions>;
  /** Off: the verbatim tier only. */
  rewrite: boolean;
}

export const DEFAULT_MATCH: MatchOptions = {
  minCandidateHits: 3,
  maxCandidates: 16,
  maxTextLength: 10_000_000,
  minRewriteHits: 2,
  maxRewriteCandidates: 4,
  rewrite: true,
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
  const rw = o.rewrite ? index.rewrite : undefined;
  const pg: PageGrams | undefined = rw ? pageGrams(pageText, seg, rw) : undefined;
  // The verbatim tier first: when one original explains most of the page word for word, the rewrite
  // tier's lookups (a third of a copy page's rows at a million originals) are not needed (below).
  const looked = await verbatimLookups(unique, grams, index, params, o.maxCandidates);
  const postingsOf = looked.postingsOf;
  /** Each doc's hits by the rows read. */
  const hitsOfRows = () => {
    const byDoc = new Map<number, Hit[]>();
    for (let i = 0; i < grams.length; i++) {
      const list = postingsOf.get(grams[i]!);
      if (!list) continue;
      for (let j = 0; j < list.length; j++) {
        const doc = list[j]!;
        let hits = byDoc.get(doc);
        if (!hits) byDoc.set(doc, (hits = []));
        hits.push({ page: i, hash: grams[i]! });
      }
    }
    return byDoc;
  };
  let hitsByDoc = hitsOfRows();
  if (looked.skipped) {
    // Some rows were not read (hashes of originals verified from their texts): the best candidates'
    // hits come from their own fingerprints, so that none of theirs is missing.
    const best = rankByHits(hitsByDoc, o.minCandidateHits, o.maxCandidates, looked.verified).map((c) => c.doc);
    const fresh = best.filter((d) => !looked.verified.has(d));
    await verifyFromTexts(best, unique, index, params, looked.verified, looked.holds);
    if (looked.settle && fresh.length) {
      // Without the filters their fingerprints' rows are read (they may hold other docs too).
      const before = postingsOf.size;
      await looked.settle(fresh);
      if (postingsOf.size !== before) hitsByDoc = hitsOfRows();
    }
    for (const [doc, fps] of looked.verified) {
      const hits = hitsByDoc.get(doc) ?? [];
      const seen = new Set(hits.map((h) => h.hash));
      let added = false;
      for (let i = 0; i < grams.length; i++)
        if (fps.has(grams[i]!) && !seen.has(grams[i]!)) {
          hits.push({ page: i, hash: grams[i]! });
          added = true;
        }
      if (added) hits.sort((a, b) => a.page - b.page);
      if (hits.length) hitsByDoc.set(doc, hits);
    }
  }
  const ranked = rankByHits(hitsByDoc, o.minCandidateHits, o.maxCandidates);
  // A page most of which one original explains word for word needs no other original aligned
  // (reading and aligning texts is the costly part): only that one, for its rewritten sentences.
  let decisive: number | undefined;
  for (const c of ranked.slice(0, o.maxRewriteCandidates)) {
    const matched = passagesFromHits(c.hits, params, align).reduce((s, q) => s + q.matched, 0);
    if (seg.length && matched / seg.length >= 0.6) {
      decisive = c.doc;
      break;
    }
  }

  /** Hits, and hits weighted by rarity: a gram in the sketches of n originals counts 1/n. */
  let tally2 = new DocTally(0);
  /** Hits by the page's grams of wording only (not topical): what the estimate without texts uses. */
  const wordingHits2 = new Map<number, number>();
  /** Whether the rewrite tier's grams were looked up. */
  let looked2 = false;
  const lookupRewrite = async () => {
    looked2 = true;
    const lists2 = pg?.lookups.length ? await index.lookup(pg.lookups, 'rewrite') : undefined;
    if (!pg || !lists2) return;
    tally2 = new DocTally(lists2.reduce((n, list) => n + list.length, 0));
    // Common grams (the genre's formulas, in the hit original's own index segment) are no evidence of wording shared.
    const wording = new Set(pg.wording);
    lists2.forEach((list, i) => {
      const g = pg.lookups[i]!;
      if (!list.length) return;
      tally2.add(list);
      if (!wording.has(g)) return;
      for (let j = 0; j < list.length; j++) {
        const doc = list[j]!;
        if (!index.commonGramsOf?.(doc)?.has(g)) wordingHits2.set(doc, (wordingHits2.get(doc) ?? 0) + 1);
      }
    });
  };
  // With a decisive original, the rewrite tier could add only candidates that are not aligned
  // (they would be dropped below), and that original's rewritten sentences come from aligning its
  // text: its grams are looked up only if the index turns out to have no text for it.
  if (decisive === undefined) await lookupRewrite();
  // A short page (a brief, a post) has too few grams to hit two of a source's sketch grams even when
  // written from it: one hit is enough there, and candidates are ranked by their hits' rarity.
  const minHits = pg?.short ? 1 : o.minRewriteHits;
  const byRewrite = tally2.top(o.maxRewriteCandidates, minHits, true);
  const docs = [...new Set([...ranked.map((c) => c.doc), ...byRewrite])];
  if (docs.length === 0) return result;
  // Originals aligned sentence by sentence: the rewrite tier's best, and the verbatim tier's best few.
  const toAlign = new Set(decisive !== undefined ? [decisive] : [...byRewrite, ...ranked.slice(0, o.maxRewriteCandidates).map((c) => c.doc)]);
  const hitsOf = new Map(ranked.map((c) => [c.doc, c.hits]));

  const metas = await index.originals(docs);
  const verified: CandidateMatch[] = [];
  // Page units inside quotation marks.
  let quoted: Uint8Array | undefined;
  const quotedMask = () => {
    if (quoted) return quoted;
    quoted = new Uint8Array(seg.length);
    for (const [a, b] of quotedSpans(pageText)) quoted.fill(1, unitAt(seg, a), unitAt(seg, b));
    return quoted;
  };
  for (let c = 0; c < docs.length; c++) {
    const meta = metas[c];
    if (!meta) continue;
    const doc = docs[c]!;
    const hits = hitsOf.get(doc) ?? [];
    let passages = hits.length ? passagesFromHits(hits, params, align) : [];
    const inPassages = new Set<number>();
    for (const h of hits)
      if (passages.some((q) => h.page >= q.pageStart && h.page < q.pageEnd)) inPassages.add(h.hash);
    const rewriting = pg && rw && toAlign.has(doc);
    if (passages.length === 0 && !rewriting) continue;
    let matchedUnits = passages.reduce((s, q) => s + q.matched, 0);
    const origText = passages.length || rewriting ? await index.text(meta.doc) : undefined;
    // The sketch estimate (no text) needs the rewrite tier's hits.
    if (rewriting && origText === undefined && !looked2) await lookupRewrite();
    let origSeg: Segmented | undefined;
    if (origText !== undefined) origSeg = segment(origText);
    if (origSeg && passages.length) {
      const positions = positionsOf(origSeg, params.k, inPassages);
      const texts = { page: seg.units, pageLength: seg.length, orig: origSeg.units, origLength: origSeg.length };
      // Each passage extends along the original up to its neighbours: to the next one's first hit, and
      // from where the previous one, extended, ends (two passages split by a gap in the hits, text
      // the index left out, both extending into it would count it twice).
      const aligned: UnitPassage[] = [];
      passages.forEach((q, i) => {
        const lo = Math.max(passages[i - 1]?.pageEnd ?? 0, aligned[aligned.length - 1]?.pageEnd ?? 0);
        aligned.push(...alignToOriginal(q, hits, positions, params, align, texts, [lo, passages[i + 1]?.pageStart ?? seg.length]));
      });
      passages = aligned;
      matchedUnits = passages.reduce((s, q) => s + q.matched, 0);
    }
    // With the original's text, its coverage is the share of its units inside aligned
    // passages; without it, the share of its fingerprints found on the page.
    const origSpans: Array<[number, number]> = passages.map((q) => [q.origStart ?? 0, q.origEnd ?? 0]);
    const verbatimOriginalCoverage = Math.min(
      1,
      origSeg ? unionLength(origSpans.slice()) / Math.max(1, origSeg.length) : meta.fps ? inPassages.size / meta.fps : 0,
    );
    const verbatimPageCoverage = seg.length ? Math.min(1, matchedUnits / seg.length) : 0;
    let unquotedUnits = 0;
    if (passages.length) {
      const q = quotedMask();
      for (const p of passages) {
        // The passage's matched units, scaled by the share of its units outside quotes, Han characters at half weight.
        let free = 0;
        const end = Math.min(seg.length, p.pageEnd);
        for (let u = p.pageStart; u < end; u++) if (!q[u]) free += pageText.charCodeAt(seg.starts[u]!) >= 0x2e80 ? 0.5 : 1;
        unquotedUnits += (p.matched * free) / Math.max(1, end - p.pageStart);
      }
      unquotedUnits = Math.round(unquotedUnits);
    }
    let out: Passage[] = passages.map((q) => toOffsets(q, seg, origSeg));
    let pageCoverage = verbatimPageCoverage;
    let originalCoverage = verbatimOriginalCoverage;
    // Verbatim passages' ends are known only to within a window (widened below); sentences' ends exactly.
    const extentUnits: Array<[number, number, number]> = passages.map((q) => [q.pageStart, q.pageEnd, params.w + params.k]);
    let rewrite: RewriteEvidence | undefined;
    if (rewriting) {
      // Page units shared word for word; sentences mostly inside them need no alignment.
      const covered = new Uint8Array(seg.length);
      for (const q of passages) covered.fill(1, q.pageStart, Math.min(seg.length, q.pageEnd));
      const sentences = pg!.terms.sentences;
      const skip = new Uint8Array(sentences.length);
      if (passages.length)
        sentences.forEach(([a, b], i) => {
          const ua = unitAt(seg, a);
          const ub = unitAt(seg, b);
          let inside = 0;
          for (let u = ua; u < ub; u++) inside += covered[u]!;
          if (inside * 2 > ub - ua) skip[i] = 1;
        });
      rewrite = rewriteEvidence(pg!, { all: tally2.hitsOf(doc), wording: wordingHits2.get(doc) ?? 0 }, { text: origText, fps2: meta.fps2, grams: meta.grams }, rw!, o.sentenceAlign, origSeg, skip, index.commonGramsOf?.(meta.doc));
      if (rewrite.aligned) {
        // Page units derived: shared word for word, or in a derived sentence outside the verbatim passages.
        let extra = 0;
        const sentenceOut: Passage[] = [];
        for (const pair of rewrite.pairs) {
          const a = unitAt(seg, pair.pageStart);
          const b = unitAt(seg, pair.pageEnd);
          let fresh = 0;
          for (let u = a; u < b; u++) if (!covered[u]) {
            covered[u] = 1;
            fresh++;
          }
          extra += fresh;
          if (fresh > (b - a) / 2) {
            sentenceOut.push({ pageStart: pair.pageStart, pageEnd: pair.pageEnd, units: b - a, origStart: pair.origStart, origEnd: pair.origEnd, kind: 'rewritten', pageMarks: pair.pageMarks, origMarks: pair.origMarks });
            extentUnits.push([a, b, 0]);
          }
        }
        pageCoverage = seg.length ? Math.min(1, (matchedUnits + extra) / seg.length) : 0;
        if (origSeg) {
          for (const pair of rewrite.pairs) origSpans.push([unitAt(origSeg, pair.origStart), unitAt(origSeg, pair.origEnd)]);
          originalCoverage = Math.min(1, unionLength(origSpans) / Math.max(1, origSeg.length));
        }
        out = [...out, ...sentenceOut].sort((x, y) => x.pageStart - y.pageStart);
      } else {
        pageCoverage = Math.max(pageCoverage, rewrite.pageCoverage);
        originalCoverage = Math.max(originalCoverage, rewrite.originalCoverage);
      }
    }
    if (out.length === 0 && !(rewrite && !rewrite.aligned && rewrite.hits)) continue;
    const derived = Math.max(1e-9, pageCoverage);
    const share = verbatimPageCoverage / derived;
    verified.push({
      original: meta,
      pageCoverage,
      originalCoverage,
      matchedUnits,
      unquotedUnits,
      verbatimPageCoverage,
      verbatimOriginalCoverage,
      reuse: share >= 0.8 ? 'verbatim' : share <= 0.2 ? 'rewritten' : 'mixed',
      rewrite,
      passages: out,
      alsoIn: [],
      // Without aligned text nothing says which part of the page was copied: all of it may be.
      copiedExtent: out.length ? extentOf(extentUnits, seg) : [[0, Number.MAX_SAFE_INTEGER]],
    });
  }
  verified.sort((a, b) => b.pageCoverage - a.pageCoverage || b.matchedUnits - a.matchedUnits || b.originalCoverage - a.originalCoverage);

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

/** The docs with at least `min` distinct hashes among their hits, most first (then by doc), at most `max`, leaving out `except`. */
function rankByHits(hitsByDoc: Map<number, Hit[]>, min: number, max: number, except?: ReadonlyMap<number, unknown>): Array<{ doc: number; hits: Hit[]; distinct: number }> {
  return [...hitsByDoc]
    .filter(([doc]) => !except?.has(doc))
    .map(([doc, hits]) => ({ doc, hits, distinct: new Set(hits.map((h) => h.hash)).size }))
    .filter((c) => c.distinct >= min)
    .sort((a, b) => b.distinct - a.distinct || a.doc - b.doc)
    .slice(0, max);
}

/** Below this many hashes that may be in the index, a page reads them all at once. */
const STAGE_MIN = 32;
/** A quarter of those hashes (by two low bits) are read first, to find the originals the page copies. */
const SAMPLE_MASK = 3;
/** How many of the sample's best originals are verified from their texts. */
const STAGE_VERIFY = 3;

interface VerbatimLookups {
  /** Each hash read, with its docs (hashes without any left out). */
  postingsOf: Map<number, Uint32Array>;
  /** Originals verified from their texts: the page's hashes that are their fingerprints in the index. */
  verified: Map<number, Set<number>>;
  /** Whether rows were left unread because verified originals explain their hashes. */
  skipped: boolean;
  /** Whether the index holds a hash for a doc, where its row was read (undefined where it was not). */
  holds?: (hash: number, doc: number) => boolean | undefined;
  /** Without the filters: reads the rows of these verified docs' fingerprints not read yet and keeps those the rows hold. */
  settle?: (docs: Iterable<number>) => Promise<void>;
}

/**
 * The verbatim tier's lookups of a page's distinct k-grams. A store whose rows cost a read each
 * (one with `mayHold`) is read in two steps: a sample of a quarter of the hashes (those its
 * membership filters may hold, or all of them while the filters are not read yet: the first page
 * after the worker starts) first; its best originals are then verified from their own texts (their
 * fingerprints are computed as the index computed them, and kept where the index holds them: by
 * the rows read, else by the filters; without filters their rows are read next, `settle`); then
 * every other hash except those fingerprints and hashes inside text a verified original shares
 * with the page. A copy page's rows are mostly its original's fingerprints and the filter's false
 * positives inside its text, so it reads a fraction of them; a page that copies nothing reads as
 * many as before. What is not read: other originals with those hashes, which share with the page only
 * text that a verified original also has (they are found when the sample or the rest hits them).
 */
async function verbatimLookups(unique: Uint32Array, grams: Uint32Array, index: IndexReader, params: FingerprintParams, maxCandidates: number): Promise<VerbatimLookups> {
  const postingsOf = new Map<number, Uint32Array>();
  const verified = new Map<number, Set<number>>();
  /** Hashes whose rows were read (with docs or without). */
  const wasRead = new Set<number>();
  const read = async (hashes: Uint32Array) => {
    if (!hashes.length) return;
    const lists = await index.lookup(hashes);
    for (let i = 0; i < hashes.length; i++) {
      wasRead.add(hashes[i]!);
      if (lists[i]!.length) postingsOf.set(hashes[i]!, lists[i]!);
    }
  };
  const may = index.mayHold?.(unique);
  const present = may ? unique.filter((_, i) => may[i] === 1) : unique;
  if (!index.mayHold || present.length <= STAGE_MIN) {
    await read(present);
    return { postingsOf, verified, skipped: false };
  }
  const sampled = present.filter((h) => (h & SAMPLE_MASK) === 0);
  const others = present.filter((h) => (h & SAMPLE_MASK) !== 0);
  await read(sampled);
  const counts = new Map<number, number>();
  for (const list of postingsOf.values()) for (let j = 0; j < list.length; j++) counts.set(list[j]!, (counts.get(list[j]!) ?? 0) + 1);
  const best = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, Math.min(STAGE_VERIFY, maxCandidates))
    .map(([doc]) => doc);
  const holds = (h: number, doc: number) => (wasRead.has(h) ? !!postingsOf.get(h)?.includes(doc) : undefined);
  /**
   * Without the filters nothing tells a verified original's fingerprint from one of its stop-hashes
   * (text many originals share, which the index left out and which must not count): the rows of its
   * fingerprints not read yet are read, and its fingerprints are then those the rows hold.
   */
  const settle = async (docs: Iterable<number>) => {
    if (may) return;
    const unknown = new Set<number>();
    for (const doc of docs) for (const h of verified.get(doc) ?? []) if (holds(h, doc) === undefined) unknown.add(h);
    await read(Uint32Array.from(unknown));
    for (const doc of docs) {
      const fps = verified.get(doc);
      if (fps) for (const h of fps) if (!holds(h, doc)) fps.delete(h);
    }
  };
  await verifyFromTexts(best, unique, index, params, verified, holds);
  await settle(best);
  // Left unread: the verified originals' fingerprints, and hashes the page has only inside text a
  // verified original shares with it word for word — between two of its fingerprints at most w
  // k-grams apart (shared text has one in every window of w): another original with such a hash
  // shares that text with the verified one.
  const explained = new Set<number>();
  const covered = new Uint8Array(grams.length);
  for (const fps of verified.values()) {
    let last = -1;
    for (let i = 0; i < grams.length; i++) {
      if (!fps.has(grams[i]!)) continue;
      if (last >= 0 && i - last <= params.w) covered.fill(1, last, i + 1);
      last = i;
    }
    for (const h of fps) explained.add(h);
  }
  const outside = new Set<number>();
  for (let i = 0; i < grams.length; i++) if (!covered[i]) outside.add(grams[i]!);
  const rest = others.filter((h) => !wasRead.has(h) && !explained.has(h) && outside.has(h));
  await read(rest);
  return { postingsOf, verified, skipped: others.some((h) => !wasRead.has(h)), holds, settle };
}

/**
 * Adds to `verified` each doc's fingerprints among the page's hashes, from its text (fingerprinted
 * as the index was built), kept where the index holds them for that doc: by the rows read (`holds`),
 * else where the doc's own index segment may hold them (the index left out its stop-hashes; one
 * its filter passes counts as a hit inside shared text). While the filters are not read, every one
 * is kept here and the caller reads their rows (`settle`). Docs without a text are left out.
 */
async function verifyFromTexts(
  docs: number[],
  unique: Uint32Array,
  index: IndexReader,
  params: FingerprintParams,
  verified: Map<number, Set<number>>,
  holds?: (hash: number, doc: number) => boolean | undefined,
): Promise<void> {
  const todo = docs.filter((d) => !verified.has(d));
  if (!todo.length) return;
  const page = new Set(unique);
  const texts = await Promise.all(todo.map((d) => index.text(d)));
  todo.forEach((doc, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const shared = Uint32Array.from(new Set(fingerprintText(text, params).hashes.filter((h) => page.has(h))));
    const may = index.mayHold?.(shared, doc);
    verified.set(doc, new Set(shared.filter((h, j) => holds?.(h, doc) ?? (may ? may[j] === 1 : true))));
  });
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

/** The unit at or after a text offset. */
function unitAt(seg: Segmented, offset: number): number {
  let lo = 0;
  let hi = seg.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seg.starts[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Page offsets of unit ranges [start, end), each widened by its margin in units, merged. */
function extentOf(ranges: Array<[number, number, number]>, seg: Segmented): Array<[number, number]> {
  const spans = ranges
    .map(([a, b, margin]) => [Math.max(0, a - margin), Math.min(seg.length, b + margin) - 1] as const)
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
  const p: Passage = { pageStart: page.starts[q.pageStart]!, pageEnd: page.ends[last]!, units: q.matched, kind: 'verbatim' };
  if (orig && q.origStart !== undefined && q.origEnd !== undefined) {
    p.origStart = orig.starts[q.origStart]!;
    p.origEnd = orig.ends[Math.min(q.origEnd, orig.length) - 1]!;
  }
  return p;
}
