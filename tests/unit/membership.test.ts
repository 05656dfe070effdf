import { describe, expect, it } from 'vitest';
import { FilterProbes, filterSize, MAX_PROBES } from '../../lib/store/membership';
import { mix32 } from '../../lib/text/normalize';

/** Distinct pseudo-random 32-bit hashes, as k-gram hashes are (mixed): `n` of them from `from` on. */
function hashes(from: number, n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => mix32(from + i));
}

/** The filter's parts, as the store keeps them. */
function parts(bits: Uint8Array, partBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bits.length; at += partBytes) out.push(bits.slice(at, at + partBytes));
  return out;
}

function build(stored: Uint32Array, maxBits: number, partBytes: number) {
  const size = filterSize(stored.length, maxBits);
  const probes = new FilterProbes({ bits: size.bits, partBits: partBytes * 8, probes: size.probes });
  const bits = new Uint8Array(size.bits / 8);
  probes.add(bits, stored);
  return { size, probes, bits, parts: parts(bits, Math.min(partBytes, bits.length)) };
}

function falsePositives(probes: FilterProbes, read: ReadonlyArray<Uint8Array | undefined>, absent: Uint32Array): number {
  let n = 0;
  for (const h of absent) if (probes.mayHold(read, h)) n++;
  return n / absent.length;
}

describe('membership filter', () => {
  it('sizes 16 to 32 bits a hash up to the cap, with ln 2 × bits a hash probes (at most MAX_PROBES)', () => {
    expect(filterSize(0, 2 ** 27)).toEqual({ bits: 2 ** 16, probes: MAX_PROBES });
    expect(filterSize(100_000, 2 ** 27)).toEqual({ bits: 2 ** 21, probes: MAX_PROBES });
    // Capped: 71M hashes (a million originals) in 2^29 bits, 7.55 a hash: 5 probes.
    expect(filterSize(71_109_473, 2 ** 29)).toEqual({ bits: 2 ** 29, probes: 5 });
    expect(filterSize(71_109_473, 2 ** 27)).toEqual({ bits: 2 ** 27, probes: 1 });
  });

  it('has no false negatives, whether the filter is one part or many', () => {
    for (const [n, maxBits, partBytes] of [
      [300, 2 ** 27, 1 << 15],
      [50_000, 2 ** 27, 1 << 15],
      [50_000, 2 ** 18, 1 << 10],
      [50_000, 2 ** 18, 8],
    ] as const) {
      const stored = hashes(1, n);
      const { probes, parts: read } = build(stored, maxBits, partBytes);
      expect(stored.every((h) => probes.mayHold(read, h))).toBe(true);
    }
  });

  it('passes about the Bloom filter false-positive rate (1 − e^(−k·n/m))^k, well under one probe’s at the same size', () => {
    const stored = hashes(1, 100_000);
    const absent = hashes(10_000_000, 200_000);
    // Capped at 2^19 bits: 5.24 bits a hash, 4 probes: 8.1% in theory; one probe would pass 17.4%.
    const capped = build(stored, 2 ** 19, 1 << 12);
    expect(capped.size.probes).toBe(4);
    const fp = falsePositives(capped.probes, capped.parts, absent);
    expect(fp).toBeGreaterThan(0.07);
    expect(fp).toBeLessThan(0.095);
    const one = new FilterProbes({ bits: 2 ** 19, partBits: 1 << 15, probes: 1 });
    const oneBits = new Uint8Array(2 ** 16);
    one.add(oneBits, stored);
    expect(falsePositives(one, parts(oneBits, 1 << 12), absent)).toBeGreaterThan(0.16);
    // Uncapped (2^21 bits, 21 a hash, 8 probes): about 0.02%.
    const roomy = build(stored, 2 ** 27, 1 << 15);
    expect(falsePositives(roomy.probes, roomy.parts, absent)).toBeLessThan(0.001);
  });

  it('with one probe, sets bit h mod (its bits) as filters before probes did, so stored filters read the same', () => {
    const stored = hashes(7, 20_000);
    for (const [bits, partBytes] of [
      [2 ** 16, 1 << 15],
      [2 ** 20, 1 << 15],
      [2 ** 20, 64],
    ] as const) {
      const old = new Uint8Array(bits / 8);
      for (const h of stored) old[(h & (bits - 1)) >>> 3]! |= 1 << (h & 7);
      const now = new Uint8Array(bits / 8);
      new FilterProbes({ bits, partBits: partBytes * 8, probes: 1 }).add(now, stored);
      expect(now).toEqual(old);
    }
  });

  it('answers from each part alone: a hash whose part is unread may be present, one whose part is read is answered as by the whole filter', () => {
    const stored = hashes(3, 20_000);
    const absent = hashes(5_000_000, 20_000);
    const { probes, parts: all } = build(stored, 2 ** 27, 256);
    expect(all.length).toBeGreaterThan(8);
    const some = all.map((p, i) => (i % 3 === 0 ? p : undefined));
    for (const h of [...stored, ...absent]) {
      const part = probes.partOf(h);
      expect(probes.mayHold(some, h)).toBe(some[part] ? probes.mayHold(all, h) : true);
    }
    // The unread parts' absent hashes all pass; the read parts' almost none.
    const inRead = absent.filter((h) => some[probes.partOf(h)]);
    expect(inRead.length).toBeGreaterThan(5000);
    expect(falsePositives(probes, some, inRead)).toBeLessThan(0.001);
  });
});
