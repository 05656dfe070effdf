import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { cacheGeneration, decodeCopy, memoryFilterCache, sealCopy, type FilterCache } from '../../lib/store/filter-cache';
import { allocate, DexieIndexReader, IndexDb, importIndex, openOrRebuild, writeSegment } from '../../lib/store/index-db';
import { buildFeed, folderSource } from '../../lib/feed/publish';
import { syncFeed } from '../../lib/feed/sync';
import { buildIndex, newKey, tempDir } from '../support/feeds';
import { loadFixtures } from '../support/make-pages';

let dbCount = 0;
const freshDb = () => new IndexDb(`filter-cache-${++dbCount}`);

/** A reader that reads its filters only when told (open() starts reading them at once). */
const readerOf = async (db: IndexDb, cache: FilterCache) => new DexieIndexReader(db, (await db.active())!, cache);

/** Counts the filter parts read from the store. */
function countPartReads(db: IndexDb): { parts: number } {
  const seen = { parts: 0 };
  const bulkGet = db.filterParts.bulkGet.bind(db.filterParts);
  db.filterParts.bulkGet = ((keys: Array<[number, number]>) => {
    seen.parts += keys.length;
    return bulkGet(keys);
  }) as typeof db.filterParts.bulkGet;
  return seen;
}

/** Bucket rows a lookup reads. */
function countBucketReads(db: IndexDb): { rows: number } {
  const seen = { rows: 0 };
  const bulkGet = db.buckets.bulkGet.bind(db.buckets);
  db.buckets.bulkGet = ((keys: Array<[number, number]>) => {
    seen.rows += keys.length;
    return bulkGet(keys);
  }) as typeof db.buckets.bulkGet;
  return seen;
}

async function check(reader: DexieIndexReader, mem: MemoryIndex) {
  for (const tier of ['verbatim', 'rewrite', 'translate'] as const) {
    const p = mem.postings(tier);
    const probe = new Uint32Array([...p.hashes.filter((_, i) => i % 5 === 0), 1, 2, 3, 0xfffffffe]);
    expect((await reader.lookup(probe, tier)).map((l) => [...l])).toEqual(mem.lookupSync(probe, tier).map((l) => [...l]));
  }
}

describe('filter copies (lib/store/filter-cache.ts)', () => {
  it('are written once a tier’s parts are read, and read instead of the parts at the next start: same lookups, the filter used', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem, { filterPartBytes: 256 });
    const cache = memoryFilterCache();
    const first = countPartReads(db);
    const reader = await readerOf(db, cache);
    await reader.loadFilters();
    const stored = await db.filterParts.count();
    expect(first.parts).toBe(stored);
    // One copy a tier, of this generation, that decodes to the store's bytes.
    const gen = (await db.active())!.segments[0]!.gen;
    const names = [...cache.files.keys()].sort();
    expect(names.length).toBe(3);
    expect(names.every((n) => cacheGeneration(n) === gen)).toBe(true);
    const row = (await db.filters.get(gen))!;
    const parts = (await db.filterParts.toArray()).filter((p) => p.part < 2 ** 16).sort((a, b) => a.part - b.part);
    const verbatim = decodeCopy(cache.files.get(names.find((n) => n.includes('-t0-'))!)!, gen, 0, row.bytes[0]);
    expect(verbatim).toEqual(Uint8Array.from(parts.flatMap((p) => [...p.bits])));
    await check(reader, mem);

    // The next start: two parts a tier checked against the store, the rest from the copies.
    const again = countPartReads(db);
    const next = await readerOf(db, cache);
    await next.loadFilters();
    expect(again.parts).toBe(6);
    await check(next, mem);
    // The filter spares bucket reads as before: absent hashes read (almost) nothing.
    const rows = countBucketReads(db);
    await next.lookup(Uint32Array.from({ length: 500 }, (_, i) => (i * 2654435761) >>> 0).filter((h) => !mem.lookupSync(Uint32Array.of(h))[0]!.length));
    expect(rows.rows).toBeLessThan(10);
    db.close();
  });

  it('are not used when damaged, cut short or left by a deleted database: the store’s parts are read and a good copy written', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem, { filterPartBytes: 256 });
    const stored = await db.filterParts.count();
    const cache = memoryFilterCache();
    await (await readerOf(db, cache)).loadFilters();
    const good = new Map(cache.files);
    const [name, file] = [...good].find(([n]) => n.includes('-t0-'))!;

    const damaged = file.slice();
    damaged[16 + 1000] = damaged[16 + 1000]! ^ 0x10;
    const cut = file.slice(0, file.length - 8);
    for (const bad of [damaged, cut]) {
      cache.files.set(name, bad);
      const reads = countPartReads(db);
      const reader = await readerOf(db, cache);
      await reader.loadFilters();
      // The verbatim tier's parts from the store (besides the other tiers' two checked parts each).
      expect(reads.parts).toBeGreaterThanOrEqual(stored / 3);
      await check(reader, mem);
      expect(cache.files.get(name)).toEqual(good.get(name));
    }

    // Another database under the same name, generations numbered from 1 again: a copy left by the
    // deleted one passes its checksum (sealed for this generation) but its bits are another filter's.
    db.close();
    await Dexie.delete(db.name);
    const other = new IndexDb(db.name);
    await importIndex(other, mem, { filterPartBytes: 256 });
    const gen2 = (await other.active())!.segments[0]!.gen;
    expect(gen2).toBe(cacheGeneration(name));
    const fake = file.slice();
    fake.fill(0xff, 16, 16 + 256); // a first part of another filter (checksum made to match below)
    cache.files.set(name, sealCopy(fake, gen2, 0));
    expect(decodeCopy(cache.files.get(name)!, gen2, 0, file.length - 16)).toBeDefined();
    const reads = countPartReads(other);
    const reader = await readerOf(other, cache);
    await reader.loadFilters();
    expect(reads.parts).toBeGreaterThanOrEqual(stored / 3);
    await check(reader, mem);
    expect(cache.files.get(name)).toEqual(good.get(name));
    other.close();
  });

  it('are written with the segment by an import and a feed sync, and the first reader after it reads them', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const cache = memoryFilterCache();
    await importIndex(db, mem, { filterPartBytes: 256, filterCache: cache });
    expect(cache.files.size).toBe(3);
    const reads = countPartReads(db);
    const reader = await readerOf(db, cache);
    await reader.loadFilters();
    expect(reads.parts).toBe(6);
    await check(reader, mem);

    // A feed's segment: its copies are there when its sync ends.
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const url = 'https://feeds.example.org/manifest.json';
    const fx = loadFixtures();
    await buildFeed(dir, buildIndex(fx.originals.zh.slice(0, 4)), key, { urls: [url], feed: 'demo', created: '2026-11-25T00:00:00.000Z' });
    await syncFeed({ db, now: () => Date.parse('2026-11-25T12:00:00Z'), filterCache: cache }, folderSource(dir), { url, publicKey: pub });
    const gens = (await db.active())!.segments.map((s) => s.gen);
    expect(new Set([...cache.files.keys()].map(cacheGeneration))).toEqual(new Set(gens));
    db.close();
  });

  it('of an import under way are kept when a reader sweeps, also when a lookup in a page’s read transaction starts the load', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const cache = memoryFilterCache();
    await importIndex(db, mem, { filterCache: cache });
    const staged = await allocate(db, mem.metas.length);
    await writeSegment(db, staged.gen, staged.docBase, mem, { filterCache: cache });
    const stagedCopies = [...cache.files.keys()].filter((n) => cacheGeneration(n) === staged.gen);
    expect(stagedCopies.length).toBe(3);
    const reader = (await DexieIndexReader.open(db, cache))!;
    await db.transaction('r', [db.buckets, db.filters, db.metaBlocks, db.texts], () => reader.lookup(mem.hashes.slice(0, 20)));
    const state = reader as unknown as { filtersRead: boolean };
    for (let i = 0; i < 200 && !state.filtersRead; i++) await new Promise((r) => setTimeout(r, 5));
    expect(state.filtersRead).toBe(true);
    expect([...cache.files.keys()].filter((n) => cacheGeneration(n) === staged.gen)).toEqual(stagedCopies);
    db.close();
  });

  it('of generations no longer in the index are deleted when a reader starts loading', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const cache = memoryFilterCache();
    await cache.write('g999-t0-8192-256-4', new Uint8Array(8));
    await cache.write('notes.txt', new Uint8Array(1));
    const { reader } = await openOrRebuild(db, (into) => importIndex(into, mem, { filterPartBytes: 256 }), cache);
    await reader.loadFilters();
    const names = [...cache.files.keys()];
    expect(names).not.toContain('g999-t0-8192-256-4');
    expect(names).not.toContain('notes.txt');
    expect(names.length).toBe(3);
    db.close();
  });
});
