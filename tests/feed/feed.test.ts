import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../lib/feed/format';
import { join } from 'node:path';
import { mergeRegistries, OutletRegistry } from '../../lib/credit/registry';
import { buildDelta, buildFeed, folderSource, KEYS_FILE, verifyFeed, writeManifest } from '../../lib/feed/publish';
import { syncFeed } from '../../lib/feed/sync';
import { scanPage } from '../../lib/scan-page';
import { loadRegistry } from '../../lib/cli/cli-support';
import { commit, DexieIndexReader, docsByKey, importIndex, IndexDb, readOriginals, refreshShadow } from '../../lib/store/index-db';
import { fnv1a } from '../../lib/link-key';
import { loadFixtures, stripSourceTag } from '../support/make-pages';
import { buildIndex, newKey, readTree, tempDir } from '../support/feeds';

const fx = loadFixtures();
const originals = [...fx.originals.en, ...fx.originals.zh];
const reg = loadRegistry();
let dbs = 0;
const freshDb = () => new IndexDb(`feed-test-${++dbs}`);
const NOW = Date.parse('2026-11-25T12:00:00Z');
const CREATED = '2026-11-25T00:00:00.000Z';
const URL_ = 'https://feeds.example.org/demo/manifest.json';
const urls = [URL_];

async function findOriginal(db: IndexDb, text: string) {
  const reader = (await DexieIndexReader.open(db))!;
  const v = await scanPage({ text: stripSourceTag(text) }, reader, reg);
  return v.finding?.candidate.original.id;
}

describe('feeds: publish, verify, sync', () => {
  it('builds reproducible shards, verifies, and installs a full feed', async () => {
    const { key, pub } = await newKey();
    const a = await tempDir();
    const b = await tempDir();
    const index = buildIndex(originals);
    await buildFeed(a, index, key, { urls, feed: 'demo', created: CREATED, shardOriginals: 20 });
    await buildFeed(b, buildIndex(originals), key, { urls, feed: 'demo', created: '2026-11-26T00:00:00.000Z', shardOriginals: 20 });
    const ta = await readTree(a);
    const tb = await readTree(b);
    const shards = [...ta.keys()].filter((k) => k.startsWith('shards/'));
    expect(shards.length).toBe(3);
    for (const s of shards) expect(tb.get(s)?.equals(ta.get(s)!)).toBe(true);
    const report = await verifyFeed(a, pub, NOW);
    expect(report.manifest.full.originals).toBe(originals.length);

    const db = freshDb();
    const out = await syncFeed({ db, now: () => NOW, batch: 200 }, folderSource(a), { url: URL_, publicKey: pub });
    expect(out).toMatchObject({ status: 'installed', kind: 'full', version: 1, originals: originals.length });
    expect((await db.active())!.originals).toBe(originals.length);
    expect(await findOriginal(db, fx.originals.en[3]!.text)).toBe(fx.originals.en[3]!.id);
    expect(await findOriginal(db, fx.originals.zh[7]!.text)).toBe(fx.originals.zh[7]!.id);
    const again = await syncFeed({ db, now: () => NOW }, folderSource(a), { url: URL_, publicKey: pub });
    expect(again.status).toBe('up-to-date');
  });

  it('applies a delta: new originals found, removed ones gone, changed ones once', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const first = originals.slice(0, 40);
    await buildFeed(dir, buildIndex(first), key, { urls, feed: 'demo', created: CREATED, shardOriginals: 16 });
    const db = freshDb();
    await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    const removed = first[5]!;
    const changed = { ...first[6]!, title: 'Changed title' };
    const added = originals.slice(40);
    await buildDelta(dir, dir, [...added, changed], [removed.id], key, { urls, feed: 'demo', created: '2026-11-25T01:00:00.000Z', shardOriginals: 16 });
    const out = await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    expect(out).toMatchObject({ status: 'installed', kind: 'delta', from: 1, version: 2 });
    expect((await db.active())!.originals).toBe(originals.length - 1);
    expect(await findOriginal(db, added[2]!.text)).toBe(added[2]!.id);
    expect(await findOriginal(db, removed.text)).toBeUndefined();
    const reader = (await DexieIndexReader.open(db))!;
    const v = await scanPage({ text: stripSourceTag(changed.text) }, reader, reg);
    expect(v.finding!.candidate.original.title).toBe('Changed title');
    // The same result as a client that installs version 2 in full.
    const db2 = freshDb();
    const full = await syncFeed({ db: db2, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    expect(full).toMatchObject({ kind: 'full', version: 2 });
    expect((await db2.active())!.originals).toBe(originals.length - 1);
    expect(await findOriginal(db2, removed.text)).toBeUndefined();
    expect((await verifyFeed(dir, pub, NOW)).checked.length).toBe(2);
  });

  it('a delta removes by id, not by the id\'s hash: an original whose id hashes alike stays, and reads by the id tier tell the two apart', async () => {
    // Two ids with the same 32-bit FNV-1a (the store's id tier is keyed by it).
    const [gone, kept] = ['lw-1579599', 'lw-1762382'];
    expect(fnv1a(gone)).toBe(fnv1a(kept));
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const first = [{ ...originals[2]!, id: gone, url: 'https://lanzhou-wire.test/a/1' }, { ...originals[3]!, id: kept, url: 'https://lanzhou-wire.test/a/2' }, ...originals.slice(4, 12)];
    await buildFeed(dir, buildIndex(first), key, { urls, feed: 'demo', created: CREATED });
    const db = freshDb();
    await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    await buildDelta(dir, dir, [originals[20]!], [gone], key, { urls, feed: 'demo', created: '2026-11-25T01:00:00.000Z' });
    expect(await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub })).toMatchObject({ kind: 'delta', version: 2 });
    const active = (await db.active())!;
    expect(active.originals).toBe(first.length);
    expect(await findOriginal(db, first[0]!.text)).toBeUndefined();
    expect(await findOriginal(db, first[1]!.text)).toBe(kept);
    // Both are under the one key; the metadata says which is which.
    const hits = await docsByKey(db, active.segments, 'id', [fnv1a(kept)]);
    expect(hits.length).toBe(2);
    expect((await readOriginals(db, hits.map((h) => [h.seg, h.doc] as const))).map((m) => m?.id).sort()).toEqual([gone, kept]);
    const reader = (await DexieIndexReader.open(db))!;
    expect((await reader.originals(hits.map((h) => h.doc))).map((m) => m?.id).sort()).toEqual([kept, undefined]);
  });
});

describe('a publisher\'s folder of format 1', () => {
  it('is carried on into format 2 by the next version, which needs its address', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    await buildFeed(dir, buildIndex(originals.slice(0, 10)), key, { urls, feed: 'old', created: CREATED });
    // Made as the tool of issue 5 made it: no addresses, no keys, format 1.
    const m = parseManifest(new Uint8Array(readFileSync(join(dir, MANIFEST_FILE))), { legacy: true }) as Partial<Manifest>;
    delete m.keys;
    delete m.urls;
    await writeManifest(dir, { ...m, formatVersion: 1 } as Manifest, key);
    rmSync(join(dir, KEYS_FILE));
    await expect(verifyFeed(dir, pub, NOW)).rejects.toThrow(/format version 1 is no longer accepted/);
    await expect(buildDelta(dir, dir, originals.slice(10, 12), [], key, { feed: 'old', created: '2026-11-25T01:00:00.000Z' })).rejects.toThrow(/a feed of format 1, which names no address: give --url/);
    const { manifest } = await buildDelta(dir, dir, originals.slice(10, 12), [], key, { urls, feed: 'old', created: '2026-11-25T01:00:00.000Z' });
    expect(manifest).toMatchObject({ formatVersion: 2, version: 2, urls });
    expect((await verifyFeed(dir, pub, NOW, URL_)).manifest.full.originals).toBe(12);
  });
});

describe('feed outlet registry', () => {
  it('installs the registry a feed carries, so credit detection knows its new outlets; a tampered one is refused', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const base = JSON.parse(readFileSync('public/outlets.json', 'utf8'));
    const wire = { id: 'lanzhou-wire', names: { en: 'Lanzhou Wire', 'zh-Hans': '澜州通讯社', 'zh-Hant': '瀾州通訊社' }, aliases: ['LZW'], domains: ['lanzhou-wire.test'], partners: [] };
    const regFile = join(dir, '..', `reg-${Date.now()}.json`);
    writeFileSync(regFile, JSON.stringify({ ...base, outlets: [...base.outlets, wire] }));
    const o = { ...fx.originals.en[9]!, id: 'lzw-1', outlet: 'lanzhou-wire', url: 'https://lanzhou-wire.test/a/1' };
    await buildFeed(dir, buildIndex([o]), key, { urls, feed: 'wire', created: CREATED, registryFile: regFile });
    const db = freshDb();
    await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    const active = (await db.active())!;
    expect(active.sources.wire!.registry!.outlets.some((x) => x.id === 'lanzhou-wire')).toBe(true);
    const merged = new OutletRegistry(mergeRegistries(reg.registry, Object.values(active.sources).map((s) => s.registry)));
    expect(merged.get('lanzhou-wire')!.names.en).toBe('Lanzhou Wire');
    const reader = (await DexieIndexReader.open(db))!;
    const text = stripSourceTag(o.text);
    // With the feed's registry: the original's own site is recognised, and "Source: Lanzhou Wire" is credit.
    const own = await scanPage({ text, url: 'https://www.lanzhou-wire.test/a/1' }, reader, merged);
    expect(own.verdict).toBe('credited');
    expect(own.finding?.credit?.kind).toBe('own-site');
    expect((await scanPage({ text: `${text}\n\nSource: Lanzhou Wire`, url: 'https://copy.test/x' }, reader, merged)).verdict).toBe('credited');
    // Without it the outlet's name is unknown, and the same source line is no credit.
    expect((await scanPage({ text: `${text}\n\nSource: Lanzhou Wire`, url: 'https://copy.test/x' }, reader, reg)).verdict).toBe('uncredited');
    expect((await scanPage({ text, url: 'https://copy.test/x' }, reader, merged)).verdict).toBe('uncredited');
    // Tampered registry file: refused, nothing installed.
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, m.registry.path), readFileSync(join(dir, m.registry.path), 'utf8').replace('Lanzhou Wire', 'Lanzhou Wirf'));
    const db2 = freshDb();
    await expect(syncFeed({ db: db2, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub })).rejects.toThrow(/outlet registry does not match/);
    expect(await db2.active()).toBeUndefined();
  });
});

describe('bundled originals that a feed also carries', () => {
  it('are hidden while the feed carries them, so that nothing counts twice, and come back when it no longer does', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const db = freshDb();
    await importIndex(db, buildIndex(fx.originals.en), { feed: 'bundled' });
    // The feed republishes 10 of the bundled originals (one with a new title) and adds 5 of its own.
    const overlap = fx.originals.en.slice(0, 10).map((o, i) => (i === 3 ? { ...o, title: 'Feed title' } : o));
    await buildFeed(dir, buildIndex([...overlap, ...fx.originals.zh.slice(0, 5)]), key, { urls, feed: 'demo', created: CREATED });
    await syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub });
    expect((await db.active())!.originals).toBe(fx.originals.en.length + 5);
    const reader = (await DexieIndexReader.open(db))!;
    const v = await scanPage({ text: stripSourceTag(overlap[3]!.text) }, reader, reg);
    expect(v.finding!.candidate.original.title).toBe('Feed title');
    expect(v.findings.filter((f) => f.candidate.original.id === overlap[3]!.id)).toHaveLength(1);
    // The feed goes away: the bundled originals are back.
    await commit(db, (cur) => ({ ...cur!, segments: cur!.segments.filter((s) => s.feed !== 'demo'), sources: { bundled: cur!.sources.bundled! } }));
    await refreshShadow(db);
    expect((await db.active())!.originals).toBe(fx.originals.en.length);
    expect(await (async () => (await scanPage({ text: stripSourceTag(overlap[3]!.text) }, (await DexieIndexReader.open(db))!, reg)).finding!.candidate.original.title)()).toBe(fx.originals.en[3]!.title);
  });
});
