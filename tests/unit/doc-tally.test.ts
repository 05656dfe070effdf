import { describe, expect, it } from 'vitest';
import { DocTally } from '../../lib/match/doc-tally';

/** The ranking DocTally replaces: maps, then a full sort. */
function sorted(lists: Uint32Array[], n: number, minHits: number, byHits: boolean): number[] {
  const hits = new Map<number, number>();
  const weight = new Map<number, number>();
  for (const list of lists)
    for (const d of list) {
      hits.set(d, (hits.get(d) ?? 0) + 1);
      weight.set(d, (weight.get(d) ?? 0) + 1 / list.length);
    }
  return [...hits]
    .filter(([, h]) => h >= minHits)
    .sort((a, b) => weight.get(b[0])! - weight.get(a[0])! || (byHits ? b[1] - a[1] : 0) || a[0] - b[0])
    .slice(0, n)
    .map(([d]) => d);
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('DocTally', () => {
  it('counts hits and rarity weights per doc', () => {
    const t = new DocTally();
    t.add(Uint32Array.of(3, 7));
    t.add(Uint32Array.of(7, 9, 11, 13));
    expect(t.hitsOf(7)).toBe(2);
    expect(t.hitsOf(3)).toBe(1);
    expect(t.hitsOf(5)).toBe(0);
    // 7: 1/2 + 1/4; 3: 1/2; the others 1/4 (lower doc first among equals).
    expect(t.top(10, 1)).toEqual([7, 3, 9, 11, 13]);
    expect(t.top(2, 1)).toEqual([7, 3]);
    expect(t.top(10, 2)).toEqual([7]);
    expect(t.top(0, 1)).toEqual([]);
  });

  it('breaks equal weights by hits when asked, then by doc', () => {
    const t = new DocTally();
    // 5: two lists of 4 (1/4 + 1/4); 4 and 40: one list of 2 (1/2): equal weights, 5 has more hits.
    t.add(Uint32Array.of(5, 20, 21, 22));
    t.add(Uint32Array.of(5, 30, 31, 32));
    t.add(Uint32Array.of(4, 40));
    expect(t.top(3, 1, true)).toEqual([5, 4, 40]);
    expect(t.top(3, 1, false)).toEqual([4, 5, 40]);
  });

  it('ranks as a full sort does, on random lists of many sizes', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = random(seed);
      const docs = 50 + Math.floor(r() * 3000);
      const lists: Uint32Array[] = [];
      for (let k = 0, m = 1 + Math.floor(r() * 200); k < m; k++) {
        const len = 1 + Math.floor(r() * r() * 400);
        lists.push(Uint32Array.from(new Set(Array.from({ length: len }, () => Math.floor(r() * docs)))));
      }
      const t = new DocTally();
      for (const l of lists) t.add(l);
      for (const [n, minHits, byHits] of [[24, 4, false], [4, 2, true], [4, 1, true], [1, 1, false], [500, 3, false]] as const) {
        expect(t.top(n, minHits, byHits), `seed ${seed}, n ${n}, min ${minHits}`).toEqual(sorted(lists, n, minHits, byHits));
      }
    }
  });
});
