/**
 * Feeds carrying the translation tier: each shard's part in a file of its own, named with its
 * SHA-256 in the signed manifest. A reader that knows nothing of it reads the shards as before;
 * a current one installs the tier (full and delta) and finds translated copies from the feed.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeShard, FeedError, MANIFEST_FILE, parseManifest } from '../../lib/feed/format';
import { buildDelta, buildFeed, folderSource, readFullIndex, verifyFeed } from '../../lib/feed/publish';
import { syncFeed } from '../../lib/feed/sync';
import { IndexBuilder } from '../../lib/index/build-index';
import { ByteReader } from '../../lib/index/varint';
import { loadRegistry } from '../../lib/cli/cli-support';
import { scanPage } from '../../lib/scan-page';
import { DexieIndexReader, IndexDb } from '../../lib/store/index-db';
import { loadDictionary } from '../../lib/translate/load-dictionary';
import { newKey, tempDir } from '../support/feeds';
import { loadTranslationCorpus, starterOriginals } from '../support/translations';

const dict = loadDictionary();
const reg = loadRegistry();
const originals = starterOriginals();
const pages = loadTranslationCorpus((id) => ({ zh: id, en: id }));
const NOW = Date.parse('2026-11-25T12:00:00Z');
const CREATED = '2026-11-25T00:00:00.000Z';
const URL_ = 'https://feeds.example.org/tr/manifest.json';
let dbs = 0;

function indexOf(list = originals, translate = true) {
  const b = new IndexBuilder({ created: '', ...(translate ? { translate: dict } : {}) });
  for (const o of list) b.add(o);
  return b.finish();
}

/** The sections of a raw shard (after the magic): how many there are. */
function sections(raw: Uint8Array): number {
  const r = new ByteReader(raw);
  for (let i = 0; i < 4; i++) r.varint();
  let n = 0;
  while (!r.done) {
    const length = r.varint();
    r.pos += length;
    n++;
  }
  return n;
}

async function translatedFinding(db: IndexDb, id: string) {
  const reader = (await DexieIndexReader.open(db))!;
  const page = pages.find((p) => p.id === id)!;
  const v = await db.transaction('r', [db.buckets, db.filters, db.metaBlocks, db.texts], async () => await scanPage({ text: page.text }, reader, reg, { translate: { dict } }));
  return v.finding && { id: v.finding.candidate.original.id, reuse: v.finding.candidate.reuse, verdict: v.verdict };
}

describe('feeds with the translation tier', () => {
  it('writes each shard’s part as a signed companion file; shards keep their five sections', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const index = indexOf();
    const m = await buildFeed(dir, index, key, { urls: [URL_], feed: 'tr', created: CREATED, shardOriginals: 20 });
    expect(m.full.shards.length).toBe(3);
    let bytes = 0;
    for (const ref of m.full.shards) {
      expect(ref.translate).toBeDefined();
      bytes += ref.translate!.bytes;
      const raw = new Uint8Array(gunzipSync(await readFile(join(dir, ref.path))));
      // What every reader reads: the shard alone, five sections (a sixth would make older readers refuse it).
      expect(sections(raw)).toBe(5);
      const alone = decodeShard(raw, ref.path);
      expect(alone.index.translate).toBeUndefined();
      expect(alone.index.metas.length).toBe(ref.originals);
    }
    // On the wire (gzipped), per original: within the 200-byte budget.
    expect(bytes / originals.length).toBeLessThan(200);
    // The manifest as signed names each companion; the parser keeps them.
    const parsed = parseManifest(new Uint8Array(await readFile(join(dir, MANIFEST_FILE))));
    expect(parsed.full.shards.map((s) => s.translate?.sha256)).toEqual(m.full.shards.map((s) => s.translate!.sha256));
    // Read back whole: the same translation postings as the index published.
    const back = await readFullIndex(dir, m);
    expect(Array.from(back.postings('translate').hashes)).toEqual(Array.from(index.postings('translate').hashes));
    expect(Array.from(back.postings('translate').docs)).toEqual(Array.from(index.postings('translate').docs));
    expect(back.header.translate?.postings).toBe(index.header.translate!.postings);
    await verifyFeed(dir, pub, NOW);
  });

  it('installs the tier from a feed and finds a translated copy through it; a delta carries it on', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const zh016 = originals.find((o) => o.id === 'zh-016')!;
    const en003 = originals.find((o) => o.id === 'en-003')!;
    const first = originals.filter((o) => o !== zh016 && o !== en003);
    await buildFeed(dir, indexOf(first), key, { urls: [URL_], feed: 'tr', created: CREATED, shardOriginals: 30 });
    const db = new IndexDb(`tr-feed-${++dbs}`);
    expect((await syncFeed({ db, now: () => NOW, batch: 100 }, folderSource(dir), { url: URL_, publicKey: pub })).status).toBe('installed');
    expect((await DexieIndexReader.open(db))!.translate).toBeDefined();
    expect(await translatedFinding(db, 'full-zh-001')).toEqual({ id: 'zh-001', reuse: 'translated', verdict: 'credited' });
    expect(await translatedFinding(db, 'full-zh-016')).toBeUndefined();
    // The next version adds zh-016 and en-003: the delta's shards carry their keys, the kept ones' are carried over.
    const { manifest, delta } = await buildDelta(dir, dir, [zh016, en003], [], key, { urls: [URL_], feed: 'tr', created: '2026-11-25T01:00:00.000Z', translate: dict });
    expect(delta.shards.every((s) => s.translate)).toBe(true);
    expect(manifest.full.shards.every((s) => s.translate)).toBe(true);
    const whole = await readFullIndex(dir, manifest);
    const fresh = indexOf([...first, zh016, en003]);
    expect(whole.postings('translate').docs.length).toBe(fresh.postings('translate').docs.length);
    const out = await syncFeed({ db, now: () => NOW + 3_600_000, batch: 100 }, folderSource(dir), { url: URL_, publicKey: pub });
    expect(out).toMatchObject({ status: 'installed', kind: 'delta' });
    expect(await translatedFinding(db, 'full-zh-016')).toEqual({ id: 'zh-016', reuse: 'translated', verdict: 'uncredited' });
    expect((await translatedFinding(db, 'full-en-003'))?.id).toBe('en-003');
  });

  it('refuses a feed whose translation file was altered (its hash is signed), keeping the installed index', async () => {
    const { key, pub } = await newKey();
    const dir = await tempDir();
    const m = await buildFeed(dir, indexOf(), key, { urls: [URL_], feed: 'tr', created: CREATED, shardOriginals: 30 });
    const file = join(dir, m.full.shards[1]!.translate!.path);
    const bytes = await readFile(file);
    bytes[bytes.length - 5]! ^= 0xff;
    await writeFile(file, bytes);
    const db = new IndexDb(`tr-feed-${++dbs}`);
    await expect(syncFeed({ db, now: () => NOW }, folderSource(dir), { url: URL_, publicKey: pub })).rejects.toSatisfy(
      (e: unknown) => e instanceof FeedError && e.code === 'hash' && e.message.includes(m.full.shards[1]!.translate!.path),
    );
    await expect(verifyFeed(dir, pub, NOW)).rejects.toBeInstanceOf(FeedError);
  });

  it('a feed built without the tier has no companion files, as before', async () => {
    const { key } = await newKey();
    const dir = await tempDir();
    const m = await buildFeed(dir, indexOf(originals, false), key, { urls: [URL_], feed: 'tr', created: CREATED, shardOriginals: 30 });
    expect(m.full.shards.every((s) => s.translate === undefined)).toBe(true);
    expect(JSON.stringify(m)).not.toContain('translate');
  });
});
