/**
 * Builds an index from originals: fingerprints every text, groups near-copies
 * (syndication between outlets) and drops stop-hashes, i.e. fingerprints that
 * several unrelated originals share (quoted official statements, boilerplate)
 * or that are very frequent, so that they can never make a match on their own.
 */
import { NEAR_COPY_MAX_DF, nearCopyGroups } from './near-copies';
import { DEFAULT_PARAMS, fingerprintText, type FingerprintParams } from '../fingerprint';
import { DEFAULT_REWRITE_PARAMS, distinctGrams, sketchGrams, type RewriteParams } from '../rewrite/grams';
import { GramCounter } from '../rewrite/common-grams';
import { contentTerms } from '../rewrite/terms';
import type { Dictionary } from '../translate/dictionary';
import { textSketch, TRANSLATE_VERSION } from '../translate/keys';
import { MemoryIndex } from './memory-index';
import { radixSortPairs } from './radix-sort';
import { textSha } from './text-sha';
import type { IndexHeader, OriginalInput, OriginalMeta, Postings } from './types';

export interface BuildOptions {
  params?: FingerprintParams;
  /** A hash carried by originals of this many syndication groups is a stop-hash. */
  stopGroups?: number;
  /** A hash carried by more than this share of originals is a stop-hash. */
  stopShare?: number;
  /** Two originals sharing this share of the smaller one's fingerprints are one syndication group. */
  groupOverlap?: number;
  /** Keep original texts (for side-by-side evidence). */
  keepText?: boolean;
  created?: string;
  /** The rewrite tier's parameters; null builds an index without it. */
  rewrite?: RewriteParams | null;
  /** Common grams of wording known already (an earlier version's, when a delta re-adds its originals by their fingerprints). */
  common?: number[];
  /** A rewrite-tier gram carried by more than this many originals, or this share of them, is a stop-hash. */
  stopMin2?: number;
  stopShare2?: number;
  /** Builds the translation tier (language-neutral key sketches, lib/translate/keys.ts) with this dictionary. */
  translate?: Dictionary;
}

export const DEFAULT_BUILD: Required<Omit<BuildOptions, 'created' | 'common' | 'translate'>> = {
  params: DEFAULT_PARAMS,
  stopGroups: 3,
  stopShare: 0.001,
  groupOverlap: 0.5,
  keepText: true,
  rewrite: DEFAULT_REWRITE_PARAMS,
  stopMin2: 8,
  stopShare2: 0.0002,
};

/** (hash, doc) pairs of one tier, in growing typed arrays (there may be tens of millions). */
class PairList {
  keys = new Uint32Array(1 << 16);
  vals = new Uint32Array(1 << 16);
  n = 0;

  add(distinct: ArrayLike<number>, doc: number): void {
    this.reserve(distinct.length);
    for (let i = 0; i < distinct.length; i++) {
      this.keys[this.n] = distinct[i]!;
      this.vals[this.n] = doc;
      this.n++;
    }
  }

  private reserve(extra: number) {
    if (this.n + extra <= this.keys.length) return;
    let size = this.keys.length * 2;
    while (size < this.n + extra) size *= 2;
    const k = new Uint32Array(size);
    k.set(this.keys.subarray(0, this.n));
    const v = new Uint32Array(size);
    v.set(this.vals.subarray(0, this.n));
    this.keys = k;
    this.vals = v;
  }

  /** Sorts by hash and returns where each distinct hash's run starts (and n at the end). */
  sortRuns(): Uint32Array {
    const { keys, n } = this;
    radixSortPairs(keys, this.vals, n);
    let runs = 0;
    for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) runs++;
    const runStart = new Uint32Array(runs + 1);
    for (let i = 0, r = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) runStart[r++] = i;
    runStart[runs] = n;
    return runStart;
  }

  /** The postings of the runs marked kept. */
  postings(runStart: Uint32Array, isKept: Uint8Array): Postings {
    const runs = runStart.length - 1;
    let kept = 0;
    let total = 0;
    for (let r = 0; r < runs; r++) if (isKept[r]) {
      kept++;
      total += runStart[r + 1]! - runStart[r]!;
    }
    const hashes = new Uint32Array(kept);
    const offsets = new Uint32Array(kept + 1);
    const docs = new Uint32Array(total);
    let at = 0;
    for (let r = 0, j = 0; r < runs; r++) {
      if (!isKept[r]) continue;
      const a = runStart[r]!;
      const b = runStart[r + 1]!;
      hashes[j] = this.keys[a]!;
      offsets[j] = at;
      docs.set(this.vals.subarray(a, b), at);
      at += b - a;
      j++;
    }
    offsets[kept] = at;
    return { hashes, offsets, docs };
  }

  release(): void {
    this.keys = new Uint32Array(0);
    this.vals = new Uint32Array(0);
    this.n = 0;
  }
}

/** Incremental builder: add originals one by one, then finish(). */
export class IndexBuilder {
  private readonly opts: Required<Omit<BuildOptions, 'created' | 'common' | 'translate'>> & { created?: string; common?: number[]; translate?: Dictionary };
  private readonly tier1 = new PairList();
  private readonly tier2 = new PairList();
  private readonly tier3 = new PairList();
  /** How many originals use each gram of wording: the common ones (formulas of the genre) are not evidence of rewriting. */
  private gramCounter?: GramCounter;
  readonly metas: OriginalMeta[] = [];
  private readonly texts: Array<string | undefined> = [];
  private readonly ids = new Map<string, number>();

  constructor(options: BuildOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.opts = { ...DEFAULT_BUILD, ...given };
  }

  get size(): number {
    return this.metas.length;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Adds one original; returns its doc number. Throws on a duplicate id. */
  add(rec: OriginalInput): number {
    if (this.ids.has(rec.id)) throw new Error(`duplicate id ${JSON.stringify(rec.id)}`);
    const doc = this.metas.length;
    const fp = fingerprintText(rec.text, this.opts.params);
    const distinct = Array.from(new Set(fp.hashes));
    this.tier1.add(distinct, doc);
    const rw = this.opts.rewrite;
    const terms = rw ? contentTerms(rec.text, fp.seg) : undefined;
    const sk = rw && terms ? sketchGrams(terms, rw) : undefined;
    if (rw && terms) (this.gramCounter ??= new GramCounter()).add(distinctGrams(terms, rw.k, true));
    const grams = sk?.sketch;
    if (grams) this.tier2.add(grams, doc);
    if (this.opts.translate) this.tier3.add(textSketch(rec.text, this.opts.translate), doc);
    this.ids.set(rec.id, doc);
    this.metas.push({
      doc,
      id: rec.id,
      outlet: rec.outlet,
      url: rec.url,
      title: rec.title,
      published: rec.published,
      lang: rec.lang,
      units: fp.seg.length,
      fps: distinct.length,
      ...(sk ? { fps2: sk.sketch.length, grams: sk.grams } : {}),
      group: doc,
      sha: textSha(rec.text),
    });
    this.texts.push(this.opts.keepText ? rec.text : undefined);
    return doc;
  }

  /**
   * Adds pre-computed distinct fingerprints (an earlier index's originals, or
   * synthetic ones in benchmarks) and, for the rewrite tier, distinct grams.
   */
  addFingerprints(meta: Omit<OriginalMeta, 'doc' | 'fps' | 'fps2' | 'group'>, distinct: Uint32Array, text?: string, grams?: Uint32Array, translateKeys?: Uint32Array): number {
    // `meta.grams`: the original's distinct rewrite-tier grams before sketching (kept from an earlier index).
    if (this.ids.has(meta.id)) throw new Error(`duplicate id ${JSON.stringify(meta.id)}`);
    const doc = this.metas.length;
    this.tier1.add(distinct, doc);
    const withGrams = this.opts.rewrite && grams;
    if (withGrams) this.tier2.add(grams, doc);
    // The translation tier's sketch, when given (benchmarks' synthetic originals) and the index builds that tier.
    if (this.opts.translate && translateKeys) this.tier3.add(translateKeys, doc);
    this.ids.set(meta.id, doc);
    const { sha, ...rest } = meta;
    this.metas.push({ ...rest, doc, fps: distinct.length, ...(withGrams ? { fps2: grams.length } : {}), group: doc, ...(sha !== undefined ? { sha } : {}) });
    this.texts.push(this.opts.keepText ? text : undefined);
    return doc;
  }

  finish(): MemoryIndex {
    const N = this.metas.length;
    const { vals } = this.tier1;
    const runStart = this.tier1.sortRuns();
    const runs = runStart.length - 1;

    const group = groupNearCopies(this.metas, vals, runStart, this.opts.groupOverlap);
    for (const m of this.metas) m.group = group[m.doc]!;

    // Stop-hashes.
    const maxDf = Math.max(this.opts.stopGroups, Math.floor(this.opts.stopShare * N));
    const isKept = new Uint8Array(runs);
    let stop = 0;
    const lost = new Uint32Array(N);
    for (let r = 0; r < runs; r++) {
      const a = runStart[r]!;
      const b = runStart[r + 1]!;
      let isStop = b - a > maxDf;
      if (!isStop && b - a >= this.opts.stopGroups) {
        const groups = new Set<number>();
        for (let i = a; i < b; i++) groups.add(group[vals[i]!]!);
        isStop = groups.size >= this.opts.stopGroups;
      }
      if (isStop) {
        stop++;
        for (let i = a; i < b; i++) lost[vals[i]!]!++;
      } else isKept[r] = 1;
    }
    for (const m of this.metas) m.fps -= lost[m.doc]!;
    const v = this.tier1.postings(runStart, isKept);
    this.tier1.release();

    // The rewrite tier: only very frequent grams are stop-hashes (a gram that a few
    // originals share is still evidence when many of a page's grams point at one of them).
    let rewrite: Postings | undefined;
    let stop2 = 0;
    const rw = this.opts.rewrite;
    if (rw) {
      const runStart2 = this.tier2.sortRuns();
      const runs2 = runStart2.length - 1;
      const maxDf2 = Math.max(this.opts.stopMin2, Math.floor(this.opts.stopShare2 * N));
      const kept2 = new Uint8Array(runs2);
      const lost2 = new Uint32Array(N);
      for (let r = 0; r < runs2; r++) {
        const a = runStart2[r]!;
        const b = runStart2[r + 1]!;
        if (b - a > maxDf2) {
          stop2++;
          for (let i = a; i < b; i++) lost2[this.tier2.vals[i]!]!++;
        } else kept2[r] = 1;
      }
      for (const m of this.metas) if (m.fps2 !== undefined) m.fps2 -= lost2[m.doc]!;
      rewrite = this.tier2.postings(runStart2, kept2);
      this.tier2.release();
    }

    // The translation tier: sketches are small and every key is kept (a page's keys are weighed by rarity).
    let translate: Postings | undefined;
    if (this.opts.translate) {
      const runStart3 = this.tier3.sortRuns();
      translate = this.tier3.postings(runStart3, new Uint8Array(runStart3.length - 1).fill(1));
      this.tier3.release();
    }

    const header: IndexHeader = {
      format: 'provenance-index',
      version: 1,
      params: this.opts.params,
      created: this.opts.created ?? new Date().toISOString(),
      originals: N,
      distinctHashes: v.hashes.length,
      postings: v.docs.length,
      stopHashes: stop,
      ...(rw && rewrite
        ? { rewrite: { terms: rw.terms, k: rw.k, sketch: rw.sketch, distinctHashes: rewrite.hashes.length, postings: rewrite.docs.length, stopHashes: stop2, common: mergeSorted(this.gramCounter?.common(N) ?? [], this.opts.common ?? []) } }
        : {}),
      ...(translate ? { translate: { version: TRANSLATE_VERSION, distinctHashes: translate.hashes.length, postings: translate.docs.length } } : {}),
    };
    return new MemoryIndex(header, this.metas, v.hashes, v.offsets, v.docs, this.texts, rewrite, translate);
  }
}

/**
 * Union-find over originals that share at least `overlap` of the smaller
 * one's fingerprints. Only hashes shared by a few originals are counted, so
 * the cost stays near-linear.
 */
function groupNearCopies(
  metas: OriginalMeta[],
  vals: Uint32Array,
  runStart: Uint32Array,
  overlap: number,
): Uint32Array {
  const N = metas.length;
  const pairs = new Map<number, number>();
  for (let r = 0; r + 1 < runStart.length; r++) {
    const a = runStart[r]!;
    const b = runStart[r + 1]!;
    if (b - a < 2 || b - a > NEAR_COPY_MAX_DF) continue;
    for (let i = a; i < b; i++)
      for (let j = i + 1; j < b; j++) {
        const key = vals[i]! * N + vals[j]!; // < 2^53 for N < 2^26
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
  }
  return nearCopyGroups(N, (d) => metas[d]!.fps, overlap, (visit) => {
    for (const [key, count] of pairs) {
      const x = Math.floor(key / N);
      visit(x, key - x * N, count);
    }
  });
}

/** The union of two ascending lists, ascending. */
function mergeSorted(a: number[], b: number[]): number[] {
  if (!b.length) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
