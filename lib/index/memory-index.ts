import { sortedIndexOf } from './sorted';
import type { FingerprintParams } from '../fingerprint';
import type { RewriteParams } from '../rewrite/grams';
import { TERMS_VERSION } from '../rewrite/terms';
import type { IndexHeader, IndexReader, LookupOptions, OriginalMeta, Postings, Tier } from './types';

/**
 * One tier's postings with a bucket table on the top bits of the hash, which
 * narrows each lookup to a few dozen entries, so a lookup touches a few cache
 * lines however large the index grows.
 */
class PostingsTable {
  private bucketBits = 0;
  private buckets?: Uint32Array;
  constructor(readonly p: Postings) {}

  /** Builds the bucket table: about 32 distinct hashes per bucket. */
  private bucketTable(): Uint32Array {
    const H = this.p.hashes.length;
    const bits = Math.min(24, Math.max(4, Math.ceil(Math.log2(Math.max(1, H / 32)))));
    const table = new Uint32Array((1 << bits) + 1);
    const shift = 32 - bits;
    for (let i = 0; i < H; i++) table[(this.p.hashes[i]! >>> shift) + 1]!++;
    for (let b = 1; b < table.length; b++) table[b]! += table[b - 1]!;
    this.bucketBits = bits;
    this.buckets = table;
    return table;
  }

  /** Index of `h` in the hashes, or -1. */
  find(h: number): number {
    const a = this.p.hashes;
    const table = this.buckets ?? this.bucketTable();
    const b = h >>> (32 - this.bucketBits);
    return sortedIndexOf(a, h, table[b]!, table[b + 1]! - 1);
  }

  lookup(hashes: Uint32Array): Uint32Array[] {
    const out: Uint32Array[] = new Array(hashes.length);
    const empty = new Uint32Array(0);
    for (let i = 0; i < hashes.length; i++) {
      const at = this.find(hashes[i]!);
      out[i] = at < 0 ? empty : this.p.docs.subarray(this.p.offsets[at]!, this.p.offsets[at + 1]!);
    }
    return out;
  }
}

const EMPTY: Postings = { hashes: new Uint32Array(0), offsets: new Uint32Array(1), docs: new Uint32Array(0) };

/**
 * The whole index in memory: the verbatim tier's postings in three flat typed
 * arrays (sorted distinct hashes, offsets into `docs`, docs ascending within
 * each hash), the rewrite tier's postings alike when the index carries them,
 * the originals' metadata and, optionally, their texts.
 */
export class MemoryIndex implements IndexReader {
  private readonly tables: Partial<Record<Tier, PostingsTable>> = {};
  constructor(
    readonly header: IndexHeader,
    readonly metas: OriginalMeta[],
    readonly hashes: Uint32Array,
    readonly offsets: Uint32Array,
    readonly docs: Uint32Array,
    readonly texts: Array<string | undefined> = [],
    /** The rewrite tier's postings (when header.rewrite is set). */
    readonly rewritePostings?: Postings,
    /** The translation tier's postings (when header.translate is set). */
    readonly translatePostings?: Postings,
  ) {}

  get translate(): { version: number } | undefined {
    const t = this.header.translate;
    return t && this.translatePostings ? { version: t.version } : undefined;
  }

  get params(): FingerprintParams {
    return this.header.params;
  }

  private common?: ReadonlySet<number>;
  commonGramsOf(): ReadonlySet<number> {
    return (this.common ??= new Set(this.header.rewrite?.common ?? []));
  }

  get rewrite(): RewriteParams | undefined {
    const r = this.header.rewrite;
    // Grams of another term definition would never match this code's: such an index is verbatim only.
    return r && r.terms === TERMS_VERSION ? { terms: r.terms, k: r.k, sketch: r.sketch } : undefined;
  }

  /** A tier's postings (empty when the index does not carry the tier). */
  postings(tier: Tier = 'verbatim'): Postings {
    if (tier === 'verbatim') return { hashes: this.hashes, offsets: this.offsets, docs: this.docs };
    if (tier === 'translate') return this.translatePostings ?? EMPTY;
    return this.rewritePostings ?? EMPTY;
  }

  private table(tier: Tier): PostingsTable {
    return (this.tables[tier] ??= new PostingsTable(this.postings(tier)));
  }

  /** Index of `h` in the verbatim tier's hashes, or -1. */
  find(h: number): number {
    return this.table('verbatim').find(h);
  }

  lookupSync(hashes: Uint32Array, tier: Tier = 'verbatim'): Uint32Array[] {
    return this.table(tier).lookup(hashes);
  }

  async lookup(hashes: Uint32Array, tier: Tier = 'verbatim', options: LookupOptions = {}): Promise<Uint32Array[]> {
    const lists = this.lookupSync(hashes, tier);
    const max = options.maxDocs;
    return max === undefined ? lists : lists.map((l) => (l.length > max ? EMPTY.docs : l));
  }

  async originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>> {
    return docs.map((d) => this.metas[d]);
  }

  async text(doc: number): Promise<string | undefined> {
    return this.texts[doc];
  }
}

/** The postings of docs a … b−1, renumbered from 0. */
function slicePostings(p: Postings, a: number, b: number): Postings {
  const hashes: number[] = [];
  const offsets: number[] = [0];
  const docs: number[] = [];
  for (let i = 0; i < p.hashes.length; i++) {
    const before = docs.length;
    for (let j = p.offsets[i]!; j < p.offsets[i + 1]!; j++) {
      const d = p.docs[j]!;
      if (d >= a && d < b) docs.push(d - a);
    }
    if (docs.length > before) {
      hashes.push(p.hashes[i]!);
      offsets.push(docs.length);
    }
  }
  return { hashes: Uint32Array.from(hashes), offsets: Uint32Array.from(offsets), docs: Uint32Array.from(docs) };
}

/**
 * Docs a … b−1 of `index` as an index of their own, docs numbered from 0.
 * Groups: 'whole' keeps them numbered in the whole index (a feed shard, one
 * slice of a segment); 'own' keeps only groups inside the slice (a delta,
 * a segment of its own).
 */
export function sliceIndex(index: MemoryIndex, a: number, b: number, groups: 'whole' | 'own'): MemoryIndex {
  const v = slicePostings(index.postings('verbatim'), a, b);
  const r = index.header.rewrite ? slicePostings(index.postings('rewrite'), a, b) : undefined;
  const group = (m: OriginalMeta) => (groups === 'whole' ? m.group : m.group >= a && m.group < b ? m.group - a : m.doc - a);
  const metas = index.metas.slice(a, b).map((m) => ({ ...m, doc: m.doc - a, group: group(m) }));
  const header: IndexHeader = { ...index.header, originals: b - a, distinctHashes: v.hashes.length, postings: v.docs.length };
  if (r && header.rewrite) header.rewrite = { ...header.rewrite, distinctHashes: r.hashes.length, postings: r.docs.length };
  const t = index.header.translate && index.translatePostings ? slicePostings(index.translatePostings, a, b) : undefined;
  if (t && header.translate) header.translate = { ...header.translate, distinctHashes: t.hashes.length, postings: t.docs.length };
  else delete header.translate;
  return new MemoryIndex(header, metas, v.hashes, v.offsets, v.docs, index.texts.slice(a, b), r, t);
}
