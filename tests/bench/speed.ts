/**
 * Speed benchmarks: fingerprinting throughput beside a naive baseline (all
 * k-grams in a JS Set, Jaccard against every original), and lookup + verify
 * time and memory of a 10 KB article as the index grows with synthetic
 * originals.
 */
import { DEFAULT_PARAMS, fingerprintText, type FingerprintParams } from '../../lib/fingerprint';
import { IndexBuilder } from '../../lib/index/build-index';
import { encodeMeta, encodePostings } from '../../lib/index/index-codec';
import { matchText } from '../../lib/match/match-text';
import { addSynthetic } from '../support/synthetic';
import type { OriginalInput } from '../../lib/index/types';

const now = () => performance.now();

/** Median of `runs` timings of fn (ms). */
export function time(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = now();
    fn();
    t.push(now() - a);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

/** The naive baseline: word/char k-gram strings in a Set. */
export function naiveShingles(text: string, k: number): Set<string> {
  const units = text.toLowerCase().match(/[\p{Script=Han}]|[\p{L}\p{N}]+/gu) ?? [];
  const set = new Set<string>();
  for (let i = 0; i + k <= units.length; i++) set.add(units.slice(i, i + k).join(' '));
  return set;
}

export function naiveJaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

export interface ThroughputResult {
  megabytes: number;
  oursMBs: number;
  naiveMBs: number;
  ratio: number;
  naiveScanMs: number;
  oursScanMs: number;
}

export async function throughput(corpus: OriginalInput[], p: FingerprintParams = DEFAULT_PARAMS): Promise<ThroughputResult> {
  const texts = corpus.map((o) => o.text);
  // ~4 MB of text: repeat the corpus.
  const big: string[] = [];
  let bytes = 0;
  while (bytes < 4e6) for (const t of texts) {
    big.push(t);
    bytes += Buffer.byteLength(t);
  }
  const mb = bytes / 1e6;
  const gc = (globalThis as { gc?: () => void }).gc;
  const runOurs = () => {
    for (const t of big) fingerprintText(t, p);
  };
  const runNaive = () => {
    for (const t of big) naiveShingles(t, p.k);
  };
  runOurs(); // warm up both on the whole set
  runNaive();
  // Alternate the two, a full GC before each timing; medians of 5.
  const oursT: number[] = [];
  const naiveT: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc?.();
    oursT.push(time(runOurs, 1));
    gc?.();
    naiveT.push(time(runNaive, 1));
  }
  const median = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const ours = median(oursT);
  const naive = median(naiveT);
  // End to end over the fixture corpus: naive Jaccard against every original vs index lookup.
  const { IndexBuilder } = await import('../../lib/index/build-index');
  const b = new IndexBuilder({ params: p });
  for (const o of corpus) b.add(o);
  const idx = b.finish();
  const sets = corpus.map((o) => naiveShingles(o.text, p.k));
  const naiveScanMs = time(() => {
    for (const t of texts) {
      const s = naiveShingles(t, p.k);
      for (const o of sets) naiveJaccard(s, o);
    }
  }, 3);
  const a = now();
  for (const t of texts) await matchText(t, idx);
  const oursScanMs = now() - a;
  return { megabytes: mb, oursMBs: mb / (ours / 1000), naiveMBs: mb / (naive / 1000), ratio: naive / ours, naiveScanMs, oursScanMs };
}

export interface ScalePoint {
  originals: number;
  buildSeconds: number;
  lookupMsP50: number;
  lookupMsP95: number;
  indexBytes: number;
  bytesPerOriginal: number;
  indexHeapMB: number;
  lookupHeapKB: number;
  found: boolean;
}

/**
 * Grows an index with synthetic originals (Zipfian word streams of news-article
 * length, fingerprinted by the real k-gram and winnowing code) plus the real
 * fixture originals, and times lookup + verify of a 10 KB article made of
 * three fixture originals and commentary.
 */
export async function scalePoint(n: number, real: OriginalInput[], page: string, p: FingerprintParams = DEFAULT_PARAMS): Promise<ScalePoint> {
  const t0 = now();
  const b = new IndexBuilder({ params: p, keepText: true });
  for (const o of real) b.add(o);
  // Synthetic originals of news-article length, fingerprinted by the real code (both tiers).
  addSynthetic(b, 0, n, n, p);
  const index = b.finish();
  const buildSeconds = (now() - t0) / 1000;
  const rw = index.postings('rewrite');
  const postings = encodePostings(index.hashes, index.offsets, index.docs).length + (index.header.rewrite ? encodePostings(rw.hashes, rw.offsets, rw.docs).length : 0);
  // Metadata of a synthetic original as it would be stored (id, outlet, url, title, date, lang, counts).
  const metaBytes = index.metas.slice(real.length).reduce((s, m) => s + Buffer.byteLength(encodeMeta(m)) + 1, 0);
  const indexBytes = postings + metaBytes;
  const heapIndex = (index.hashes.byteLength + index.offsets.byteLength + index.docs.byteLength + rw.hashes.byteLength + rw.offsets.byteLength + rw.docs.byteLength) / 1e6;

  const times: number[] = [];
  let found = false;
  for (let i = 0; i < 3; i++) await matchText(page, index); // warm up
  // Memory one lookup allocates: heap growth over a single call after a full GC.
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  await matchText(page, index);
  const heapPeak = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    const a = now();
    const m = await matchText(page, index);
    times.push(now() - a);
    found = m.candidates.length >= 4;
  }
  times.sort((a, b) => a - b);
  return {
    originals: n + real.length,
    buildSeconds,
    lookupMsP50: times[Math.floor(times.length * 0.5)]!,
    lookupMsP95: times[Math.floor(times.length * 0.95)]!,
    indexBytes,
    bytesPerOriginal: indexBytes / n,
    indexHeapMB: heapIndex,
    lookupHeapKB: (heapPeak - heapBefore) / 1024,
    found,
  };
}
