/** Synthetic originals for the benchmarks: Zipf-like word streams of 300–1,000 units, fingerprinted by the real code. */
import { DEFAULT_PARAMS, kgramHashes, winnow } from '../../lib/fingerprint';
import type { IndexBuilder } from '../../lib/index/build-index';
import { mix32 } from '../../lib/text/normalize';
import { rng } from './make-pages';

/** Adds originals syn-{from} … syn-{from+n−1} (the same ids give the same originals for the same seed). */
export function addSynthetic(b: IndexBuilder, from: number, n: number, seed: number): void {
  const units = new Uint32Array(1200);
  for (let i = from; i < from + n; i++) {
    const r = rng(seed * 1_000_003 + i);
    const len = 300 + Math.floor(r() * 700);
    for (let j = 0; j < len; j++) units[j] = mix32(Math.floor(Math.pow(60000, r())));
    const fp = winnow(kgramHashes(units, len, DEFAULT_PARAMS.k), DEFAULT_PARAMS.w);
    b.addFingerprints(
      { id: `syn-${i}`, outlet: 'synthetic', url: `https://www.synthetic-outlet.test/news/2026/03/14/${i}-fictional-story-slug.html`, title: `Synthetic article number ${i} about an invented event somewhere`, published: '2026-03-14', lang: 'en', units: len },
      Uint32Array.from(new Set(fp.hashes)),
    );
  }
}
