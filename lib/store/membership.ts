/**
 * A tier's membership filter: a Bloom filter (Bloom 1970) whose probes for one hash all fall in one
 * part of the filter (a block of 32 KiB: a lookup touches one block, and a part answers for its
 * hashes on its own).
 *
 * Layout, for a filter of F bits stored in parts of P bits (both powers of two), B = min(F, P):
 * - the part: bits log2(P) … log2(F) − 1 of the hash (0 when the filter is one part);
 * - the probes inside it: p_i = (h mod B + i · s) mod B for i < probes, s = mix32(h) made odd
 *   (double hashing, Kirsch & Mitzenmacher 2006; an odd step visits distinct bits).
 * With one probe this is the single-bit filter schema 7 and 8 wrote (bit h mod F), so filters
 * stored before probes were counted read the same.
 *
 * Hashes are k-gram hashes, already mixed (lib/fingerprint.ts): their low bits are uniform.
 */
import { mix32 } from '../text/normalize';

/** Bits of filter per distinct hash below the cap (rounded up to a power of two of bits in all). */
export const BITS_PER_HASH = 16;
/** Most bits of the verbatim tier's filter (64 MiB: about 7.5 bits per hash at 71M distinct hashes, 1M originals). */
export const MAX_VERBATIM_FILTER_BITS = 2 ** 29;
/** Most bits of the other tiers' filters (16 MiB). */
export const MAX_FILTER_BITS = 2 ** 27;
/** Most probes per hash (each is a bit test; beyond this the false-positive rate gains little). */
export const MAX_PROBES = 8;

/** The filter's size in bits and its probes per hash for `distinct` hashes under a cap of `maxBits`. */
export function filterSize(distinct: number, maxBits: number): { bits: number; probes: number } {
  let bits = 1 << 16;
  while (bits < distinct * BITS_PER_HASH && bits < maxBits) bits *= 2;
  // The number of probes that minimises false positives: ln 2 × bits per hash.
  const probes = Math.max(1, Math.min(MAX_PROBES, Math.round((Math.LN2 * bits) / Math.max(1, distinct))));
  return { bits, probes };
}

/** A filter's sizes: its bits, its parts' bits (both powers of two) and its probes per hash. */
export interface FilterShape {
  bits: number;
  partBits: number;
  probes: number;
}

/** Where a hash's probes fall in a filter of some shape: its part, and its first bit and step inside the part. */
export class FilterProbes {
  /** Bits probed inside one part: the part's, or the whole filter's when it is smaller. */
  private readonly inPart: number;
  private readonly partMask: number;
  private readonly partShift: number;
  readonly probes: number;

  constructor(shape: FilterShape) {
    const B = Math.min(shape.bits, shape.partBits);
    this.inPart = B - 1;
    this.partMask = shape.bits > B ? shape.bits - 1 : 0;
    this.partShift = Math.log2(shape.partBits);
    this.probes = shape.probes;
  }

  /** The part that holds a hash's probes. */
  partOf(h: number): number {
    return (h & this.partMask) >>> this.partShift;
  }

  /** Sets the probes of every hash in `filter` (the whole filter's bytes, parts in order). */
  add(filter: Uint8Array, hashes: Uint32Array): void {
    const inB = this.inPart;
    const partBytes = (inB + 1) >>> 3;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]!;
      const base = this.partOf(h) * partBytes;
      const step = mix32(h) | 1;
      let p = h & inB;
      for (let j = 0; j < this.probes; j++) {
        filter[base + (p >>> 3)]! |= 1 << (p & 7);
        p = (p + step) & inB;
      }
    }
  }

  /** Whether `h` may be in the filter whose part holding it is `bits`: every probe's bit is set. */
  inPartBits(bits: Uint8Array, h: number): boolean {
    const inB = this.inPart;
    const step = mix32(h) | 1;
    let p = h & inB;
    for (let j = 0; j < this.probes; j++) {
      if (!(bits[p >>> 3]! & (1 << (p & 7)))) return false;
      p = (p + step) & inB;
    }
    return true;
  }

  /** Whether `h` may be in the filter, given its parts read so far (a hash whose part is unread may be there). */
  mayHold(parts: ReadonlyArray<Uint8Array | undefined>, h: number): boolean {
    const bits = parts[this.partOf(h)];
    return !bits || this.inPartBits(bits, h);
  }
}
