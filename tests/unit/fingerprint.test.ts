import { describe, expect, it } from 'vitest';
import { fingerprintText, kgramHashes, winnow } from '../../lib/fingerprint';
import { rng } from '../support/make-pages';

function randomWords(r: () => number, n: number): string[] {
  return Array.from({ length: n }, () => 'w' + Math.floor(r() * 5000).toString(36));
}

describe('kgramHashes', () => {
  it('rolls to the same hash as hashing each window from scratch', () => {
    const units = Uint32Array.from({ length: 50 }, (_, i) => (i * 2654435761) >>> 0);
    const all = kgramHashes(units, 50, 5);
    for (const at of [0, 7, 45]) {
      const fresh = kgramHashes(units.slice(at, at + 5), 5, 5);
      expect(all[at]).toBe(fresh[0]);
    }
    expect(kgramHashes(units, 4, 5).length).toBe(0);
  });
});

describe('winnow', () => {
  it('selects the rightmost minimum of every window, each position once', () => {
    const h = Uint32Array.from([5, 3, 3, 9, 1, 7, 7, 2, 8, 6]);
    const fp = winnow(h, 4);
    // windows: [5,3,3,9]→pos2, [3,3,9,1]→4, [3,9,1,7]→4, [9,1,7,7]→4, [1,7,7,2]→4, [7,7,2,8]→7, [7,2,8,6]→7
    expect(Array.from(fp.positions)).toEqual([2, 4, 7]);
    expect(Array.from(fp.hashes)).toEqual([3, 1, 2]);
  });
  it('keeps one fingerprint for a text shorter than a window', () => {
    expect(Array.from(winnow(Uint32Array.from([4, 2, 9]), 8).positions)).toEqual([1]);
    expect(winnow(new Uint32Array(0), 8).hashes.length).toBe(0);
  });
  it('guarantees a shared fingerprint for every shared run of w + k - 1 units', () => {
    const r = rng(7);
    const k = 8;
    const w = 12;
    for (let trial = 0; trial < 200; trial++) {
      const shared = randomWords(r, w + k - 1).join(' ');
      const a = fingerprintText(`${randomWords(r, 40).join(' ')} ${shared} ${randomWords(r, 40).join(' ')}`, { k, w });
      const b = fingerprintText(`${randomWords(r, 30).join(' ')} ${shared} ${randomWords(r, 50).join(' ')}`, { k, w });
      const setB = new Set(b.hashes);
      expect(Array.from(a.hashes).some((h) => setB.has(h))).toBe(true);
    }
  });
  it('keeps about 2/(w+1) of the k-grams', () => {
    const text = randomWords(rng(3), 20000).join(' ');
    const fp = fingerprintText(text, { k: 8, w: 12 });
    const density = fp.hashes.length / (20000 - 8 + 1);
    expect(density).toBeGreaterThan(0.13);
    expect(density).toBeLessThan(0.18);
  });
});
