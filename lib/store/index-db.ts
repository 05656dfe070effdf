/**
 * The extension's index store (IndexedDB through Dexie), implementing the
 * same narrow IndexReader the matcher uses. Data lives in generations: an
 * import writes a new generation in small batches and then switches the
 * active one in a single transaction, so lookups always see a whole index
 * and the last good one survives any failure during an import.
 */
import Dexie, { type Table } from 'dexie';
import type { FingerprintParams } from '../fingerprint';
import type { MemoryIndex } from '../index/memory-index';
import type { IndexHeader, IndexReader, OriginalMeta } from '../index/types';

export interface PostingRow {
  gen: number;
  hash: number;
  docs: Uint32Array;
}
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
  postings!: Table<PostingRow, [number, number]>;
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
  const total = index.hashes.length + index.metas.length;
  let done = 0;
  for (let i = 0; i < index.hashes.length; i += batch) {
    const rows: PostingRow[] = [];
    for (let j = i; j < Math.min(i + batch, index.hashes.length); j++)
      rows.push({ gen, hash: index.hashes[j]!, docs: index.docs.slice(index.offsets[j]!, index.offsets[j + 1]!) });
    await db.postings.bulkPut(rows);
    done += rows.length;
    await options.onProgress?.(done, total);
  }
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
  const range = (t: Table<unknown, [number, number]>) => t.where('[gen+hash]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]);
  await range(db.postings as unknown as Table<unknown, [number, number]>).delete();
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
    return active ? new DexieIndexReader(db, active.gen, active.header.params) : undefined;
  }

  async lookup(hashes: Uint32Array): Promise<Uint32Array[]> {
    const keys = Array.from(hashes, (h) => [this.gen, h] as [number, number]);
    const rows = await this.db.postings.bulkGet(keys);
    const empty = new Uint32Array(0);
    return rows.map((r) => r?.docs ?? empty);
  }

  async originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>> {
    const rows = await this.db.originals.bulkGet(docs.map((d) => [this.gen, d] as [number, number]));
    return rows.map((r) => {
      if (!r) return undefined;
      const { gen: _gen, ...meta } = r;
      return meta;
    });
  }

  async text(doc: number): Promise<string | undefined> {
    return (await this.db.texts.get([this.gen, doc]))?.text;
  }
}
