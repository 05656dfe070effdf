/**
 * The extension's index store (IndexedDB through Dexie), implementing the
 * same narrow IndexReader the matcher uses. Data lives in generations: an
 * import writes a new generation in small batches and then switches the
 * active one in a single transaction, so lookups always see a whole index
 * and the last good one survives any failure during an import.
 *
 * Postings are stored in buckets (one row per hash prefix, holding that
 * prefix's sorted hashes and their docs) — IndexedDB's cost is per row, so
 * rows of a hundred postings import fast and stay small. A membership bit
 * filter over all hashes (one row, kept in memory while the background
 * lives) lets a page look up only the k-grams the index may hold.
 */
import Dexie, { type Table } from 'dexie';
import type { FingerprintParams } from '../fingerprint';
import type { MemoryIndex } from '../index/memory-index';
import type { IndexHeader, IndexReader, OriginalMeta } from '../index/types';

export interface BucketRow {
  gen: number;
  bucket: number;
  /** Sorted distinct hashes of this bucket. */
  hashes: Uint32Array;
  /** offsets[i]..offsets[i+1] index `docs` for hashes[i]. */
  offsets: Uint32Array;
  docs: Uint32Array;
}
export interface FilterRow {
  gen: number;
  /** Bit i set when some hash h has (h & (bits.length * 8 - 1)) === i. */
  bits: Uint8Array;
}

/** Bits of hash prefix per bucket: 2^16 buckets. */
export const BUCKET_BITS = 16;
const bucketOf = (h: number) => h >>> (32 - BUCKET_BITS);
export interface OriginalRow extends OriginalMeta {
  gen: number;
}
export interface TextRow {
  gen: number;
  doc: number;
  text: string;
}
export interface ActiveIndex {
  key: 'active';
  gen: number;
  header: IndexHeader;
  /** Where the index came from ("bundled", or a feed id and version). */
  source: string;
  installedAt: string;
  outlets: number;
}

export class IndexDb extends Dexie {
  state!: Table<ActiveIndex, string>;
  buckets!: Table<BucketRow, [number, number]>;
  filters!: Table<FilterRow, number>;
  originals!: Table<OriginalRow, [number, number]>;
  texts!: Table<TextRow, [number, number]>;

  constructor(name = 'provenance-index', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      state: 'key',
      postings: '[gen+hash]',
      originals: '[gen+doc], gen',
      texts: '[gen+doc]',
    });
    // v2: bucketed postings and a membership filter (v1 rows are dropped; the bundled index is re-imported).
    this.version(2)
      .stores({ postings: null, buckets: '[gen+bucket]', filters: 'gen' })
      .upgrade((tx) => tx.table('state').clear());
  }

  async active(): Promise<ActiveIndex | undefined> {
    return this.state.get('active');
  }
}

export interface ImportOptions {
  source: string;
  /** Rows per write transaction (keeps each transaction short). */
  batch?: number;
  /** Called between batches, e.g. to yield to other work. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** Imports an index as a new generation, then makes it the active one. */
export async function importIndex(db: IndexDb, index: MemoryIndex, options: ImportOptions): Promise<ActiveIndex> {
  const batch = options.batch ?? 2000;
  const current = await db.active();
  const gen = (current?.gen ?? 0) + 1;
  // A previous import that died part-way may have left rows of this generation.
  await deleteGeneration(db, gen);
  const H = index.hashes.length;
  const total = H + index.metas.length;
  let done = 0;
  // Filter: about 16 bits per distinct hash (≈ 6% false positives), at least 2^16 and at most 2^27 bits.
  let filterBits = 1 << 16;
  while (filterBits < H * 16 && filterBits < 1 << 27) filterBits *= 2;
  const bits = new Uint8Array(filterBits / 8);
  const mask = filterBits - 1;
  let rows: BucketRow[] = [];
  let rowsPostings = 0;
  for (let a = 0; a < H; ) {
    const bucket = bucketOf(index.hashes[a]!);
    let b = a;
    while (b < H && bucketOf(index.hashes[b]!) === bucket) b++;
    const hashes = index.hashes.slice(a, b);
    const base = index.offsets[a]!;
    const offsets = new Uint32Array(b - a + 1);
    for (let i = a; i <= b; i++) offsets[i - a] = index.offsets[i]! - base;
    for (const h of hashes) bits[(h & mask) >>> 3]! |= 1 << (h & 7);
    rows.push({ gen, bucket, hashes, offsets, docs: index.docs.slice(base, index.offsets[b]!) });
    rowsPostings += b - a;
    a = b;
    if (rows.length >= batch / 10 || a >= H) {
      await db.buckets.bulkPut(rows);
      done += rowsPostings;
      rows = [];
      rowsPostings = 0;
      await options.onProgress?.(done, total);
    }
  }
  await db.filters.put({ gen, bits });
  for (let i = 0; i < index.metas.length; i += batch) {
    const metas = index.metas.slice(i, i + batch);
    await db.originals.bulkPut(metas.map((m) => ({ ...m, gen })));
    const texts = metas.flatMap((m) => (index.texts[m.doc] === undefined ? [] : [{ gen, doc: m.doc, text: index.texts[m.doc]! }]));
    if (texts.length) await db.texts.bulkPut(texts);
    done += metas.length;
    await options.onProgress?.(done, total);
  }
  const active: ActiveIndex = {
    key: 'active',
    gen,
    header: index.header,
    source: options.source,
    installedAt: new Date().toISOString(),
    outlets: new Set(index.metas.map((m) => m.outlet)).size,
  };
  await db.state.put(active);
  if (current) await deleteGeneration(db, current.gen);
  return active;
}

export async function deleteGeneration(db: IndexDb, gen: number): Promise<void> {
  await db.buckets.where('[gen+bucket]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]).delete();
  await db.filters.delete(gen);
  await db.originals.where('gen').equals(gen).delete();
  await db.texts.where('[gen+doc]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]).delete();
}

/** Reads one generation. Use inside db.transaction('r', …) for one read transaction per page. */
export class DexieIndexReader implements IndexReader {
  constructor(
    private readonly db: IndexDb,
    private readonly gen: number,
    readonly params: FingerprintParams,
  ) {}

  static async open(db: IndexDb): Promise<DexieIndexReader | undefined> {
    const active = await db.active();
    if (!active) return undefined;
    const reader = new DexieIndexReader(db, active.gen, active.header.params);
    await reader.loadFilter();
    return reader;
  }

  private filter?: Uint8Array | null;

  /** Reads the membership filter of this generation once; later lookups use the copy in memory. */
  async loadFilter(): Promise<void> {
    if (this.filter === undefined) this.filter = (await this.db.filters.get(this.gen))?.bits ?? null;
  }

  async lookup(hashes: Uint32Array): Promise<Uint32Array[]> {
    const empty = new Uint32Array(0);
    const out: Uint32Array[] = new Array(hashes.length).fill(empty);
    if (this.filter === undefined) await this.loadFilter();
    const bits = this.filter ?? null;
    const mask = bits ? bits.length * 8 - 1 : 0;
    // Which buckets to read: only for hashes the filter says may be present.
    const wanted = new Map<number, number[]>();
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]!;
      if (bits && !(bits[(h & mask) >>> 3]! & (1 << (h & 7)))) continue;
      const b = bucketOf(h);
      const list = wanted.get(b);
      if (list) list.push(i);
      else wanted.set(b, [i]);
    }
    if (wanted.size === 0) return out;
    const keys = [...wanted.keys()];
    const rows = await this.db.buckets.bulkGet(keys.map((b) => [this.gen, b] as [number, number]));
    rows.forEach((row, k) => {
      if (!row) return;
      for (const i of wanted.get(keys[k]!)!) {
        const h = hashes[i]!;
        let lo = 0;
        let hi = row.hashes.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const v = row.hashes[mid]!;
          if (v < h) lo = mid + 1;
          else if (v > h) hi = mid - 1;
          else {
            out[i] = row.docs.subarray(row.offsets[mid]!, row.offsets[mid + 1]!);
            break;
          }
        }
      }
    });
    return out;
  }

  async originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>> {
    const rows = await this.db.originals.bulkGet(docs.map((d) => [this.gen, d] as [number, number]));
    return rows.map((r) => {
      if (!r) return undefined;
      const { gen: _gen, ...meta } = r;
      return meta;
    });
  }

  /** Recently read texts: a page's best match is aligned and then shown, and hot originals recur. */
  private readonly texts = new Map<number, string | undefined>();

  async text(doc: number): Promise<string | undefined> {
    if (this.texts.has(doc)) return this.texts.get(doc);
    const text = (await this.db.texts.get([this.gen, doc]))?.text;
    this.texts.set(doc, text);
    if (this.texts.size > 32) this.texts.delete(this.texts.keys().next().value!);
    return text;
  }
}
