import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX, loadRegistry } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import { scanPage } from '../../lib/scan-page';
import { DexieIndexReader, IndexDb, importIndex, stagingGenerations } from '../../lib/store/index-db';
import { loadFixtures, stripSourceTag } from '../support/make-pages';

const fx = loadFixtures();
let dbCount = 0;
const freshDb = () => new IndexDb(`test-index-${++dbCount}`);

describe('IndexDb', () => {
  it('finds exactly the postings of the in-memory index, through the filter and buckets', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem);
    const reader = (await DexieIndexReader.open(db))!;
    const probe = new Uint32Array([...mem.hashes.slice(0, 200), 1, 2, 3, 0xffffffff, ...mem.hashes.slice(-50)]);
    const fromDb = await reader.lookup(probe);
    const fromMem = mem.lookupSync(probe);
    expect(fromDb.map((l) => Array.from(l))).toEqual(fromMem.map((l) => Array.from(l)));
    db.close();
  });
  it('gives the same verdicts as the in-memory index, in one read transaction', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const active = await importIndex(db, mem, { batch: 500 });
    expect(active.originals).toBe(mem.header.originals);
    const reader = (await DexieIndexReader.open(db))!;
    const reg = loadRegistry();
    for (const o of [fx.originals.en[2]!, fx.originals.zh[9]!]) {
      const text = stripSourceTag(o.text);
      const fromDb = await db.transaction('r', [db.buckets, db.filters, db.originals, db.texts], () => scanPage({ text }, reader, reg));
      const fromMem = await scanPage({ text }, mem, reg);
      expect(fromDb.verdict).toBe('uncredited');
      expect(fromDb.finding!.candidate.original.id).toBe(o.id);
      expect(fromDb.finding!.candidate.passages).toEqual(fromMem.finding!.candidate.passages);
      expect(fromDb.finding!.candidate.pageCoverage).toBe(fromMem.finding!.candidate.pageCoverage);
    }
    db.close();
  });
  it('switches generations atomically and drops the old one', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const first = (await importIndex(db, mem)).segments[0]!;
    const second = (await importIndex(db, mem, { version: 2 })).segments[0]!;
    expect(second.gen).toBe(first.gen + 1);
    expect(await db.buckets.where('[gen+bucket]').between([first.gen, -Infinity], [first.gen, Infinity]).count()).toBe(0);
    expect(await db.filters.get(first.gen)).toBeUndefined();
    expect(await db.originals.where('gen').equals(first.gen).count()).toBe(0);
    const rows = await db.buckets.toArray();
    expect(rows.reduce((n, r) => n + r.hashes.length, 0)).toBe(mem.hashes.length);
    expect(rows.reduce((n, r) => n + r.docs.length, 0)).toBe(mem.docs.length);
    expect((await db.active())!.sources.bundled!.version).toBe(2);
    db.close();
  });
  it('keeps the last good index when an import fails part-way', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem, { version: 1 });
    await expect(
      importIndex(db, mem, {
        version: 2,
        batch: 100,
        onProgress: (done) => {
          if (done.metas > 20) throw new Error('quota exceeded');
        },
      }),
    ).rejects.toThrow('quota exceeded');
    expect((await db.active())!.sources.bundled!.version).toBe(1);
    expect(await stagingGenerations(db)).toEqual([]);
    const reader = (await DexieIndexReader.open(db))!;
    const v = await scanPage({ text: stripSourceTag(fx.originals.en[5]!.text) }, reader, loadRegistry());
    expect(v.finding!.candidate.original.id).toBe(fx.originals.en[5]!.id);
    db.close();
  });
});
