import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { buildDelta, buildFeed, folderSource } from '../../lib/feed/publish';
import { syncFeed } from '../../lib/feed/sync';
import { IndexBuilder } from '../../lib/index/build-index';
import type { OriginalInput } from '../../lib/index/types';
import { searchOriginals } from '../../lib/search/search-index';
import { OUTLET_MARK, queryWords, ROW_DOCS, rowDocs, TermTableBuilder, textTerms } from '../../lib/search/terms';
import { commit, IndexDb, importIndex } from '../../lib/store/index-db';
import { newKey, tempDir } from '../support/feeds';

let dbs = 0;
const freshDb = () => new IndexDb(`search-test-${++dbs}`);

/** Fictional originals: a body long enough to fingerprint, titles as the tests need them. */
const original = (id: string, title: string, outlet = 'xinhua', published = '2026-03-14', lang = 'en'): OriginalInput => ({
  id,
  outlet,
  url: `https://news.example.org/${id}.html`,
  title,
  published,
  lang,
  text: `${title}. ` + Array.from({ length: 60 }, (_, i) => `Invented sentence ${i} of the story ${id} told about places that do not exist.`).join(' '),
});

const ORIGINALS = [
  original('en-1', 'Lanfeng Valley rice farmers bring in a record harvest'),
  original('en-2', 'Port of Haixin opens three new berths', 'cgtn', '2026-04-02'),
  original('en-3', 'Harvest festival draws crowds to Lanfeng', 'globaltimes', '2025-12-30'),
  original('zh-1', '澜州港新泊位投入使用', 'xinhua', '2026-05-01', 'zh'),
  original('zh-2', '兰丰谷稻农迎来丰收', 'chinadaily', '2026-05-02', 'zh'),
];

async function imported(originals = ORIGINALS) {
  const db = freshDb();
  const b = new IndexBuilder({ created: '2026-11-22T00:00:00Z' });
  for (const o of originals) b.add(o);
  const state = await importIndex(db, b.finish());
  return { db, state };
}
const ids = async (db: IndexDb, query: string, names?: Record<string, string[]>) =>
  (await searchOriginals(db, (await db.active())!, query, { outletNames: (id) => names?.[id] ?? [] })).map((o) => o.id);

describe('search terms', () => {
  it('folds case, accents, full-width and Traditional; Han text as bigrams and its last character', () => {
    expect(textTerms('Café  ＲＩＣＥ harvest-2026')).toEqual(['cafe', 'rice', 'harvest', '2026']);
    expect(textTerms('澜州港')).toEqual(['澜州', '州港', '港']);
    expect(textTerms('瀾州港')).toEqual(['澜州', '州港', '港']);
    expect(queryWords('新泊位')).toEqual(['新泊', '泊位']);
    expect(queryWords('港')).toEqual(['港']);
    expect(queryWords('2026-03 Rice rice ric')).toEqual(['2026-03', 'rice']);
  });
  it('packs a term table whose rows hold each term’s docs, long terms split across rows', () => {
    const b = new TermTableBuilder();
    for (let d = 0; d < ROW_DOCS * 2 + 10; d++) b.add(1000 + d, { title: d % 2 ? 'common odd' : 'common', outlet: 'x', published: '2026-01-01' });
    const rows = b.rows(7);
    expect(rows.map((r) => r.key)).toEqual([...rows.map((r) => r.key)].sort());
    const docsOf = (term: string) => {
      const out: number[] = [];
      for (const r of rows) rowDocs(r, (t) => t === term, out);
      return out;
    };
    expect(docsOf('common')).toEqual(Array.from({ length: ROW_DOCS * 2 + 10 }, (_, d) => 1000 + d));
    expect(docsOf('odd').length).toBe(ROW_DOCS + 5);
    expect(docsOf(OUTLET_MARK + 'x').length).toBe(ROW_DOCS * 2 + 10);
    expect(rows.filter((r) => r.terms.includes('common')).length).toBe(3);
  });
});

describe('popup search over the term table', () => {
  it('finds English titles by words and prefixes, several words together, in any order', async () => {
    const { db } = await imported();
    expect(await ids(db, 'Lanfeng harvest')).toEqual(expect.arrayContaining(['en-1', 'en-3']));
    expect((await ids(db, 'rice lanf'))[0]).toBe('en-1');
    expect(await ids(db, 'harv')).toEqual(expect.arrayContaining(['en-1', 'en-3']));
    expect(await ids(db, 'berths haixin')).toEqual(['en-2']);
    expect(await ids(db, 'berths lanfeng')).toEqual([]);
    expect(await ids(db, '   ')).toEqual([]);
    db.close();
  });
  it('finds Simplified titles from Simplified and Traditional queries, and a single character', async () => {
    const { db } = await imported();
    expect(await ids(db, '新泊位')).toEqual(['zh-1']);
    expect(await ids(db, '瀾州港')).toEqual(['zh-1']);
    expect(await ids(db, '蘭豐谷 豐收')).toEqual(['zh-2']);
    expect(await ids(db, '港')).toEqual(['zh-1']);
    expect(await ids(db, '收')).toEqual(['zh-2']);
    db.close();
  });
  it('matches dates and outlet names; forgives a typo', async () => {
    const { db } = await imported();
    expect(await ids(db, '2025-12')).toEqual(['en-3']);
    expect((await ids(db, '2026-05')).sort()).toEqual(['zh-1', 'zh-2']);
    expect(await ids(db, 'Global Times', { globaltimes: ['Global Times', '环球时报'] })).toEqual(['en-3']);
    expect(await ids(db, '环球 harvest', { globaltimes: ['Global Times', '环球时报'] })).toEqual(['en-3']);
    expect((await ids(db, 'Lanfneg rice'))[0]).toBe('en-1');
    db.close();
  });
  it('finds one original among thousands of near-identical titles', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => original(`syn-${i}`, `Synthetic article number ${i} about an invented event`));
    const db = freshDb();
    const b = new IndexBuilder({ created: '2026-11-22T00:00:00Z' });
    for (const o of [...many, ...ORIGINALS]) b.add(o);
    await importIndex(db, b.finish());
    expect((await ids(db, 'Synthetic article number 2424'))[0]).toBe('syn-2424');
    expect((await ids(db, 'invented event 777'))[0]).toBe('syn-777');
    expect((await ids(db, 'synthetic')).length).toBe(20);
    expect(await ids(db, 'lanfeng valley')).toEqual(['en-1']);
    db.close();
  });
  it('keeps the metadata it checked for the next keystroke: the same results, without reading the blocks again', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => original(`syn-${i}`, `Report ${i} on ${['Lanfeng', 'Haixin', 'Maresca', 'Tarsiwan'][i % 4]} ${i % 7 ? 'harbour' : 'valley'} works`));
    const db = freshDb();
    const b = new IndexBuilder({ created: '2026-11-22T00:00:00Z' });
    for (const o of many) b.add(o);
    await importIndex(db, b.finish());
    const state = (await db.active())!;
    const reads = vi.spyOn(db.metaBlocks, 'bulkGet');
    const typed: Array<{ ids: string[]; rows: number }> = [];
    for (const q of ['Mar', 'Mare', 'Mares', 'Maresca v', 'Maresca va']) {
      reads.mockClear();
      const got = (await searchOriginals(db, state, q)).map((o) => o.id);
      typed.push({ ids: got, rows: reads.mock.calls.reduce((n, c) => n + (c[0] as unknown[]).length, 0) });
      // A state of its own keeps nothing: the same results.
      expect(got).toEqual((await searchOriginals(db, (await db.active())!, q)).map((o) => o.id));
    }
    expect(typed[0]!.ids.length).toBe(20);
    // Every candidate of "Mar" passes (one word, intersected): only the newest 60 are read, one in four docs: 240 docs, 4–5 blocks (150 would be 10).
    expect(typed[0]!.rows).toBeGreaterThan(0);
    expect(typed[0]!.rows).toBeLessThanOrEqual(5);
    // The same candidates as the keystroke before: no block read again.
    expect(typed[1]!.rows).toBe(0);
    expect(typed[2]!.rows).toBe(0);
    expect(typed[4]!.ids.every((id) => Number(id.slice(4)) % 4 === 2 && Number(id.slice(4)) % 7 === 0)).toBe(true);
    db.close();
  });
  it('a delta updates the search (removed, changed and added originals); removing the feed drops its originals', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const url = 'https://feeds.example.org/demo/manifest.json';
    const feedOpts = { urls: [url], feed: 'demo', shardOriginals: 2 };
    const b = new IndexBuilder({ created: '' });
    for (const o of ORIGINALS) b.add(o);
    await buildFeed(dir, b.finish(), key, { ...feedOpts, created: '2026-11-25T00:00:00.000Z' });
    const db = freshDb();
    const now = () => Date.parse('2026-11-25T12:00:00Z');
    await syncFeed({ db, now }, folderSource(dir), { url, publicKey: pub });
    expect(await ids(db, 'berths')).toEqual(['en-2']);
    expect(await ids(db, 'festival')).toEqual(['en-3']);
    const changed = { ...ORIGINALS[0]!, title: 'Lanfeng Valley farmers count the sacks' };
    const added = original('en-4', 'Ferry line to Haixin resumes after storm', 'cgtn', '2026-06-01');
    await buildDelta(dir, dir, [changed, added], ['en-3'], key, { ...feedOpts, created: '2026-11-25T01:00:00.000Z' });
    const out = await syncFeed({ db, now }, folderSource(dir), { url, publicKey: pub });
    expect(out).toMatchObject({ status: 'installed', kind: 'delta' });
    expect(await ids(db, 'festival')).toEqual([]);
    expect(await ids(db, 'rice harvest')).toEqual([]);
    expect(await ids(db, 'lanfeng sacks')).toEqual(['en-1']);
    expect(await ids(db, 'haixin')).toEqual(expect.arrayContaining(['en-2', 'en-4']));
    // The feed removed (as the background removes one): nothing of it is found, its rows are gone.
    await commit(db, (current) => ({ ...current!, segments: current!.segments.filter((s) => s.feed !== 'demo'), sources: {} }));
    expect(await db.search.count()).toBe(0);
    const empty = await db.active();
    expect(await searchOriginals(db, empty!, 'haixin')).toEqual([]);
    db.close();
  });
});
