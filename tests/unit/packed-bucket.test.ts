import { describe, expect, it } from 'vitest';
import { packBucket, unpackAll, unpackBucket } from '../../lib/store/packed-bucket';

function rand(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Postings of `n` distinct hashes in one bucket of `lowBits` low bits: mostly one doc, some long lists. */
function postings(n: number, lowBits: number, docs: number, seed: number) {
  const r = rand(seed);
  const lows = new Set<number>();
  while (lows.size < n) lows.add(Math.floor(r() * 2 ** lowBits));
  const hashes = Uint32Array.from([...lows].sort((a, b) => a - b).map((l) => (0xabc00000 & ~(2 ** lowBits - 1)) + l));
  const offsets = [0];
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    const count = r() < 0.9 ? 1 : 1 + Math.floor(r() * (r() < 0.1 ? 3000 : 20));
    const list = new Set<number>();
    while (list.size < Math.min(count, docs)) list.add(Math.floor(r() * docs));
    all.push(...[...list].sort((a, b) => a - b));
    offsets.push(all.length);
  }
  return { hashes, offsets: Uint32Array.from(offsets), docs: Uint32Array.from(all) };
}

describe('packed postings buckets', () => {
  for (const [n, lowBits, docs] of [[1, 28, 1], [64, 20, 1000], [1100, 16, 1_000_000], [300, 12, 2 ** 32 - 1], [5, 4, 50]] as const)
    it(`round-trips ${n} hashes of ${lowBits} low bits, docs below ${docs}`, () => {
      const p = postings(n, lowBits, docs, n * 31 + lowBits);
      const packed = packBucket(p.hashes, p.offsets, p.docs, 0, n, lowBits, docs);
      const all = unpackAll(packed);
      expect(all.lows).toEqual([...p.hashes].map((h) => h & (2 ** lowBits - 1)));
      for (let i = 0; i < n; i++) expect([...all.lists[i]!]).toEqual([...p.docs.subarray(p.offsets[i]!, p.offsets[i + 1]!)]);
      // Looking up some present and some absent hashes.
      const lows = all.lows.filter((_, i) => i % 3 === 0);
      const absent = Array.from({ length: 20 }, (_, i) => (i * 7919) % 2 ** lowBits).filter((l) => !all.lows.includes(l));
      const wanted = [...new Set([...lows, ...absent])].sort((a, b) => a - b);
      const got = unpackBucket(packed, wanted);
      wanted.forEach((l, i) => {
        const at = all.lows.indexOf(l);
        if (at < 0) expect(got[i]).toBeUndefined();
        else expect([...got[i]!]).toEqual([...all.lists[at]!]);
      });
    });

  it('takes under 4 bytes a posting for a full bucket of single-doc hashes at a million originals', () => {
    const r = rand(7);
    const lows = new Set<number>();
    while (lows.size < 1100) lows.add(Math.floor(r() * 2 ** 16));
    const hashes = Uint32Array.from([...lows].sort((a, b) => a - b));
    const offsets = Uint32Array.from({ length: 1101 }, (_, i) => i);
    const docs = Uint32Array.from({ length: 1100 }, () => Math.floor(r() * 1_000_000));
    const bytes = packBucket(hashes, offsets, docs, 0, 1100, 16, 1_000_000).length;
    expect(bytes / 1100).toBeLessThan(4);
  });

  it('refuses truncated or unknown data', () => {
    const p = postings(50, 16, 1000, 3);
    const packed = packBucket(p.hashes, p.offsets, p.docs, 0, 50, 16, 1000);
    expect(() => unpackAll(packed.subarray(0, packed.length - 10))).toThrow(RangeError);
    const other = packed.slice();
    other[0] = 9;
    expect(() => unpackBucket(other, [1])).toThrow(/format/);
  });
});
