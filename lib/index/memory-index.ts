import type { FingerprintParams } from '../fingerprint';
import type { IndexHeader, IndexReader, OriginalMeta } from './types';

/**
 * Postings in three flat typed arrays: sorted distinct hashes, offsets into
 * `docs`, and docs (ascending within each hash). A bucket table on the top
 * bits of the hash narrows each lookup to a few dozen entries, so a lookup
 * touches a few cache lines however large the index grows.
 */
export class MemoryIndex implements IndexReader {
  constructor(
    readonly header: IndexHeader,
    readonly metas: OriginalMeta[],
    readonly hashes: Uint32Array,
    readonly offsets: Uint32Array,
    readonly docs: Uint32Array,
    readonly texts: Array<string | undefined> = [],
  ) {}

  get params(): FingerprintParams {
    return this.header.params;
  }

  private bucketBits = 0;
  private buckets?: Uint32Array;

  /** Builds the bucket table: about 32 distinct hashes per bucket. */
  private bucketTable(): Uint32Array {
    const H = this.hashes.length;
    const bits = Math.min(24, Math.max(4, Math.ceil(Math.log2(Math.max(1, H / 32)))));
    const table = new Uint32Array((1 << bits) + 1);
    const shift = 32 - bits;
    for (let i = 0; i < H; i++) table[(this.hashes[i]! >>> shift) + 1]!++;
    for (let b = 1; b < table.length; b++) table[b]! += table[b - 1]!;
    this.bucketBits = bits;
    this.buckets = table;
    return table;
  }

  /** Index of `h` in `hashes`, or -1. */
  find(h: number): number {
    const a = this.hashes;
    const table = this.buckets ?? this.bucketTable();
    const b = h >>> (32 - this.bucketBits);
    let lo = table[b]!;
    let hi = table[b + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v < h) lo = mid + 1;
      else if (v > h) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  lookupSync(hashes: Uint32Array): Uint32Array[] {
    const out: Uint32Array[] = new Array(hashes.length);
    const empty = new Uint32Array(0);
    for (let i = 0; i < hashes.length; i++) {
      const at = this.find(hashes[i]!);
      out[i] = at < 0 ? empty : this.docs.subarray(this.offsets[at]!, this.offsets[at + 1]!);
    }
    return out;
  }

  async lookup(hashes: Uint32Array): Promise<Uint32Array[]> {
    return this.lookupSync(hashes);
  }

  async originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>> {
    return docs.map((d) => this.metas[d]);
  }

  async text(doc: number): Promise<string | undefined> {
    return this.texts[doc];
  }
}

/**
 * Docs a … b−1 of `index` as an index of their own, docs numbered from 0.
 * Groups: 'whole' keeps them numbered in the whole index (a feed shard, one
 * slice of a segment); 'own' keeps only groups inside the slice (a delta,
 * a segment of its own).
 */
export function sliceIndex(index: MemoryIndex, a: number, b: number, groups: 'whole' | 'own'): MemoryIndex {
  const hashes: number[] = [];
  const offsets: number[] = [0];
  const docs: number[] = [];
  for (let i = 0; i < index.hashes.length; i++) {
    const before = docs.length;
    for (let j = index.offsets[i]!; j < index.offsets[i + 1]!; j++) {
      const d = index.docs[j]!;
      if (d >= a && d < b) docs.push(d - a);
    }
    if (docs.length > before) {
      hashes.push(index.hashes[i]!);
      offsets.push(docs.length);
    }
  }
  const group = (m: OriginalMeta) => (groups === 'whole' ? m.group : m.group >= a && m.group < b ? m.group - a : m.doc - a);
  const metas = index.metas.slice(a, b).map((m) => ({ ...m, doc: m.doc - a, group: group(m) }));
  return new MemoryIndex(
    { ...index.header, originals: b - a, distinctHashes: hashes.length, postings: docs.length },
    metas,
    Uint32Array.from(hashes),
    Uint32Array.from(offsets),
    Uint32Array.from(docs),
    index.texts.slice(a, b),
  );
}
