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

  it('decodes a code of 32 or more ones wherever it falls in the reader’s window (a wide gap between hashes)', () => {
    // 39 neighbouring hashes, then one at the bucket's end: its gap's Rice quotient is over 100 ones.
    // Doc widths 1–24 and a second doc or not move where that run starts relative to the reader's 32-bit window.
    const lows = [...Array.from({ length: 39 }, (_, i) => i), 65535];
    for (let width = 1; width <= 24; width++)
      for (const pairs of [false, true]) {
        const docLimit = 2 ** width;
        const offsets = [0];
        const docs: number[] = [];
        for (const [i] of lows.entries()) {
          docs.push((i * 7919) % docLimit);
          if (pairs && i % 3 === 0) docs.push(docLimit - 1);
          if (docs.length > 1 && offsets.at(-1) !== docs.length - 1 && docs.at(-1)! <= docs.at(-2)!) docs.pop();
          offsets.push(docs.length);
        }
        const data = packBucket(Uint32Array.from(lows), Uint32Array.from(offsets), Uint32Array.from(docs), 0, lows.length, 16, docLimit);
        const want = lows.map((_, i) => docs.slice(offsets[i], offsets[i + 1]));
        expect(unpackAll(data).lows).toEqual(lows);
        expect(unpackAll(data).lists.map((l) => [...l])).toEqual(want);
        expect(unpackBucket(data, [38, 65535]).map((l) => [...l!])).toEqual([want[38], want[39]]);
      }
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
