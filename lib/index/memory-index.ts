import type { FingerprintParams } from '../fingerprint';
import type { IndexHeader, IndexReader, OriginalMeta } from './types';

/**
 * Postings in three flat typed arrays: sorted distinct hashes, offsets into
 * `docs`, and docs (ascending within each hash). Lookup is a binary search per
 * hash, so its cost grows with log(distinct hashes), not with the index size.
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

  /** Index of `h` in `hashes`, or -1. */
  find(h: number): number {
    const a = this.hashes;
    let lo = 0;
    let hi = a.length - 1;
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
