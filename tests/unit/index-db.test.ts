import 'fake-indexeddb/auto';
import { packBucket, unpackAll } from '../../lib/store/packed-bucket';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX, loadRegistry } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import { scanPage } from '../../lib/scan-page';
import { fnv1a, linkKey } from '../../lib/link-key';
import Dexie from 'dexie';
import { inflateSync } from 'fflate';
import { buildFeed, folderSource } from '../../lib/feed/publish';
import { syncFeed } from '../../lib/feed/sync';
import { IndexBuilder } from '../../lib/index/build-index';
import { decodeIndex, encodeIndex } from '../../lib/index/index-codec';
import { ensureBundled } from '../../lib/store/bundled-index';
import { addSynthetic } from '../support/synthetic';
import { allocate, sweepStaging, type Allocation, bucketBitsFor, docsByKey, LARGE_TIER, DexieIndexReader, ID_BUCKETS, IndexDb, importIndex, openOrRebuild, originalRow, POSTINGS_DONE, REWRITE_BUCKETS, stagingGenerations, URL_BUCKETS, writeSegment, type ActiveIndex, type BucketRow, type FilterRow, type SegmentProgress } from '../../lib/store/index-db';
import { buildIndex as buildIndexOf, newKey, tempDir } from '../support/feeds';
import { loadFixtures, stripSourceTag } from '../support/make-pages';
import { loadTranslationCorpus } from '../support/translations';
import { loadDictionary } from '../../lib/translate/load-dictionary';

const fx = loadFixtures();
let dbCount = 0;
const freshDb = () => new IndexDb(`test-index-${++dbCount}`);
/** A state row as schema 7 and before wrote it: bucket bits of the postings tiers only. */
const olderState = (row: unknown) => {
  const r = row as ActiveIndex | { key: 'alloc' };
  return r.key === 'active' ? { ...r, segments: r.segments.map((s) => ({ ...s, bucketBits: s.bucketBits!.slice(0, 3) })) } : r;
};

describe('IndexDb', () => {
  it('sweeps staging generations an earlier run left: not those a job resumes, not this run’s, and those of code before runs were recorded', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem);
    const rowsOf = (gen: number) => db.buckets.where('[gen+bucket]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]).count();
    const gens: number[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await allocate(db, mem.metas.length);
      await writeSegment(db, a.gen, a.docBase, mem);
      gens.push(a.gen);
    }
    const [left, resumed, mine, older] = gens as [number, number, number, number];
    const alloc = (await db.state.get('alloc')) as Allocation;
    const runs = { ...alloc.runs, [left]: 'earlier', [resumed]: 'earlier' };
    delete runs[older];
    await db.state.put({ ...alloc, runs });
    expect(await sweepStaging(db, new Set([resumed]))).toEqual([left, older]);
    expect(await rowsOf(left)).toBe(0);
    expect(await rowsOf(older)).toBe(0);
    expect(await rowsOf(resumed)).toBeGreaterThan(0);
    expect(await rowsOf(mine)).toBeGreaterThan(0);
    expect((await stagingGenerations(db)).sort()).toEqual([resumed, mine].sort());
    // The active index is untouched.
    const reader = (await DexieIndexReader.open(db))!;
    expect((await reader.lookup(mem.hashes.slice(0, 50))).map((l) => [...l])).toEqual(mem.lookupSync(mem.hashes.slice(0, 50)).map((l) => [...l]));
    db.close();
  });
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
  it('keeps metadata blocks deflated; a block written before (plain UTF-8 JSON) reads the same, a damaged one is refused by name', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem);
    const reader = (await DexieIndexReader.open(db))!;
    const docs = Array.from({ length: mem.header.originals }, (_, d) => d);
    const want = await mem.originals(docs);
    expect(await reader.originals(docs)).toEqual(want);
    const rows = await db.metaBlocks.toArray();
    expect(rows.length).toBe(Math.ceil(mem.header.originals / 64));
    const plain = rows.map((r) => inflateSync(r.m));
    for (const [i, r] of rows.entries()) {
      expect(r.z).toBe(1);
      expect(r.n).toBe(plain[i]!.length);
      expect(r.m.length).toBeLessThan(plain[i]!.length * 0.6);
      expect(JSON.parse(new TextDecoder().decode(plain[i]))[0][0]).toBe(want[r.block * 64]!.id);
    }
    // As the code before 2026-12-02 wrote them.
    await db.metaBlocks.bulkPut(rows.map((r, i) => ({ gen: r.gen, block: r.block, m: plain[i]! })));
    const again = (await DexieIndexReader.open(db))!;
    expect(await again.originals(docs)).toEqual(want);
    // A size not to be trusted as a buffer's is not used as one; a wrong one leaves the block unreadable.
    await db.metaBlocks.put({ ...rows[0]!, n: 2 ** 40 });
    expect(await (await DexieIndexReader.open(db))!.originals([1])).toEqual([want[1]]);
    for (const bad of [{ n: 5 }, { m: rows[0]!.m.slice(0, 20) }]) {
      await db.metaBlocks.put({ ...rows[0]!, ...bad });
      const third = (await DexieIndexReader.open(db))!;
      await expect(third.originals([1])).rejects.toThrow(`unreadable metadata block 0 of generation ${rows[0]!.gen}`);
    }
    db.close();
  });

  it('does not wait for the membership filters: lookups before they are read give the same lists (a restarted worker answers at once)', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem);
    // The filters' read never ends (as if tens of MB were still being read).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const bulkGet = db.filters.bulkGet.bind(db.filters);
    db.filters.bulkGet = ((keys: number[]) => held.then(() => bulkGet(keys))) as typeof db.filters.bulkGet;
    const reader = (await DexieIndexReader.open(db))!;
    const probe = new Uint32Array([...mem.hashes.slice(0, 200), 1, 2, 3, 0xffffffff]);
    const want = mem.lookupSync(probe).map((l) => Array.from(l));
    const early = await db.transaction('r', [db.buckets, db.filters], () => reader.lookup(probe));
    expect(early.map((l) => Array.from(l))).toEqual(want);
    const t = mem.postings('translate').hashes.slice(0, 50);
    const wantT = (await mem.lookup(t, 'translate')).map((l) => Array.from(l));
    expect((await reader.lookup(t, 'translate')).map((l) => Array.from(l))).toEqual(wantT);
    // Read at last: the lookups use them and answer the same.
    release();
    await reader.loadFilters();
    expect((await reader.lookup(probe)).map((l) => Array.from(l))).toEqual(want);
    expect((await reader.lookup(t, 'translate')).map((l) => Array.from(l))).toEqual(wantT);
    db.close();
  });
  it('reads each tier’s filter from one Blob: a tier read serves lookups, a tier still unread reads every wanted bucket (the same lists)', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    await importIndex(db, mem);
    // The rewrite tier's Blob is read only when released (as if still under way).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    class HeldBlob extends Blob {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        await held;
        return super.arrayBuffer();
      }
    }
    const bulkGetFilters = db.filters.bulkGet.bind(db.filters);
    db.filters.bulkGet = (async (keys: number[]) =>
      Promise.all(
        (await bulkGetFilters(keys)).map(async (r) => r && { ...r, blobs: [r.blobs[0], r.blobs[1] && new HeldBlob([await r.blobs[1].arrayBuffer()]), r.blobs[2]] as FilterRow['blobs'] }),
      )) as unknown as typeof db.filters.bulkGet;
    let bucketReads = 0;
    const bulkGet = db.buckets.bulkGet.bind(db.buckets);
    db.buckets.bulkGet = ((keys: Array<[number, number]>) => ((bucketReads += keys.length), bulkGet(keys))) as typeof db.buckets.bulkGet;
    const reader = new DexieIndexReader(db, (await db.active())!);
    const loading = reader.loadFilters();
    const gen = (await db.active())!.segments[0]!.gen;
    const read = (tier: number) => (reader as unknown as { parts: Map<number, Array<Array<Uint8Array | undefined>>> }).parts.get(gen)?.[tier]?.length ?? 0;
    for (let i = 0; i < 400 && !read(0); i++) await new Promise((r) => setTimeout(r, 5));
    expect(read(0)).toBeGreaterThan(0);
    expect(read(1)).toBe(0);
    // Absent hashes (most of a page's), and a few present ones, of both tiers.
    const absent = Uint32Array.from({ length: 400 }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0).filter((h) => !mem.lookupSync(new Uint32Array([h]))[0]!.length && !mem.lookupSync(new Uint32Array([h]), 'rewrite')[0]!.length);
    const probe = new Uint32Array([...mem.hashes.slice(0, 4), ...absent]);
    const probe2 = new Uint32Array([...mem.postings('rewrite').hashes.slice(0, 4), ...absent]);
    const fresh = new DexieIndexReader(db, (await db.active())!);
    (fresh as unknown as { filterLoad: Promise<void> }).filterLoad = new Promise(() => undefined); // never reads its filters
    const count = async (r: DexieIndexReader, hashes: Uint32Array, tier: 'verbatim' | 'rewrite') => {
      bucketReads = 0;
      expect((await r.lookup(hashes, tier)).map((l) => [...l])).toEqual(mem.lookupSync(hashes, tier).map((l) => [...l]));
      return bucketReads;
    };
    const none = await count(fresh, probe, 'verbatim');
    const none2 = await count(fresh, probe2, 'rewrite');
    expect(await count(reader, probe, 'verbatim')).toBeLessThan(none);
    expect(await count(reader, probe2, 'rewrite')).toBe(none2);
    release();
    await loading;
    expect(await count(reader, probe2, 'rewrite')).toBeLessThan(none2);
    db.close();
  });
  it('does not use a filter row whose Blob is missing or of another size: lookups read every wanted bucket and give the same lists', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const probe = new Uint32Array([...mem.hashes.slice(0, 100), 1, 2, 3, 0xffffffff]);
    const want = mem.lookupSync(probe).map((l) => Array.from(l));
    for (const blob of [null, new Blob([new Uint8Array(64)])]) {
      const db = freshDb();
      await importIndex(db, mem);
      const row = (await db.filters.toArray())[0]!;
      await db.filters.put({ ...row, blobs: [blob, row.blobs[1], row.blobs[2]] });
      const reader = (await DexieIndexReader.open(db))!;
      await expect(reader.loadFilters()).rejects.toThrow(/unreadable membership filter/);
      expect((await reader.lookup(probe)).map((l) => Array.from(l))).toEqual(want);
      db.close();
    }
  });
  it('does not use a malformed filter row (a part size of 0 or not a power of two): lookups read every wanted bucket and give the same lists', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const probe = new Uint32Array([...mem.hashes.slice(0, 100), 1, 2, 3, 0xffffffff]);
    const want = mem.lookupSync(probe).map((l) => Array.from(l));
    for (const partBytes of [0, 48, -64, Number.NaN]) {
      const db = freshDb();
      await importIndex(db, mem);
      const row = (await db.filters.toArray())[0]!;
      await db.filters.put({ ...row, partBytes });
      const reader = (await DexieIndexReader.open(db))!;
      await expect(reader.loadFilters()).rejects.toThrow(/unreadable membership filter/);
      expect((await reader.lookup(probe)).map((l) => Array.from(l))).toEqual(want);
      db.close();
    }
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
      const fromDb = await db.transaction('r', [db.buckets, db.filters, db.metaBlocks, db.texts], async () => await scanPage({ text }, reader, reg));
      const fromMem = await scanPage({ text }, mem, reg);
      expect(fromDb.verdict).toBe('uncredited');
      expect(fromDb.finding!.candidate.original.id).toBe(o.id);
      expect(fromDb.finding!.candidate.passages).toEqual(fromMem.finding!.candidate.passages);
      expect(fromDb.finding!.candidate.pageCoverage).toBe(fromMem.finding!.candidate.pageCoverage);
    }
    db.close();
  });
  it('keeps the translation tier: the same lookups and translated findings as the in-memory index', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    expect(mem.translate).toBeDefined();
    const db = freshDb();
    await importIndex(db, mem, { batch: 300 });
    const reader = (await DexieIndexReader.open(db))!;
    expect(reader.translate).toEqual(mem.translate);
    const t = mem.postings('translate');
    const probe = new Uint32Array([...t.hashes.slice(0, 300), 5, 6, 0xfffffffe, ...t.hashes.slice(-40)]);
    expect((await reader.lookup(probe, 'translate')).map((l) => Array.from(l))).toEqual(mem.lookupSync(probe, 'translate').map((l) => Array.from(l)));
    // The verbatim tier's lookups do not see the translation tier's keys (other buckets, other filter).
    expect((await reader.lookup(t.hashes.slice(0, 50))).map((l) => Array.from(l))).toEqual(mem.lookupSync(t.hashes.slice(0, 50)).map((l) => Array.from(l)));
    const dict = loadDictionary();
    const reg = loadRegistry();
    const page = loadTranslationCorpus((id) => ({ zh: id, en: id })).find((p) => p.id === 'full-zh-016')!;
    // As the background does it: an async scope (a native promise handed back as it is ends Dexie's transaction early here).
    const fromDb = await db.transaction('r', [db.buckets, db.filters, db.metaBlocks, db.texts], async () => await scanPage({ text: page.text }, reader, reg, { translate: { dict } }));
    const fromMem = await scanPage({ text: page.text }, mem, reg, { translate: { dict } });
    expect(fromDb.verdict).toBe('uncredited');
    expect(fromDb.finding!.candidate.reuse).toBe('translated');
    expect(fromDb.finding!.candidate.original.id).toBe('zh-016');
    expect(fromDb.finding!.candidate.passages).toEqual(fromMem.finding!.candidate.passages);
    db.close();
  });
  it('translation lookups with a list cap: long lists come back empty, and are not read when the filter row names them', async () => {
    const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', translate: loadDictionary() });
    const COMMON = 0x12345678;
    const RARE = 0x9abcdef0;
    for (let i = 0; i < 1500; i++)
      b.addFingerprints({ id: `s${i}`, outlet: 'x', url: `https://x.test/${i}`, title: 't', published: '', lang: 'zh-Hans', units: 10 }, new Uint32Array([i + 1]), undefined, undefined, new Uint32Array(i % 100 === 0 ? [COMMON, RARE] : [COMMON]));
    const mem = b.finish();
    const db = freshDb();
    await importIndex(db, mem);
    const reader = (await DexieIndexReader.open(db))!;
    const probe = new Uint32Array([COMMON, RARE, 7]);
    expect((await reader.lookup(probe, 'translate')).map((l) => l.length)).toEqual([1500, 15, 0]);
    for (const maxDocs of [10, 1000, 1499, 1500])
      expect((await reader.lookup(probe, 'translate', { maxDocs })).map((l) => Array.from(l))).toEqual((await mem.lookup(probe, 'translate', { maxDocs })).map((l) => Array.from(l)));
    expect((await db.filters.toArray())[0]!.long3).toEqual({ hashes: new Uint32Array([COMMON]), lengths: new Uint32Array([1500]) });
    // Once the filters are read (the reader starts reading them when opened), the common key's row is not read at all.
    await reader.loadFilters();
    let reads = 0;
    const bulkGet = db.buckets.bulkGet.bind(db.buckets);
    db.buckets.bulkGet = ((keys: Array<[number, number]>) => ((reads += keys.length), bulkGet(keys))) as typeof db.buckets.bulkGet;
    expect((await reader.lookup(new Uint32Array([COMMON]), 'translate', { maxDocs: 1000 }))[0]!.length).toBe(0);
    expect(reads).toBe(0);
    expect((await reader.lookup(new Uint32Array([COMMON]), 'translate', { maxDocs: 2000 }))[0]!.length).toBe(1500);
    expect(reads).toBe(1);
    db.close();
  });
  it('an index without the translation tier, or a segment written without its rows, has no translation lookups', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const enc = encodeIndex(mem);
    const without = decodeIndex({ ...enc, translate: undefined });
    const db = freshDb();
    await importIndex(db, without);
    const reader = (await DexieIndexReader.open(db))!;
    expect(reader.translate).toBeUndefined();
    expect((await db.buckets.toArray()).some((r) => r.bucket >= 2 << 16 && r.bucket < 3 << 16)).toBe(false);
    const t = mem.postings('translate').hashes.slice(0, 100);
    expect((await reader.lookup(t, 'translate')).every((l) => l.length === 0)).toBe(true);
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
    expect(await db.metaBlocks.where('[gen+block]').between([first.gen, Dexie.minKey], [first.gen, Dexie.maxKey]).count()).toBe(0);
    // The three tiers' postings and the two key tiers, and nothing else: the verbatim tier's buckets below 2^16, the rewrite
    // tier's from there on, the translation tier's from 2 × 2^16, the ids' from 3 × 2^16, the addresses' from 4 × 2^16.
    const rows = await db.buckets.toArray();
    const tier1 = rows.filter((r) => r.bucket < 1 << 16);
    const tier2 = rows.filter((r) => r.bucket >= 1 << 16 && r.bucket < 2 << 16);
    const tier3 = rows.filter((r) => r.bucket >= 2 << 16 && r.bucket < 3 << 16);
    const ids = rows.filter((r) => r.bucket >= 3 << 16 && r.bucket < 4 << 16);
    const urls = rows.filter((r) => r.bucket >= 4 << 16);
    expect(rows.every((r) => r.bucket < 5 << 16)).toBe(true);
    const count = (rs: typeof rows) => rs.map((r) => unpackAll(r.data)).reduce((n, u) => ({ hashes: n.hashes + u.lows.length, docs: n.docs + u.lists.reduce((m, l) => m + l.length, 0) }), { hashes: 0, docs: 0 });
    expect(count(tier3)).toEqual({ hashes: mem.postings('translate').hashes.length, docs: mem.postings('translate').docs.length });
    expect(mem.postings('translate').docs.length).toBeGreaterThan(0);
    expect(count(tier1)).toEqual({ hashes: mem.hashes.length, docs: mem.docs.length });
    expect(count(tier2)).toEqual({ hashes: mem.postings('rewrite').hashes.length, docs: mem.postings('rewrite').docs.length });
    // Each original once under its id and once under its address (the fixtures' ids and addresses are distinct).
    expect(count(ids)).toEqual({ hashes: new Set(mem.metas.map((m) => m.id)).size, docs: mem.metas.length });
    expect(count(urls)).toEqual({ hashes: new Set(mem.metas.map((m) => linkKey(m.url))).size, docs: mem.metas.length });
    expect((await db.active())!.sources.bundled!.version).toBe(2);
    db.close();
  });
  it('writes every row of the verbatim tier when the rewrite tier has no postings, in few rows for a small segment', async () => {
    // Originals made only of figures: no content-word pairs, so the rewrite tier is empty.
    const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z' });
    for (let i = 0; i < 3; i++) {
      const text = Array.from({ length: 60 }, (_, j) => String((i * 7919 + j * 104729) % 100000)).join(' ');
      b.add({ id: `n${i}`, outlet: 'x', url: `https://x.test/${i}`, title: 't', published: '', lang: 'en', text });
    }
    const mem = b.finish();
    expect(mem.header.rewrite?.postings).toBe(0);
    const db = freshDb();
    const active = await importIndex(db, mem);
    expect(active.segments[0]!.bucketBits).toEqual([bucketBitsFor(mem.hashes.length), bucketBitsFor(0), 16, bucketBitsFor(3), bucketBitsFor(3)]);
    expect(await db.buckets.count()).toBeLessThanOrEqual(1 << active.segments[0]!.bucketBits![0]);
    const reader = (await DexieIndexReader.open(db))!;
    const found = await reader.lookup(mem.hashes);
    expect(found.filter((l) => l.length > 0).length).toBe(mem.hashes.length);
    db.close();
  });
  it('sizes rows by the tier: about 512 hashes in a small one (a delta), about 64 in a large one (a full import, read by every page), at most 2^16 rows', () => {
    expect(bucketBitsFor(760_000)).toBe(11); // a 10k delta's verbatim tier: 2,048 rows of ~370
    expect(bucketBitsFor(LARGE_TIER - 1)).toBe(12);
    expect(bucketBitsFor(LARGE_TIER)).toBe(15); // 32,768 rows of 64
    expect(bucketBitsFor(7_600_000)).toBe(16); // 100k originals: the cap, ~116 a row
    expect(bucketBitsFor(76_000_000)).toBe(16);
    expect(bucketBitsFor(10)).toBe(4);
  });
  it('writes a segment in rows of about ROW_HASHES hashes (a delta writes hundreds of rows, not thousands); lookups give the in-memory lists', async () => {
    // 300 synthetic originals: about 22,000 verbatim and 9,000 rewrite hashes, as a 10k delta has 30 times more.
    const b = new IndexBuilder({ keepText: false, created: '' });
    addSynthetic(b, 0, 300, 7);
    const mem = b.finish();
    const verbatim = mem.postings('verbatim').hashes;
    const rewrite = mem.postings('rewrite').hashes;
    expect(verbatim.length).toBeGreaterThan(16 * 512);
    const db = freshDb();
    const written: number[] = [];
    const bulkPut = db.buckets.bulkPut.bind(db.buckets);
    db.buckets.bulkPut = ((rows: BucketRow[]) => (written.push(...rows.map((r) => r.bucket)), bulkPut(rows))) as typeof db.buckets.bulkPut;
    await importIndex(db, mem);
    const inTier = (lo: number, hi: number) => written.filter((x) => x >= lo && x < hi).length;
    // At least 256 hashes a row on average (rows of 64 hashes were 512 verbatim and 256 rewrite rows here).
    expect(inTier(0, REWRITE_BUCKETS)).toBeLessThanOrEqual(Math.ceil(verbatim.length / 256));
    expect(inTier(REWRITE_BUCKETS, 2 * REWRITE_BUCKETS)).toBeLessThanOrEqual(Math.ceil(rewrite.length / 256));
    expect(written.length).toBe(await db.buckets.count());
    // Every hash (each row holds hundreds, past many skip points) and some absent ones: the same lists.
    const reader = (await DexieIndexReader.open(db))!;
    const probe = new Uint32Array([...verbatim, 1, 2, 0xffffffff]);
    expect((await reader.lookup(probe)).map((l) => Array.from(l))).toEqual(mem.lookupSync(probe).map((l) => Array.from(l)));
    expect((await reader.lookup(rewrite, 'rewrite')).map((l) => Array.from(l))).toEqual(mem.lookupSync(rewrite, 'rewrite').map((l) => Array.from(l)));
    db.close();
  });
  it('writes the next batch of bucket rows only after the last one is written and its progress told; a failed write stops the writing', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = freshDb();
    const events: string[] = [];
    const bulkPut = db.buckets.bulkPut.bind(db.buckets);
    let calls = 0;
    db.buckets.bulkPut = (async (rows: BucketRow[]) => {
      const n = ++calls;
      events.push(`put ${n}`);
      await new Promise((r) => setTimeout(r, 5));
      if (n === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      await bulkPut(rows);
      events.push(`written ${n}`);
    }) as unknown as typeof db.buckets.bulkPut;
    await expect(writeSegment(db, 5, 0, mem, { batch: 50, onProgress: (done) => void events.push(`progress ${done.bucket}`) })).rejects.toThrow(/quota/);
    await new Promise((r) => setTimeout(r, 50));
    // Put 1, written, its progress; put 2, written, its progress; put 3 fails, and nothing follows.
    expect(events.map((e) => e.split(' ')[0])).toEqual(['put', 'written', 'progress', 'put', 'written', 'progress', 'put']);
    expect(calls).toBe(3);
    db.close();
  });
  it('an install of schema 9 upgrades to 10: each tier’s filter parts become one Blob, the same bytes; a tier with a part missing passes every hash', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const made = freshDb();
    await importIndex(made, mem, { feed: 'bundled', filterPartBytes: 256 });
    const tables = Object.fromEntries(await Promise.all(made.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    made.close();
    // Schema 9's rows: the filter row without Blobs, its parts (of 256 bytes here).
    const filter = (tables.filters as FilterRow[])[0]!;
    const bits = await Promise.all(filter.blobs.map(async (b) => b && new Uint8Array(await b.arrayBuffer())));
    const size = filter.partBytes;
    const parts = bits.flatMap((b, t) => (b ? Array.from({ length: Math.ceil(b.length / size) }, (_, i) => ({ gen: filter.gen, part: t * 2 ** 16 + i, bits: b.slice(i * size, (i + 1) * size) })) : []));
    const verbatimParts = parts.filter((q) => q.part < 2 ** 16);
    expect(verbatimParts.length).toBeGreaterThan(1);
    const name = `test-index-v9-${++dbCount}`;
    const old = new Dexie(name);
    old.version(9).stores({ state: 'key', buckets: '[gen+bucket]', filters: 'gen', filterParts: '[gen+part]', metaBlocks: '[gen+block]', texts: '[gen+doc]', search: '[gen+key]', jobs: 'feed' });
    await old.open();
    for (const [t, rows] of Object.entries(tables)) await old.table(t).bulkPut(t === 'filters' ? [{ ...filter, blobs: undefined }] : rows);
    // The rewrite tier's last part is missing.
    const rewriteParts = parts.filter((q) => q.part >= 2 ** 16 && q.part < 2 * 2 ** 16);
    await old.table('filterParts').bulkPut(parts.filter((q) => q !== rewriteParts.at(-1)));
    old.close();

    const opened = await openOrRebuild(new IndexDb(name), () => Promise.reject(new Error('must not rebuild')));
    const db = opened.db;
    expect(db.verno).toBe(10);
    expect(db.backendDB().objectStoreNames.contains('filterParts')).toBe(false);
    const row = (await db.filters.toArray())[0]!;
    expect(new Uint8Array(await row.blobs[0]!.arrayBuffer())).toEqual(bits[0]);
    expect(new Uint8Array(await row.blobs[2]!.arrayBuffer())).toEqual(bits[2]);
    expect(rewriteParts.length).toBeGreaterThan(1);
    expect(new Uint8Array(await row.blobs[1]!.arrayBuffer()).every((b) => b === 0xff)).toBe(true);
    await opened.reader.loadFilters();
    for (const tier of ['verbatim', 'rewrite', 'translate'] as const) {
      const probe = new Uint32Array([...mem.postings(tier).hashes.filter((_, i) => i % 5 === 0), 1, 2, 0xfffffffe]);
      expect((await opened.reader.lookup(probe, tier)).map((l) => [...l])).toEqual(mem.lookupSync(probe, tier).map((l) => [...l]));
    }
    db.close();
  });
  it('an install of schema 8 upgrades to 9: segments kept as written (rows of 64 hashes read as before), an import under way dropped with its rows', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const made = freshDb();
    const active = await importIndex(made, mem, { feed: 'bundled' });
    const seg = active.segments[0]!;
    // A feed's import under way: a staging generation with its rows, and its job.
    const { gen, docBase } = await allocate(made, mem.metas.length);
    await writeSegment(made, gen, docBase, mem);
    const tables = Object.fromEntries(await Promise.all(made.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    made.close();
    // The installed segment's verbatim tier in rows of about 64 hashes, its state recording those bits, as schema 8 wrote it.
    const p = mem.postings('verbatim');
    const bits64 = Math.min(16, Math.max(4, Math.ceil(Math.log2(p.hashes.length / 64))));
    expect(bits64).toBeGreaterThan(seg.bucketBits![0]);
    const rows64: BucketRow[] = [];
    for (let a = 0; a < p.hashes.length; ) {
      const bucket = p.hashes[a]! >>> (32 - bits64);
      let e = a;
      while (e < p.hashes.length && p.hashes[e]! >>> (32 - bits64) === bucket) e++;
      rows64.push({ gen: seg.gen, bucket, data: packBucket(p.hashes, p.offsets, p.docs, a, e, 32 - bits64, mem.metas.length) });
      a = e;
    }
    const state8 = { ...active, segments: [{ ...seg, bucketBits: [bits64, ...seg.bucketBits!.slice(1)] as typeof seg.bucketBits }] };
    const name = `test-index-v8-${++dbCount}`;
    const old = new Dexie(name);
    old.version(8).stores({ state: 'key', buckets: '[gen+bucket]', filters: 'gen', filterParts: '[gen+part]', metaBlocks: '[gen+block]', texts: '[gen+doc]', search: '[gen+key]', jobs: 'feed' });
    await old.open();
    for (const [t, rows] of Object.entries(tables)) await old.table(t).bulkPut(t === 'buckets' ? (rows as BucketRow[]).filter((r) => r.gen !== seg.gen || r.bucket >= REWRITE_BUCKETS) : rows);
    await old.table('buckets').bulkPut(rows64);
    await old.table('state').put(state8);
    await old.table('jobs').put({ feed: 'other', manifestSha256: 'x', steps: [{ kind: 'full', to: 1, gen, docBase, progress: { bucket: 1 << 16, metas: 0 }, written: false }], startedAt: '' });
    old.close();

    const opened = await openOrRebuild(new IndexDb(name), () => Promise.reject(new Error('must not rebuild')));
    expect(opened).toMatchObject({ rebuilt: false, imported: false });
    const db = opened.db;
    expect(db.verno).toBe(10);
    expect(await db.jobs.count()).toBe(0);
    // The staging generation's rows are gone, and it is no longer listed; the installed segment's are all there.
    for (const t of ['buckets', 'filters', 'metaBlocks', 'search'] as const) {
      const rows = (await db.table(t).toArray()) as Array<{ gen: number }>;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.gen === seg.gen)).toBe(true);
    }
    expect(await stagingGenerations(db)).toEqual([]);
    expect(await db.active()).toEqual(state8);
    // Rows of 64 hashes are read with the bits the segment records: the same lists.
    const probe = new Uint32Array([...p.hashes, 1, 2, 0xffffffff]);
    expect((await opened.reader.lookup(probe)).map((l) => Array.from(l))).toEqual(mem.lookupSync(probe).map((l) => Array.from(l)));
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
  it('a write stopped in the key tiers or among the metadata blocks and resumed from its mark leaves the rows of a write in one go', async () => {
    const all = [...fx.originals.en, ...fx.originals.zh];
    const mem = buildIndexOf([0, 1, 2].flatMap((n) => all.map((o) => (n ? { ...o, id: `${o.id}-${n}`, url: `${o.url}?copy=${n}` } : o))));
    // Filter rows with their Blobs' bytes (toEqual does not look into a Blob).
    const bytesOf = async (rows: FilterRow[]) => Promise.all(rows.map(async (r) => ({ ...r, blobs: await Promise.all(r.blobs.map(async (b) => b && new Uint8Array(await b.arrayBuffer()))) })));
    const rowsOf = async (db: IndexDb) =>
      Object.fromEntries(await Promise.all(['buckets', 'metaBlocks', 'texts', 'filters', 'search'].map(async (t) => [t, t === 'filters' ? await bytesOf(await db.filters.toArray()) : await db.table(t).toArray()] as const)));
    const whole = freshDb();
    const marks: SegmentProgress[] = [];
    await writeSegment(whole, 5, 1000, mem, { batch: 64, onProgress: (done) => void marks.push({ ...done }) });
    const want = await rowsOf(whole);
    whole.close();
    // Marks inside the id tier, the address tier, and between two metadata blocks.
    const stops = [marks.find((m) => m.bucket > ID_BUCKETS && m.bucket < URL_BUCKETS), marks.find((m) => m.bucket > URL_BUCKETS && m.bucket < POSTINGS_DONE), marks.find((m) => m.metas > 64 && m.metas < mem.metas.length)];
    for (const stop of stops) {
      expect(stop).toBeDefined();
      const db = freshDb();
      await expect(
        writeSegment(db, 5, 1000, mem, {
          batch: 64,
          onProgress: (done) => {
            if (done.bucket === stop!.bucket && done.metas === stop!.metas) throw new Error('worker stopped');
          },
        }),
      ).rejects.toThrow('worker stopped');
      await writeSegment(db, 5, 1000, mem, { batch: 64, from: stop! });
      expect(await rowsOf(db)).toEqual(want);
      db.close();
    }
  });
});

describe('the bundled index in the store', () => {
  const filesOf = (originals: typeof fx.originals.en, created: string) => {
    const b = new IndexBuilder({ created });
    for (const o of originals) b.add(o);
    const enc = encodeIndex(b.finish());
    return { ...enc, texts: enc.texts ?? '' };
  };
  const found = async (db: IndexDb, text: string) => {
    const reader = (await DexieIndexReader.open(db))!;
    return (await scanPage({ text: stripSourceTag(text) }, reader, loadRegistry())).finding?.candidate.original;
  };

  it('a corrected bundled index reaches an existing install, feeds kept; the same one is not imported twice', async () => {
    const db = freshDb();
    const first = fx.originals.en.slice(0, 10);
    expect(await ensureBundled(db, filesOf(first, '2026-10-31T00:00:00.000Z'))).toBe('imported');
    // A feed installed beside it.
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const url = 'https://feeds.example.org/manifest.json';
    await buildFeed(dir, buildIndexOf(fx.originals.zh.slice(0, 4)), key, { urls: [url], feed: 'demo', created: '2026-11-25T00:00:00.000Z' });
    await syncFeed({ db, now: () => Date.parse('2026-11-25T12:00:00Z') }, folderSource(dir), { url, publicKey: pub });
    const oldGen = (await db.active())!.segments.find((s) => s.feed === 'bundled')!.gen;
    expect(await ensureBundled(db, filesOf(first, '2026-10-31T00:00:00.000Z'))).toBe('current');
    // The update corrects a title and adds an original, under the same `created` (the starter index pins it).
    const corrected = [...first.map((o, i) => (i === 2 ? { ...o, title: 'Corrected title' } : o)), fx.originals.en[10]!];
    expect(await ensureBundled(db, filesOf(corrected, '2026-10-31T00:00:00.000Z'))).toBe('imported');
    const active = (await db.active())!;
    expect(Object.keys(active.sources).sort()).toEqual(['bundled', 'demo']);
    expect(active.segments.some((s) => s.gen === oldGen)).toBe(false);
    expect(await db.metaBlocks.where('[gen+block]').between([oldGen, Dexie.minKey], [oldGen, Dexie.maxKey]).count()).toBe(0);
    expect(active.originals).toBe(11 + 4);
    expect((await found(db, first[2]!.text))!.title).toBe('Corrected title');
    expect((await found(db, fx.originals.en[10]!.text))!.id).toBe(fx.originals.en[10]!.id);
    expect((await found(db, fx.originals.zh[1]!.text))!.id).toBe(fx.originals.zh[1]!.id);
    expect(await ensureBundled(db, filesOf(corrected, '2026-10-31T00:00:00.000Z'))).toBe('current');
    db.close();
  });

  it('an install from before identities were kept imports the bundled index once more', async () => {
    const db = freshDb();
    const files = filesOf(fx.originals.en.slice(0, 6), '2026-10-31T00:00:00.000Z');
    await importIndex(db, decodeIndex(files));
    expect((await db.active())!.sources.bundled!.identity).toBeUndefined();
    expect(await ensureBundled(db, files)).toBe('imported');
    expect((await db.active())!.sources.bundled!.identity).toMatch(/^2026-10-31T00:00:00.000Z [0-9a-f]{64}$/);
    expect(await ensureBundled(db, files)).toBe('current');
    db.close();
  });

  it('an install of schema 4 (postings as three arrays a bucket) upgrades in place: the same lookups, sources and originals kept', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    // The index as the current code stores it, under a feed, with a doc base that is not 0.
    const made = freshDb();
    await importIndex(made, mem, { feed: 'bundled' });
    const active = await importIndex(made, mem, { feed: 'demo', version: 3 });
    const feedSeg = active.segments.find((s) => s.feed === 'demo')!;
    expect(feedSeg.docBase).toBeGreaterThan(0);
    const tables = Object.fromEntries(await Promise.all(made.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    made.close();
    // The same rows in schema 4's form: each bucket's hashes, offsets and global docs.
    const name = `test-index-v4-${++dbCount}`;
    const old = new Dexie(name);
    old.version(1).stores({ state: 'key', postings: '[gen+hash]', originals: '[gen+doc], gen', texts: '[gen+doc]' });
    old.version(2).stores({ postings: null, buckets: '[gen+bucket]', filters: 'gen' });
    old.version(3).stores({ originals: '[gen+doc], gen, id', jobs: 'feed' });
    old.version(4).stores({ search: '[gen+key]' });
    await old.open();
    const segs = new Map(active.segments.map((s) => [s.gen, s]));
    // The postings tiers only (the key tiers came with schema 8).
    const v4 = (tables.buckets as Array<{ gen: number; bucket: number; data: Uint8Array }>).filter((r) => r.bucket < 3 << 16).map((r) => {
      const seg = segs.get(r.gen)!;
      const tier = r.bucket >= 2 << 16 ? 2 : r.bucket >= 1 << 16 ? 1 : 0;
      const high = (r.bucket - (tier << 16)) * 2 ** (32 - seg.bucketBits![tier]!);
      const { lows, lists } = unpackAll(r.data);
      const offsets = [0];
      for (const l of lists) offsets.push(offsets.at(-1)! + l.length);
      return {
        gen: r.gen,
        bucket: r.bucket,
        hashes: Uint32Array.from(lows, (l) => high + l),
        offsets: Uint32Array.from(offsets),
        docs: Uint32Array.from(lists.flatMap((l) => [...l]), (d) => d + seg.docBase),
      };
    });
    // Originals as objects with every field, global docs and the generation.
    const originals = active.segments.flatMap((s) => mem.metas.map((m) => ({ ...m, doc: s.docBase + m.doc, group: s.docBase + m.group, gen: s.gen })));
    expect(originals.some((o) => o.sha && o.fps2)).toBe(true);
    // Filters whole, one row a generation (schema 6 and before), of the sizes the current code's have.
    const wholeOf = new Map<string, Uint8Array>();
    for (const f of tables.filters as FilterRow[]) for (let t = 0; t < 3; t++) if (f.blobs[t]) wholeOf.set(`${f.gen}/${t}`, new Uint8Array(await f.blobs[t]!.arrayBuffer()));
    const whole = (gen: number, tier: number) => wholeOf.get(`${gen}/${tier}`)?.slice();
    // Schema 6 wrote one bit a hash (bit h mod the filter's bits): the same sizes, as that code set them.
    const single = (gen: number, tier: number) => {
      const bits = whole(gen, tier);
      if (!bits) return undefined;
      bits.fill(0);
      for (const h of mem.postings((['verbatim', 'rewrite', 'translate'] as const)[tier]!).hashes) bits[(h & (bits.length * 8 - 1)) >>> 3]! |= 1 << (h & 7);
      return bits;
    };
    const filtersV6 = (tables.filters as FilterRow[]).map((f) => ({ gen: f.gen, bits: single(f.gen, 0), ...(single(f.gen, 1) ? { bits2: single(f.gen, 1) } : {}), ...(single(f.gen, 2) ? { bits3: single(f.gen, 2) } : {}), ...(f.long3 ? { long3: f.long3 } : {}) }));
    expect(filtersV6.every((f) => f.bits && f.bits2 && f.bits3)).toBe(true);
    for (const [t, rows] of Object.entries(tables)) if (t !== 'filterParts' && t !== 'metaBlocks') await old.table(t).bulkPut(t === 'buckets' ? v4 : t === 'filters' ? filtersV6 : t === 'state' ? rows.map(olderState) : rows);
    await old.table('originals').bulkPut(originals);
    // An import under way in schema 4: its rows and job go (the feed syncs again).
    await old.table('buckets').put({ gen: 99, bucket: 5, hashes: new Uint32Array([5 << 28]), offsets: new Uint32Array([0, 1]), docs: new Uint32Array([7]) });
    await old.table('jobs').put({ feed: 'other', manifestSha256: 'x', steps: [], startedAt: '' });
    old.close();

    const opened = await openOrRebuild(new IndexDb(name), () => Promise.reject(new Error('must not rebuild')));
    expect(opened).toMatchObject({ rebuilt: false, imported: false });
    const db = opened.db;
    expect(Object.keys((await db.active())!.sources).sort()).toEqual(['bundled', 'demo']);
    expect((await db.active())!.sources.demo!.version).toBe(3);
    expect(await db.jobs.count()).toBe(0);
    expect(await db.buckets.where('[gen+bucket]').between([99, Dexie.minKey], [99, Dexie.maxKey]).count()).toBe(0);
    const rows = await db.buckets.toArray();
    expect(rows.every((r) => r.data instanceof Uint8Array && !('hashes' in r))).toBe(true);
    // The filters in parts (schema 7), then one Blob a tier (schema 10): the same bytes, read with one
    // probe a hash (schema 6 set one bit a hash); the lookups below use them.
    const upgraded = await db.filters.toArray();
    expect(upgraded.map(({ blobs: _, ...f }) => f)).toEqual((tables.filters as FilterRow[]).map(({ probes: _, blobs: __, ...f }) => f));
    for (const f of upgraded) for (let t = 0; t < 3; t++) expect(new Uint8Array(await f.blobs[t]!.arrayBuffer())).toEqual(single(f.gen, t));
    await opened.reader.loadFilters();
    for (const tier of ['verbatim', 'rewrite', 'translate'] as const) {
      const p = mem.postings(tier);
      const probe = new Uint32Array([...p.hashes.filter((_, i) => i % 7 === 0), 1, 2, 0xffffffff]);
      // Both segments carry the same index: each hash's docs in the bundled segment, then the same shifted to the feed's.
      const want = mem.lookupSync(probe, tier).map((l) => [...l, ...[...l].map((d) => d + feedSeg.docBase)]);
      expect((await opened.reader.lookup(probe, tier)).map((l) => [...l])).toEqual(want);
    }
    // Schema 8: the metadata in blocks and the key tiers, as the current code writes them.
    expect(db.backendDB().objectStoreNames.contains('originals')).toBe(false);
    expect(await db.metaBlocks.toArray()).toEqual(tables.metaBlocks);
    expect((await db.buckets.toArray()).filter((r) => r.bucket >= 3 << 16)).toEqual((tables.buckets as BucketRow[]).filter((r) => r.bucket >= 3 << 16));
    expect((await db.active())!.segments).toEqual(active.segments);
    const byUrl = await docsByKey(db, active.segments, 'url', [fnv1a(linkKey(mem.metas[5]!.url)!)]);
    expect(byUrl.map((h) => h.doc)).toEqual([mem.metas[5]!.doc, feedSeg.docBase + mem.metas[5]!.doc]);
    expect(await opened.reader.originals([feedSeg.docBase + 3])).toEqual([{ ...mem.metas[3]!, doc: feedSeg.docBase + 3, group: feedSeg.docBase + mem.metas[3]!.group }]);
    db.close();
  });

  it('an install of schema 7 (one row an original, indexed by id and address hash) upgrades in place: blocks and key tiers as the current code writes them', async () => {
    // 144 originals (three blocks a segment): the fixtures thrice, under other ids and addresses.
    const all = [...fx.originals.en, ...fx.originals.zh];
    const mem = buildIndexOf([0, 1, 2].flatMap((n) => all.map((o) => (n ? { ...o, id: `${o.id}-${n}`, url: `${o.url}?copy=${n}` } : o))));
    const made = freshDb();
    await importIndex(made, mem, { feed: 'bundled' });
    const active = await importIndex(made, mem, { feed: 'demo', version: 3 });
    const feedSeg = active.segments.find((s) => s.feed === 'demo')!;
    const bundledSeg = active.segments.find((s) => s.feed === 'bundled')!;
    const tables = Object.fromEntries(await Promise.all(made.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    made.close();
    const name = `test-index-v7-${++dbCount}`;
    const old = new Dexie(name);
    old.version(7).stores({ state: 'key', buckets: '[gen+bucket]', filters: 'gen', filterParts: '[gen+part]', originals: '[gen+doc], id, u', texts: '[gen+doc]', search: '[gen+key]', jobs: 'feed' });
    await old.open();
    for (const [t, rows] of Object.entries(tables))
      if (t !== 'metaBlocks') await old.table(t).bulkPut(t === 'buckets' ? (rows as BucketRow[]).filter((r) => r.bucket < 3 << 16) : t === 'state' ? rows.map(olderState) : rows);
    await old.table('originals').bulkPut(active.segments.flatMap((s) => mem.metas.map((m) => originalRow(s.gen, { ...m, doc: s.docBase + m.doc, group: s.docBase + m.group }))));
    // An import under way in schema 7: its progress marks predate the key tiers, so it goes.
    await old.table('jobs').put({ feed: 'other', manifestSha256: 'x', steps: [{ kind: 'full', to: 1, gen: 9, docBase: 900, progress: { bucket: 3 << 16, metas: 0 }, written: false }], startedAt: '' });
    old.close();

    const opened = await openOrRebuild(new IndexDb(name), () => Promise.reject(new Error('must not rebuild')));
    expect(opened).toMatchObject({ rebuilt: false, imported: false });
    const db = opened.db;
    expect(await db.jobs.count()).toBe(0);
    expect(db.backendDB().objectStoreNames.contains('originals')).toBe(false);
    expect((await db.active())!.segments).toEqual(active.segments);
    expect(await db.metaBlocks.toArray()).toEqual(tables.metaBlocks);
    expect(await db.buckets.toArray()).toEqual(tables.buckets);
    expect((tables.metaBlocks as unknown[]).length).toBe(2 * Math.ceil(mem.metas.length / 64));
    // Lookups by doc, id and address as before.
    const doc = feedSeg.docBase + 70;
    expect(await opened.reader.originals([doc, bundledSeg.docBase + 3, feedSeg.docBase + mem.metas.length])).toEqual([
      { ...mem.metas[70]!, doc, group: feedSeg.docBase + mem.metas[70]!.group },
      { ...mem.metas[3]!, doc: bundledSeg.docBase + 3, group: bundledSeg.docBase + mem.metas[3]!.group },
      undefined,
    ]);
    const [meta] = await opened.reader.originals([doc]);
    expect(await opened.reader.heldElsewhere(meta!, new Set(['demo']))).toBe(true);
    expect(await opened.reader.heldElsewhere(meta!, new Set(['demo', 'bundled']))).toBe(false);
    const byId = await docsByKey(db, active.segments, 'id', [fnv1a(mem.metas[70]!.id)]);
    expect(byId.map((h) => h.doc)).toEqual([bundledSeg.docBase + 70, doc]);
    db.close();
  });

  it('a schema upgrade that clears the store is reported, so that feeds sync at once', async () => {
    const name = `test-index-upgrade-${++dbCount}`;
    // A database as version 2 of the schema left it, with an active state.
    const old = new Dexie(name);
    old.version(1).stores({ state: 'key', postings: '[gen+hash]', originals: '[gen+doc], gen', texts: '[gen+doc]' });
    old.version(2).stores({ postings: null, buckets: '[gen+bucket]', filters: 'gen' });
    await old.open();
    const header = { format: 'provenance-index', version: 1, params: { k: 8, w: 16 }, created: '', originals: 1, distinctHashes: 0, postings: 0, stopHashes: 0 };
    const segments = [{ gen: 1, feed: 'demo', docBase: 0, header, outlets: ['xinhua'], removed: [] }];
    await old.table('state').put({ key: 'active', params: { k: 8, w: 16 }, segments, sources: { demo: { id: 'demo', version: 3, created: '', installedAt: '' } }, nextGen: 2, nextDoc: 1, originals: 1, outlets: 1, installedAt: '' });
    old.close();
    const files = filesOf(fx.originals.en.slice(0, 6), '2026-10-31T00:00:00.000Z');
    const opened = await openOrRebuild(new IndexDb(name), (d) => ensureBundled(d, files));
    expect(opened).toMatchObject({ rebuilt: false, imported: true });
    expect(Object.keys((await opened.db.active())!.sources)).toEqual(['bundled']);
    // Opened again: nothing to import, nothing to report.
    opened.db.close();
    const again = await openOrRebuild(new IndexDb(name), (d) => ensureBundled(d, files));
    expect(again).toMatchObject({ rebuilt: false, imported: false });
    again.db.close();
  });
});
