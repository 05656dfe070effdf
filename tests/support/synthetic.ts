/**
 * Synthetic originals for the benchmarks: Zipf-like word streams of 300–1,000
 * units, fingerprinted by the real code — k-gram winnowing for the verbatim
 * tier, and for the rewrite tier a bottom-k sketch of the bigrams of their
 * content words (the 60 most frequent words play the function words, a
 * sentence ends every 12–30 words).
 */
import { DEFAULT_PARAMS, kgramHashes, winnow, type FingerprintParams } from '../../lib/fingerprint';
import type { IndexBuilder } from '../../lib/index/build-index';
import { DEFAULT_REWRITE_PARAMS, sketchGrams } from '../../lib/rewrite/grams';
import type { Terms } from '../../lib/rewrite/terms';
import { mix32 } from '../../lib/text/normalize';
import { rng } from './make-pages';
import { syntheticMeta } from './synthetic-meta';

/** Adds originals number from … from+n−1 (the same numbers give the same originals for the same seed; ids end in -{number}). */
export function addSynthetic(
  b: IndexBuilder,
  from: number,
  n: number,
  seed: number,
  params: FingerprintParams = DEFAULT_PARAMS,
  /** With the translation tier: each original's keys, language and text (syntheticTranslation). */
  translation?: (i: number) => { keys: Uint32Array; lang: string; text: string },
): void {
  const units = new Uint32Array(1200);
  const terms: Terms = {
    hashes: new Uint32Array(1200),
    starts: new Uint32Array(1200),
    ends: new Uint32Array(1200),
    sentence: new Uint32Array(1200),
    flags: new Uint8Array(1200),
    length: 0,
    sentences: [],
  };
  for (let i = from; i < from + n; i++) {
    const r = rng(seed * 1_000_003 + i);
    const len = 300 + Math.floor(r() * 700);
    terms.length = 0;
    let sentence = 0;
    let nextEnd = 12 + Math.floor(r() * 18);
    for (let j = 0; j < len; j++) {
      const rank = Math.floor(Math.pow(60000, r()));
      units[j] = mix32(rank);
      if (j === nextEnd) {
        sentence++;
        nextEnd += 12 + Math.floor(r() * 18);
      }
      if (rank < 60) continue;
      terms.hashes[terms.length] = mix32(rank ^ 0x2545f491);
      terms.sentence[terms.length] = sentence;
      terms.length++;
    }
    const fp = winnow(kgramHashes(units, len, params.k), params.w);
    const sk = sketchGrams(terms, DEFAULT_REWRITE_PARAMS);
    const t = translation?.(i);
    // Metadata shaped like real output (synthetic-meta.ts), in the language of the text when there is one.
    const m = syntheticMeta(i, seed, t ? (t.lang.startsWith('zh') ? 'zh' : 'en') : undefined);
    b.addFingerprints(
      { ...m, lang: t?.lang ?? m.lang, units: len, grams: sk.grams },
      Uint32Array.from(new Set(fp.hashes)),
      t?.text,
      sk.sketch,
      t?.keys,
    );
  }
}

/**
 * The translation tier for synthetic originals (benchmarks): for original i, a key sketch shaped like
 * the real originals' (each key that two or more real sketches share is in it with the share of real
 * sketches that carry it; fresh random keys up to the real sketches' mean size), and the language and
 * text of a real original (cycled), so that a candidate costs to align what a real one would.
 */
export function syntheticTranslation(real: Array<{ lang: string; text: string }>, sketchOf: (text: string) => Uint32Array, seed = 20261201): (i: number) => { keys: Uint32Array; lang: string; text: string } {
  const df = new Map<number, number>();
  let sketched = 0;
  for (const o of real) {
    const sk = sketchOf(o.text);
    sketched += sk.length;
    for (const k of sk) df.set(k, (df.get(k) ?? 0) + 1);
  }
  const shared = [...df].filter(([, d]) => d >= 2).sort((a, c) => a[0] - c[0]);
  const size = Math.round(sketched / real.length);
  return (i) => {
    const r = rng(seed * 7 + i);
    const keys = new Set<number>();
    for (const [k, d] of shared) if (r() < d / real.length) keys.add(k);
    while (keys.size < size) keys.add((r() * 2 ** 32) >>> 0);
    const o = real[i % real.length]!;
    return { keys: Uint32Array.from(keys), lang: o.lang, text: o.text };
  };
}
