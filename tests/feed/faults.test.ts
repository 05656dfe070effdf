/**
 * The sync fault list (issue 5), one test each, in Node with fake-indexeddb.
 * In every case lookups keep working on the last good index and the reader's
 * reports are untouched.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { safeLink, toBadgeInfo } from '../../lib/badge-info';
import { loadRegistry } from '../../lib/cli/cli-support';
import { mergeRegistries, OutletRegistry } from '../../lib/credit/registry';
import { FeedError, MANIFEST_FILE, maxVersionAt, parseManifest, SIGNATURE_FILE, type Manifest } from '../../lib/feed/format';
import { buildDelta, buildFeed, folderSource, revokeKey, rotateKey, signStatement, verifyFeed, writeManifest } from '../../lib/feed/publish';
import { scanCountingLapses } from '../../lib/feed/lapse';
import { DEFAULT_THRESHOLDS } from '../../lib/match/judge';
import { backoffDelay, FeedScheduler, RETRY_ALARM, SYNC_ALARM, type FeedStatus, type FeedSubscription } from '../../lib/feed/scheduler';
import { httpSource, syncFeed, type FeedSource } from '../../lib/feed/sync';
import { IndexBuilder } from '../../lib/index/build-index';
import { scanPage } from '../../lib/scan-page';
import { allocate, discardStaging, DexieIndexReader, IndexDb, importIndex, openOrRebuild, sourceOf, stagingGenerations, withSource, writeSegment, type Allocation } from '../../lib/store/index-db';
import { ReportsDb } from '../../lib/store/reports-db';
import { loadFixtures, stripSourceTag } from '../support/make-pages';
import { buildIndex, newKey, serveFeed, tempDir, type Fault } from '../support/feeds';

const fx = loadFixtures();
const all = [...fx.originals.en, ...fx.originals.zh];
const bundledOriginals = all.slice(0, 8); // the "bundled" index every client starts with
const feedV1 = all.slice(8, 40);
const feedAdded = all.slice(40);
const reg = loadRegistry();
const NOW = Date.parse('2026-11-25T12:00:00Z');
const at = (h: number) => new Date(Date.parse('2026-11-25T00:00:00Z') + h * 3600_000).toISOString();

let key: string;
let pub: string;
let otherPub: string;
/** The address folder syncs subscribe at, and the one server that serves every HTTP test (its address is in every manifest). */
const FOLDER_URL = 'http://127.0.0.1/manifest.json';
let URLS: string[];
let server: Awaited<ReturnType<typeof serveFeed>>;
let serving: { dir: string; fault?: Fault } = { dir: '' };
/** Serves `dir` (with `fault`) at the shared server's address. */
function serve(dir: string, fault?: Fault) {
  serving = { dir, fault };
  server.hits.clear();
  return { url: server.url, hits: server.hits, close: async () => undefined };
}
let dirV1: string; // version 1
let dirV2: string; // version 2 with delta 1→2
let dirV3: string; // version 3 listing only the delta 2→3

beforeAll(async () => {
  server = await serveFeed(() => serving.dir, () => serving.fault);
  URLS = [FOLDER_URL, 'https://f.example/manifest.json', server.url];
  ({ key, pub } = await newKey());
  otherPub = (await newKey()).pub;
  dirV1 = await tempDir();
  await buildFeed(dirV1, buildIndex(feedV1), key, { urls: URLS, feed: 'demo', created: at(0), shardOriginals: 12 });
  dirV2 = await tempDir();
  await buildDelta(dirV1, dirV2, feedAdded.slice(0, 4), [feedV1[0]!.id], key, { urls: URLS, feed: 'demo', created: at(1), shardOriginals: 12 });
  dirV3 = await tempDir();
  await buildDelta(dirV2, dirV3, feedAdded.slice(4), [], key, { urls: URLS, feed: 'demo', created: at(2), shardOriginals: 12, keepDeltas: 1 });
});

afterAll(() => server.close());

let n = 0;
let db: IndexDb;
let reports: ReportsDb;
const sub = (url = FOLDER_URL, publicKey = pub) => ({ url, publicKey });
const deps = (extra: Partial<Parameters<typeof syncFeed>[0]> = {}) => ({ db, now: () => NOW, batch: 400, ...extra });

async function foundId(d: IndexDb, text: string) {
  const reader = (await DexieIndexReader.open(d))!;
  return (await scanPage({ text: stripSourceTag(text) }, reader, reg)).finding?.candidate.original.id;
}

/** A client with the bundled index and feed version 1 installed, and one saved report. */
beforeEach(async () => {
  n++;
  db = new IndexDb(`faults-${n}`);
  await importIndex(db, buildIndex(bundledOriginals), { feed: 'bundled' });
  await syncFeed(deps(), folderSource(dirV1), sub());
  reports = new ReportsDb(`faults-reports-${n}`);
  await reports.reports.add({
    uid: 'report-1', createdAt: at(0), url: 'https://example.net/a', title: 'A', platform: 'news', verdict: 'uncredited', outlet: 'xinhua',
    originalId: 'x', originalUrl: 'https://english.news.cn/x', score: 0.9, passages: [], category: 'uncredited', note: 'kept', status: 'local',
  });
});

/** The last good index answers, nothing is left half-written, and the report is as it was. */
async function expectIntact(version = 1) {
  const active = (await db.active())!;
  expect(active.sources.demo?.version).toBe(version);
  expect(await foundId(db, bundledOriginals[1]!.text)).toBe(bundledOriginals[1]!.id);
  expect(await foundId(db, feedV1[3]!.text)).toBe(feedV1[3]!.id);
  expect(await stagingGenerations(db)).toEqual([]);
  expect(await db.jobs.count()).toBe(0);
  const rows = await reports.reports.toArray();
  expect(rows.map((r) => r.note)).toEqual(['kept']);
}

afterEach(() => {
  db.close();
  reports.close();
});

async function expectFeedError(p: Promise<unknown>, code: string, words?: RegExp): Promise<FeedError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(FeedError);
  expect((e as FeedError).code).toBe(code);
  if (words) expect((e as FeedError).message).toMatch(words);
  return e as FeedError;
}

/** Serves `dir` with `fault` and syncs from it over HTTP. */
async function syncOverHttp(dir: string, fault?: Fault, options: { timeoutMs?: number; publicKey?: string } = {}) {
  const at = serve(dir, fault);
  return syncFeed(deps(), httpSource(at.url, { timeoutMs: options.timeoutMs ?? 10_000 }), sub(at.url, options.publicKey));
}

const isShard = (p: string) => p.startsWith('shards/');

/** Re-signs a feed folder's manifest after `edit` (the publisher's key: a validly signed but bad feed). */
async function resign(dir: string, edit: (m: Manifest) => void) {
  const m = parseManifest(new Uint8Array(await readFile(join(dir, MANIFEST_FILE))));
  edit(m);
  await writeManifest(dir, m, key);
}

describe('sync faults', () => {
  it('1. worker killed mid-import, then restarted: the import resumes from its checkpoint and completes', async () => {
    // How many batches a clean import of this feed takes.
    const clean = new IndexDb(`faults-clean-${n}`);
    let cleanPauses = 0;
    await syncFeed({ db: clean, now: () => NOW, batch: 20, pause: async () => void cleanPauses++ }, folderSource(dirV3), sub());
    const killAt = Math.floor(cleanPauses / 2);
    expect(killAt).toBeGreaterThan(3);
    let pauses = 0;
    // The "worker" stops answering half-way: nothing after that runs, as when it is killed.
    const dead = syncFeed(deps({ batch: 20, pause: () => (++pauses > killAt ? new Promise<void>(() => undefined) : Promise.resolve()) }), folderSource(dirV3), sub());
    void dead;
    await new Promise((r) => setTimeout(r, 50));
    while (pauses <= killAt) await new Promise((r) => setTimeout(r, 20));
    // A new worker: a new connection to the same database.
    const db2 = new IndexDb(db.name);
    const job = await db2.jobs.get('demo');
    expect(job?.steps[0]!.progress.bucket).toBeGreaterThan(0);
    expect((await db2.active())!.sources.demo!.version).toBe(1); // still the last good index meanwhile
    expect(await foundId(db2, feedV1[3]!.text)).toBe(feedV1[3]!.id);
    let resumedPauses = 0;
    const out = await syncFeed({ db: db2, now: () => NOW, batch: 20, pause: async () => void resumedPauses++ }, folderSource(dirV3), sub());
    expect(out).toMatchObject({ status: 'installed', version: 3, kind: 'full', resumed: true });
    // The resumed import did only the rest.
    expect(resumedPauses).toBeLessThan(cleanPauses - killAt / 2);
    expect((await db2.active())!.originals).toBe((await clean.active())!.originals + bundledOriginals.length);
    expect(await foundId(db2, feedAdded.at(-1)!.text)).toBe(feedAdded.at(-1)!.id);
    expect(await stagingGenerations(db2)).toEqual([]);
    expect(await reports.reports.count()).toBe(1);
    db2.close();
    clean.close();
  });

  it('2a. shard with a wrong hash is refused', async () => {
    const flip: Fault = (p, body) => (isShard(p) ? { body: Buffer.from(body.map((b, i) => (i === 100 ? b ^ 1 : b))) } : undefined);
    await expectFeedError(syncOverHttp(dirV2, flip), 'hash', /SHA-256/);
    await expectIntact();
  });
  it('2b. truncated shard is refused', async () => {
    const cut: Fault = (p, body) => (isShard(p) ? { body: body.subarray(0, body.length - 10) } : undefined);
    await expectFeedError(syncOverHttp(dirV2, cut), 'size', /truncated/);
    await expectIntact();
  });
  it('2c. shard longer than declared ("endless data") is cut off', async () => {
    const endless: Fault = (p) => (isShard(p) ? { endless: true } : undefined);
    await expectFeedError(syncOverHttp(dirV2, endless), 'too-large');
    await expectIntact();
  });

  it('3. bad, missing or unknown-key signature', async () => {
    const bad: Fault = (p, body) => (p === SIGNATURE_FILE ? { body: Buffer.from(body.toString().replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))) } : undefined);
    await expectFeedError(syncOverHttp(dirV2, bad), 'signature');
    const missing: Fault = (p) => (p === SIGNATURE_FILE ? { status: 404 } : undefined);
    await expectFeedError(syncOverHttp(dirV2, missing), 'signature', /no signature/);
    await expectFeedError(syncOverHttp(dirV2, undefined, { publicKey: otherPub }), 'signature', /not signed by this feed/);
    // A manifest changed after signing.
    const altered: Fault = (p, body) => (p === MANIFEST_FILE ? { body: Buffer.from(body.toString().replace('"version": 2', '"version": 9')) } : undefined);
    await expectFeedError(syncOverHttp(dirV2, altered), 'signature');
    await expectIntact();
  });

  it('4. an older version (rollback) or a replayed manifest is refused', async () => {
    await syncFeed(deps(), folderSource(dirV2), sub());
    await expectFeedError(syncFeed(deps(), folderSource(dirV1), sub()), 'rollback', /older than version 2/);
    // The same manifest again is simply up to date …
    expect((await syncFeed(deps(), folderSource(dirV2), sub())).status).toBe('up-to-date');
    // … but another manifest claiming the installed version is refused.
    const other = await tempDir();
    await cp(dirV2, other, { recursive: true });
    await resign(other, (m) => (m.expires = at(500)));
    await expectFeedError(syncFeed(deps(), folderSource(other), sub()), 'replay');
    expect((await db.active())!.sources.demo!.version).toBe(2);
    expect(await reports.reports.count()).toBe(1);
  });

  it('5. an expired manifest (freeze) and one dated in the future are refused; the index stays', async () => {
    const expired = await tempDir();
    await cp(dirV2, expired, { recursive: true });
    await resign(expired, (m) => {
      m.created = at(-100);
      m.expires = at(-1);
    });
    await expectFeedError(syncFeed(deps(), folderSource(expired), sub()), 'expired', /expired/);
    await expectFeedError(syncFeed(deps({ now: () => Date.parse(at(-48)) }), folderSource(dirV2), sub()), 'future', /future/);
    await expectIntact();
    // Once the installed version's own expiry passes, the status says it is out of date (and lookups still use it).
    const status: Record<string, FeedStatus> = { 'https://f.example/manifest.json': { url: 'https://f.example/manifest.json', feed: 'demo', version: 1, failures: 0 } };
    const subs = [{ url: 'https://f.example/manifest.json', publicKey: pub, addedAt: at(0) }];
    expect((await scheduler(fakeAlarms(), status, subs, () => folderSource(dirV1)).status())[0]!.stale).toBe(false);
    expect((await scheduler(fakeAlarms(), status, subs, () => folderSource(dirV1), Date.parse(at(24 * 31))).status())[0]!.stale).toBe(true);
    expect(await foundId(db, feedV1[3]!.text)).toBe(feedV1[3]!.id);
  });

  it('6. a slow server (trickle) hits the time limit', async () => {
    const slow: Fault = (p) => (p === MANIFEST_FILE ? { trickleMs: 50 } : undefined);
    await expectFeedError(syncOverHttp(dirV2, slow, { timeoutMs: 400 }), 'timeout', /within/);
    await expectIntact();
  });

  it('7. HTTP 404, 429 and 500: backoff with jitter, honouring Retry-After', async () => {
    await expectFeedError(syncOverHttp(dirV2, (p) => (p === MANIFEST_FILE ? { status: 404 } : undefined)), 'http', /404/);
    const e429 = await expectFeedError(syncOverHttp(dirV2, (p) => (p === MANIFEST_FILE ? { status: 429, headers: { 'retry-after': '120' } } : undefined)), 'http', /429/);
    expect(e429.retryAfter).toBe(120);
    await expectFeedError(syncOverHttp(dirV2, (p) => (isShard(p) ? { status: 500 } : undefined)), 'http', /500/);
    // Network trouble keeps the job for the next attempt (nothing was written for it yet here).
    expect((await db.active())!.sources.demo!.version).toBe(1);
    // Backoff: doubles per failure, jitter in [0.5, 1.5), capped, never sooner than Retry-After.
    expect(backoffDelay(1, undefined, () => 0.5)).toBe(60_000);
    expect(backoffDelay(3, undefined, () => 0.5)).toBe(240_000);
    expect(backoffDelay(30, undefined, () => 0.5)).toBe(6 * 3600_000);
    expect(backoffDelay(1, undefined, () => 0)).toBe(30_000);
    expect(backoffDelay(1, 600, () => 0.5)).toBe(600_000);
    // The scheduler records it and sets the retry alarm.
    const server = serve(dirV2, (p) => (p === MANIFEST_FILE ? { status: 429, headers: { 'retry-after': '900' } } : undefined));
    const alarms = fakeAlarms();
    const status: Record<string, FeedStatus> = {};
    const s = scheduler(alarms, status, [{ url: server.url, publicKey: pub, addedAt: at(0) }], (x) => httpSource(x.url));
    await s.syncAll(true);
    await server.close();
    const st = status[server.url]!;
    expect(st.failures).toBe(1);
    expect(st.lastError).toMatch(/429/);
    expect(Date.parse(st.nextAttempt!) - NOW).toBeGreaterThanOrEqual(900_000);
    expect(alarms.map.get(RETRY_ALARM)?.when).toBe(Date.parse(st.nextAttempt!));
    await s.syncAll(false); // not due yet: no request
    expect(status[server.url]!.failures).toBe(1);
    // The last good index answered throughout; the next good attempt resumes the kept job and completes.
    expect(await foundId(db, feedV1[3]!.text)).toBe(feedV1[3]!.id);
    expect(await db.jobs.count()).toBe(1);
    expect(await syncFeed(deps(), folderSource(dirV2), sub())).toMatchObject({ status: 'installed', version: 2, resumed: true });
    expect(await stagingGenerations(db)).toEqual([]);
    expect(await reports.reports.count()).toBe(1);
  });

  it('8. an http:// feed on a non-loopback host is refused with a clear message', async () => {
    expect(() => httpSource('http://feeds.example.org/manifest.json')).toThrow(/plain http is refused for feeds.example.org/);
    expect(() => httpSource('ftp://127.0.0.1/manifest.json')).toThrow(FeedError);
    const alarms = fakeAlarms();
    const status: Record<string, FeedStatus> = {};
    await scheduler(alarms, status, [{ url: 'http://feeds.example.org/manifest.json', publicKey: pub, addedAt: at(0) }], (x) => httpSource(x.url)).syncAll(true);
    expect(status['http://feeds.example.org/manifest.json']!.errorCode).toBe('insecure');
    await expectIntact();
  });

  it('9. storage quota exceeded during import', async () => {
    const put = db.buckets.bulkPut.bind(db.buckets);
    let calls = 0;
    db.buckets.bulkPut = ((rows: never) => {
      if (++calls > 2) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      return put(rows);
    }) as typeof db.buckets.bulkPut;
    await expectFeedError(syncFeed(deps({ batch: 100 }), folderSource(dirV3), sub()), 'quota', /storage space/);
    db.buckets.bulkPut = put as typeof db.buckets.bulkPut;
    await expectIntact();
  });

  it('10. one malformed record aborts the whole shard', async () => {
    const bad = await tempDir();
    await cp(dirV2, bad, { recursive: true });
    const m = parseManifest(new Uint8Array(await readFile(join(bad, MANIFEST_FILE))));
    const ref = m.deltas.at(-1)!.shards[0]!;
    const raw = gunzipSync(await readFile(join(bad, ref.path)));
    const text = raw.toString('latin1');
    const i = text.indexOf('"title"', text.indexOf('"title"') + 1); // the second original's title
    raw.write('"titel"', i, 'latin1');
    const gz = gzipSync(raw);
    const hash = createHash('sha256').update(gz).digest('hex');
    await writeFile(join(bad, `shards/${hash}.gz`), gz);
    await resign(bad, (x) => {
      x.deltas.at(-1)!.shards[0] = { ...ref, path: `shards/${hash}.gz`, sha256: hash, bytes: gz.length };
    });
    await expectFeedError(syncFeed(deps(), folderSource(bad), sub()), 'record', /line 2: field title missing; the whole shard is refused/);
    await expectIntact();
  });

  it('11. a delta that does not chain from the installed version leads to a full sync', async () => {
    const out = await syncFeed(deps(), folderSource(dirV3), sub());
    expect(out).toMatchObject({ status: 'installed', version: 3, kind: 'full' });
    expect((await db.active())!.segments.filter((s) => s.feed === 'demo').length).toBe(1);
    expect(await foundId(db, feedAdded.at(-1)!.text)).toBe(feedAdded.at(-1)!.id);
    expect(await foundId(db, feedV1[0]!.text)).toBeUndefined(); // removed in version 2
    expect(await reports.reports.count()).toBe(1);
  });

  it('12. database deleted or corrupted: rebuilt from the bundled index, then resynced; reports survive', async () => {
    const bundled = buildIndex(bundledOriginals);
    await db.state.put({ key: 'active', segments: 'garbage' } as never);
    const opened = await openOrRebuild(db, (d) => importIndex(d, bundled, { feed: 'bundled' }));
    expect(opened.rebuilt).toBe(true);
    db = opened.db;
    expect(Object.keys((await db.active())!.sources)).toEqual(['bundled']);
    expect(await foundId(db, bundledOriginals[1]!.text)).toBe(bundledOriginals[1]!.id);
    expect(await syncFeed(deps(), folderSource(dirV2), sub())).toMatchObject({ kind: 'full' });
    expect(await foundId(db, feedAdded[1]!.text)).toBe(feedAdded[1]!.id);
    // Deleted outright: the next open imports the bundled index again.
    db.close();
    await Dexie.delete(db.name);
    const again = await openOrRebuild(new IndexDb(db.name), (d) => importIndex(d, bundled, { feed: 'bundled' }));
    db = again.db;
    expect(await foundId(db, bundledOriginals[2]!.text)).toBe(bundledOriginals[2]!.id);
    expect((await reports.reports.toArray()).map((r) => r.note)).toEqual(['kept']);
  });

  it('13. hostile strings in a feed are shown inert and truncated', async () => {
    const hostile = await tempDir();
    const b = new IndexBuilder({ created: '' });
    const victim = feedAdded[2]!;
    const title = '<img src=x onerror=alert(1)><script>alert(2)</script>\u202Egnp.exe ' + 'x'.repeat(10_000);
    b.add({ ...victim, id: 'hostile-1', title, url: 'javascript:alert(3)', outlet: '<b>outlet</b>\u202E' });
    await buildFeed(hostile, b.finish(), key, { urls: URLS, feed: 'hostile', created: at(0) });
    await syncFeed(deps(), folderSource(hostile), sub());
    const reader = (await DexieIndexReader.open(db))!;
    const v = await scanPage({ text: stripSourceTag(victim.text) }, reader, reg);
    expect(v.finding!.candidate.original.id).toBe('hostile-1');
    const info = toBadgeInfo(v, victim.text, reg);
    expect(info.original!.title.length).toBeLessThanOrEqual(300);
    expect(info.original!.title).not.toContain('\u202E');
    expect(info.original!.title.startsWith('<img src=x')).toBe(true); // kept as text, rendered as text
    expect(safeLink(info.original!.url)).toBeUndefined(); // javascript: never becomes a link (the badge and popup link through safeLink)
    expect(info.outlet!.id).not.toContain('\u202E');
    await expectIntact();
  });

  it('14. two syncs started at once: one runs, both get its result, the index is consistent', async () => {
    const server = serve(dirV2);
    const status: Record<string, FeedStatus> = {};
    const s = scheduler(fakeAlarms(), status, [{ url: server.url, publicKey: pub, addedAt: at(0) }], (x) => httpSource(x.url));
    const [a, b] = await Promise.all([s.syncAll(true), s.syncAll(true)]);
    expect(a).toBe(b);
    expect(server.hits.get(MANIFEST_FILE)).toBe(1);
    // Even two raw syncs racing on one database leave one consistent index.
    const results = await Promise.allSettled([
      syncFeed(deps(), httpSource(server.url), sub(server.url)),
      syncFeed(deps(), folderSource(dirV3), sub()),
    ]);
    await server.close();
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const active = (await db.active())!;
    // Whichever won, the index holds exactly that version's originals once.
    const version = active.sources.demo!.version;
    expect([2, 3]).toContain(version);
    const demo = active.segments.filter((x) => x.feed === 'demo').reduce((n, x) => n + x.header.originals - x.removed.length, 0);
    expect(demo).toBe(version === 2 ? feedV1.length - 1 + 4 : feedV1.length - 1 + feedAdded.length);
    expect(active.originals).toBe(demo + bundledOriginals.length);
    expect(await stagingGenerations(db)).toEqual([]);
    expect(await foundId(db, feedAdded[1]!.text)).toBe(feedAdded[1]!.id);
    expect(await reports.reports.count()).toBe(1);
  });

  it('15. alarms lost after a restart are re-created', async () => {
    const alarms = fakeAlarms();
    const status: Record<string, FeedStatus> = { 'https://f.example/manifest.json': { url: 'https://f.example/manifest.json', failures: 2, nextAttempt: at(13) } };
    const s = scheduler(alarms, status, [{ url: 'https://f.example/manifest.json', publicKey: pub, addedAt: at(0) }], () => folderSource(dirV2));
    await s.ensureAlarms();
    expect(alarms.map.get(SYNC_ALARM)?.periodInMinutes).toBe(360);
    expect(alarms.map.get(RETRY_ALARM)?.when).toBe(Date.parse(at(13)));
    // Present alarms are left as they are.
    alarms.map.set(SYNC_ALARM, { periodInMinutes: 360, when: 42 });
    await s.ensureAlarms();
    expect(alarms.map.get(SYNC_ALARM)?.when).toBe(42);
    await expectIntact();
  });
});

/** What the background answers a page with at time `now` (lapsed feeds counted, lib/feed/lapse.ts). */
async function verdictAt(d: IndexDb, text: string, now: number) {
  const reader = (await DexieIndexReader.open(d))!;
  return scanCountingLapses({ text: stripSourceTag(text), url: 'https://copy.example/page' }, reader, reg, DEFAULT_THRESHOLDS, now);
}

/** A copy of a feed folder whose manifest is edited and re-signed with `signer` (a validly signed, hostile manifest). */
async function hostileCopy(dir: string, signer: string, edit: (m: Manifest) => void) {
  const out = await tempDir();
  await cp(dir, out, { recursive: true });
  const m = parseManifest(new Uint8Array(await readFile(join(out, MANIFEST_FILE))));
  edit(m);
  await writeManifest(out, m, signer);
  return out;
}

describe('hostile feeds (issue 11)', () => {
  it('fast-forward: a manifest with version 2^53−1 is refused, and one near the bound cannot lock the publisher out', async () => {
    const huge = await hostileCopy(dirV2, key, (m) => {
      m.version = Number.MAX_SAFE_INTEGER;
      m.full.version = Number.MAX_SAFE_INTEGER;
    });
    await expectFeedError(syncFeed(deps(), folderSource(huge), sub()), 'fast-forward', /version 9007199254740991 is higher than a manifest created .* may carry \(at most \d+: 1000 versions a day since 2026-01-01\)/);
    // The publisher's tool refuses to sign it in the first place, and says what it may publish.
    const tooHigh = await tempDir();
    await expect(buildFeed(tooHigh, buildIndex(feedV1), key, { urls: URLS, feed: 'demo', version: Number.MAX_SAFE_INTEGER, created: at(3) })).rejects.toThrow(
      /at most \d+ \(1,000 versions a day since 2026-01-01; subscribers refuse more.*publish version \d+ or lower now$/,
    );
    await expectIntact();
    // The worst a holder of the key can do: the highest version the clock allows, dated up to 10 minutes ahead …
    const ahead = new Date(NOW + 9 * 60_000).toISOString();
    const thief = await tempDir();
    await buildFeed(thief, buildIndex(feedV1.slice(0, 5)), key, { urls: URLS, feed: 'demo', version: maxVersionAt(ahead), created: ahead });
    expect(await syncFeed(deps(), folderSource(thief), sub())).toMatchObject({ status: 'installed', version: maxVersionAt(ahead) });
    // … and the publisher's next version, a quarter of an hour later, passes it again.
    const later = new Date(NOW + 15 * 60_000).toISOString();
    const next = await tempDir();
    await buildFeed(next, buildIndex(feedV1), key, { urls: URLS, feed: 'demo', version: maxVersionAt(later), created: later });
    expect(await syncFeed(deps({ now: () => Date.parse(later) }), folderSource(next), sub())).toMatchObject({ status: 'installed', version: maxVersionAt(later) });
    expect(await foundId(db, feedV1[3]!.text)).toBe(feedV1[3]!.id);
    expect(await reports.reports.count()).toBe(1);
  });

  it('expiry cap: a manifest valid for more than 60 days is refused; the publisher cannot make one', async () => {
    const long = await hostileCopy(dirV2, key, (m) => (m.expires = new Date(Date.parse(m.created) + 61 * 86_400_000).toISOString()));
    await expectFeedError(syncFeed(deps(), folderSource(long), sub()), 'lifetime', /valid for 61 days .* at most 60 days/);
    await expect(buildFeed(await tempDir(), buildIndex(feedV1), key, { urls: URLS, feed: 'demo', created: at(3), expiresDays: 90 })).rejects.toThrow(/--expires-days 90 is more than 60/);
    await expectIntact();
  });

  it('wrong address: a feed copied to another address is refused there', async () => {
    await expectFeedError(syncFeed(deps(), folderSource(dirV2), sub('https://mirror.example/feeds/manifest.json')), 'address', /published at .*, not at https:\/\/mirror\.example\/feeds\/manifest\.json where you subscribed/);
    // Over HTTP: the same files served at an address the manifest does not name.
    const elsewhere = await tempDir();
    await buildFeed(elsewhere, buildIndex(feedAdded), key, { urls: ['https://feeds.example.org/manifest.json'], feed: 'demo', version: 2, created: at(3) });
    await expectFeedError(syncOverHttp(elsewhere), 'address', /not at http:\/\/127\.0\.0\.1:\d+\/manifest\.json/);
    // Format 1 (no signed address) is refused with the reason.
    const v1 = await hostileCopy(dirV2, key, (m) => {
      m.formatVersion = 1;
      delete (m as Partial<Manifest>).keys;
    });
    await expectFeedError(syncFeed(deps(), folderSource(v1), sub()), 'format', /format version 1 is no longer accepted/);
    await expectIntact();
  });

  it('key rotation: the client follows a cross-signed rotation and refuses the old key from then on', async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const dir = await tempDir();
    await buildFeed(dir, buildIndex(feedAdded.slice(0, 3)), oldKey.key, { urls: URLS, feed: 'rot', created: at(0) });
    await syncFeed(deps(), folderSource(dir), sub(undefined, oldKey.pub));
    // Before the rotation is published, a manifest signed by the new key alone is refused.
    const early = await tempDir();
    await buildFeed(early, buildIndex(feedAdded.slice(0, 4)), newer.key, { urls: URLS, feed: 'rot', version: 5, created: at(1) });
    await expectFeedError(syncFeed(deps(), folderSource(early), sub(undefined, oldKey.pub)), 'signature', /not signed by this feed/);
    // The publisher hands over: old and new key sign the rotation, the next version is signed by the new key.
    await rotateKey(dir, newer.key, { oldKeyFile: oldKey.key, created: at(2) });
    await expect(buildDelta(dir, dir, [], [], oldKey.key, { feed: 'rot', created: at(2) })).rejects.toThrow(/old key, replaced on/);
    await buildDelta(dir, dir, [feedAdded[3]!], [], newer.key, { feed: 'rot', created: at(2) });
    const out = await syncFeed(deps(), folderSource(dir), sub(undefined, oldKey.pub));
    expect(out).toMatchObject({ status: 'installed', version: 2, publicKey: newer.pub });
    expect(out.rotated.map((r) => r.key)).toEqual([oldKey.pub]);
    const rec = (await db.active())!.sources.rot!;
    expect(rec.publicKey).toBe(newer.pub);
    expect(rec.retiredKeys?.map((r) => [r.key, r.why])).toEqual([[oldKey.pub, 'rotated']]);
    // A manifest signed with the old key (its thief, say) is refused, even with a higher version.
    const stolen = await tempDir();
    await buildFeed(stolen, buildIndex(all.slice(0, 2)), oldKey.key, { urls: URLS, feed: 'rot', version: 9, created: at(3) });
    await expectFeedError(syncFeed(deps(), folderSource(stolen), sub(undefined, oldKey.pub)), 'revoked', /signed with the key ed25519:.*which the publisher replaced with .* on 2026-11-25: refused/);
    expect((await db.active())!.sources.rot!.version).toBe(2);
    expect(await foundId(db, feedAdded[3]!.text)).toBe(feedAdded[3]!.id);
    // verify follows the chain from the key subscribers have.
    expect((await verifyFeed(dir, oldKey.pub, NOW)).checked[0]).toMatch(/^key ed25519:.* rotated to ed25519:.* on 2026-11-25$/);
    await expectIntact();
  });

  it('key rotation: a rotation signed by only one of the keys is refused', async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const dir = await tempDir();
    await buildFeed(dir, buildIndex(feedAdded.slice(0, 3)), oldKey.key, { urls: URLS, feed: 'rot1', created: at(0) });
    await syncFeed(deps(), folderSource(dir), sub(undefined, oldKey.pub));
    for (const signers of [[oldKey.key], [newer.key]]) {
      const st = await signStatement({ type: 'rotate', feed: 'rot1', from: oldKey.pub, to: newer.pub, created: at(1) }, signers);
      const bad = await hostileCopy(dir, newer.key, (m) => {
        m.version = 2;
        m.full.version = 2;
        m.keys = { signer: newer.pub, statements: [st] };
      });
      await expectFeedError(syncFeed(deps(), folderSource(bad), sub(undefined, oldKey.pub)), 'signature', /is not signed by both keys/);
    }
    expect((await db.active())!.sources.rot1!.publicKey).toBe(oldKey.pub);
    await expectIntact();
  });

  it('pre-rotation: with a committed next key, a thief of the current key can neither rotate it nor change the commitment; the next key can', async () => {
    const k1 = await newKey();
    const k2 = await newKey(); // kept offline by the publisher
    const thief = await newKey();
    const dir = await tempDir();
    await buildFeed(dir, buildIndex(feedAdded.slice(0, 3)), k1.key, { urls: URLS, feed: 'pre', created: at(0), nextKey: k2.pub });
    await syncFeed(deps(), folderSource(dir), sub(undefined, k1.pub));
    expect((await db.active())!.sources.pre!.nextKey).toMatch(/^[0-9a-f]{64}$/);
    // The thief (holding k1) rotates to a key of their own, signed by both: refused.
    const st = await signStatement({ type: 'rotate', feed: 'pre', from: k1.pub, to: thief.pub, created: at(1) }, [k1.key, thief.key]);
    const rotated = await hostileCopy(dir, thief.key, (m) => {
      m.version = 2;
      m.full.version = 2;
      m.keys = { signer: thief.pub, statements: [st] };
    });
    await expectFeedError(syncFeed(deps(), folderSource(rotated), sub(undefined, k1.pub)), 'signature', /not the next key the feed committed to/);
    // The thief signs with k1 a manifest that commits to their key instead: refused.
    const recommit = await hostileCopy(dir, k1.key, (m) => {
      m.version = 2;
      m.full.version = 2;
      m.keys = { signer: k1.pub, next: 'a'.repeat(64), statements: [] };
    });
    await expectFeedError(syncFeed(deps(), folderSource(recommit), sub(undefined, k1.pub)), 'signature', /changes the next key the feed committed to/);
    // The publisher rotates with the offline key alone (k1 may be lost or stolen).
    await rotateKey(dir, k2.key, { created: at(2) });
    await buildDelta(dir, dir, [feedAdded[3]!], [], k2.key, { feed: 'pre', created: at(2) });
    expect(await syncFeed(deps(), folderSource(dir), sub(undefined, k1.pub))).toMatchObject({ status: 'installed', version: 2, publicKey: k2.pub });
    await expectIntact();
  });

  it('revoked key: refused from then on, shown in the status, and its originals stop making uncredited verdicts on their own', async () => {
    const k1 = await newKey();
    const dir = await tempDir();
    const only = feedAdded[5]!;
    await buildFeed(dir, buildIndex([only, feedAdded[6]!]), k1.key, { urls: URLS, feed: 'rev', title: 'Revoked feed', created: at(0) });
    await syncFeed(deps(), folderSource(dir), sub(undefined, k1.pub));
    expect((await verdictAt(db, only.text, NOW)).verdict).toBe('uncredited');
    const copy = await tempDir();
    await cp(dir, copy, { recursive: true });
    // The publisher revokes the key (it signs its own revocation); the manifest, re-signed, carries it.
    await revokeKey(dir, k1.key, { reason: 'key stolen', created: at(3) });
    await expectFeedError(syncFeed(deps(), folderSource(dir), sub(undefined, k1.pub)), 'revoked', /revoked this feed's key .* on 2026-11-25 \(“key stolen”\): no update signed with it is accepted/);
    const rec = (await db.active())!.sources.rev!;
    expect(rec.revoked).toMatchObject({ key: k1.pub, why: 'revoked', reason: 'key stolen' });
    // Whoever holds the key serves a manifest without the revocation: still refused.
    const later = await tempDir();
    await buildDelta(copy, later, [feedAdded[7]!], [], k1.key, { feed: 'rev', created: at(4) });
    await expectFeedError(syncFeed(deps(), folderSource(later), sub(undefined, k1.pub)), 'revoked');
    // The index stays, but the revoked feed's own original no longer makes a page an uncredited copy.
    const v = await verdictAt(db, only.text, NOW);
    expect(v.verdict).toBe('none');
    expect(v.setAside).toMatchObject({ feed: 'rev', title: 'Revoked feed', lapse: { why: 'revoked' } });
    expect(v.setAside!.finding.candidate.original.id).toBe(only.id);
    expect((await verdictAt(db, bundledOriginals[2]!.text, NOW)).verdict).toBe('uncredited');
    expect((await verdictAt(db, feedV1[3]!.text, NOW)).verdict).toBe('uncredited');
    // The scheduler's status shows it (the popup and the options say so loudly).
    const status: Record<string, FeedStatus> = { [FOLDER_URL]: { url: FOLDER_URL, feed: 'rev', version: 1, failures: 0 } };
    const [st] = await scheduler(fakeAlarms(), status, [{ url: FOLDER_URL, publicKey: k1.pub, addedAt: at(0) }], () => folderSource(dir)).status();
    expect(st!.revoked).toMatchObject({ reason: 'key stolen' });
    expect(st!.lapsed).toMatchObject({ why: 'revoked' });
    await expectIntact();
  });

  it('expired feed past the grace period: shown as lapsed, its originals make no uncredited verdict on their own', async () => {
    // "lapsing" carries one original of its own and one identical to a bundled original.
    const dir = await tempDir();
    const own = feedAdded[4]!;
    const shared = bundledOriginals[6]!;
    await buildFeed(dir, buildIndex([own, shared]), key, { urls: URLS, feed: 'lapsing', created: at(0), expiresDays: 30 });
    await syncFeed(deps(), folderSource(dir), sub());
    const expires = Date.parse((await db.active())!.sources.lapsing!.expires!);
    const status: Record<string, FeedStatus> = { [FOLDER_URL]: { url: FOLDER_URL, feed: 'lapsing', version: 1, failures: 0 } };
    const subs = [{ url: FOLDER_URL, publicKey: pub, addedAt: at(0) }];
    // Expired, within the 7-day grace: stale, still counted in full.
    const within = expires + 6 * 86_400_000;
    expect((await verdictAt(db, own.text, within)).verdict).toBe('uncredited');
    const [st1] = await scheduler(fakeAlarms(), status, subs, () => folderSource(dir), within).status();
    expect(st1!.stale).toBe(true);
    expect(st1!.lapsed).toBeUndefined();
    // Past the grace: lapsed. Its own original is set aside; the one the bundled index also holds still counts.
    const past = expires + 8 * 86_400_000;
    const v = await verdictAt(db, own.text, past);
    expect(v.verdict).toBe('none');
    expect(v.setAside).toMatchObject({ feed: 'lapsing', lapse: { why: 'expired' } });
    const w = await verdictAt(db, shared.text, past);
    expect(w.verdict).toBe('uncredited');
    expect(w.finding!.candidate.original.id).toBe(shared.id);
    const [st2] = await scheduler(fakeAlarms(), status, subs, () => folderSource(dir), past).status();
    expect(st2!.lapsed).toMatchObject({ why: 'expired', since: new Date(expires).toISOString() });
    // Lookups still find everything, and the reports are as they were.
    expect(await foundId(db, own.text)).toBe(own.id);
    await expectIntact();
  });
});

describe('feed ids that are names of Object.prototype', () => {
  it('constructor, toString, hasOwnProperty and valueOf install, update, report status and lapse like any id; __proto__ is refused', async () => {
    const ids = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const floors: Record<string, number> = {};
    const status: Record<string, FeedStatus> = {};
    const subs: FeedSubscription[] = ids.map((_, i) => ({ url: `https://f${i}.example/manifest.json`, publicKey: pub, addedAt: at(0) }));
    const v1 = new Map<string, string>();
    for (const [i, id] of ids.entries()) {
      const dir = await tempDir();
      await buildFeed(dir, buildIndex([feedAdded[i]!]), key, { urls: [subs[i]!.url], feed: id, created: at(0) });
      v1.set(subs[i]!.url, dir);
    }
    // Version 1 of each through the scheduler (floors, keys and status kept by these ids) …
    await scheduler(fakeAlarms(), status, subs, (x) => folderSource(v1.get(x.url)!), NOW, floors).syncAll(true);
    for (const [i, id] of ids.entries()) {
      const url = subs[i]!.url;
      expect(status[url]).toMatchObject({ feed: id, version: 1, failures: 0 });
      // … then a delta to version 2, then nothing new.
      const dir = await tempDir();
      await cp(v1.get(url)!, dir, { recursive: true });
      await buildDelta(dir, dir, [feedAdded[i + 4]!], [], key, { feed: id, created: at(1) });
      expect(await syncFeed(deps(), folderSource(dir), sub(url))).toMatchObject({ status: 'installed', kind: 'delta', version: 2 });
      expect((await syncFeed(deps(), folderSource(dir), sub(url))).status).toBe('up-to-date');
      expect(Object.hasOwn((await db.active())!.sources, id)).toBe(true);
      expect(await foundId(db, feedAdded[i + 4]!.text)).toBe(feedAdded[i + 4]!.id);
    }
    expect(floors).toMatchObject(Object.fromEntries(ids.map((id) => [`${id} ${pub}`, 1])));
    // Status of each, computed against the index state, and lapse by id.
    const listed = await scheduler(fakeAlarms(), status, subs, () => folderSource(dirV1), NOW, floors).status();
    expect(listed.map((x) => [x.feed, x.stale, x.lapsed])).toEqual(ids.map((id) => [id, false, undefined]));
    const far = Date.parse(at(24 * 60));
    expect((await verdictAt(db, feedAdded[0]!.text, far)).setAside?.feed).toBe('constructor');
    // A plain object's inherited names never stand in for a source that is not installed.
    const empty = { ...(await db.active())!, sources: {} };
    for (const id of [...ids, '__proto__']) expect(sourceOf(empty, id)).toBeUndefined();
    const odd = withSource({}, '__proto__', { id: '__proto__', version: 1, created: at(0), installedAt: at(0) });
    expect(Object.hasOwn(odd, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    const fresh = new IndexDb(`faults-proto-${n}`);
    const dir = await tempDir();
    await buildFeed(dir, buildIndex([feedAdded[3]!]), key, { urls: URLS, feed: 'toString', created: at(0) });
    expect(await syncFeed({ db: fresh, now: () => NOW }, folderSource(dir), sub())).toMatchObject({ status: 'installed', version: 1 });
    fresh.close();
    const proto = await tempDir();
    await expect(buildFeed(proto, buildIndex([feedAdded[3]!]), key, { urls: URLS, feed: '__proto__', created: at(0) })).rejects.toThrow(/feed id must be 1–64 letters/);
    await expectIntact();
  });
});

describe('feeds against the bundled index', () => {
  it('a feed that carries a bundled id with other text, address or outlet cannot switch the bundled original off', async () => {
    const [b1, b2, b3, b4] = [bundledOriginals[1]!, bundledOriginals[2]!, bundledOriginals[3]!, bundledOriginals[4]!];
    const dir = await tempDir();
    const built = buildIndex([
      { ...feedAdded[0]!, id: b1.id, outlet: b1.outlet, url: b1.url, title: b1.title }, // same id, url and outlet, other text
      { ...b2, url: 'https://elsewhere.example/copy' }, // same text, other address
      { ...b3, outlet: 'rt' }, // same text, other outlet
      b4, // the same original (hidden in the bundled index while the feed carries it)
    ]);
    // An original in a feed built before hashes existed never hides a bundled one, even with the same id.
    built.metas.push({ ...buildIndex([bundledOriginals[5]!]).metas[0]!, doc: 4, group: 4, sha: undefined });
    built.texts.push(undefined);
    (built.header as { originals: number }).originals = 5;
    await buildFeed(dir, built, key, { urls: URLS, feed: 'shadow', created: at(0) });
    await syncFeed(deps(), folderSource(dir), sub());
    const active = (await db.active())!;
    const hidden = active.segments.find((s) => s.feed === 'bundled')!.removed;
    expect(hidden).toHaveLength(1);
    expect(active.originals).toBe(bundledOriginals.length + feedV1.length + 5 - 1);
    // Every bundled original still answers for its own text …
    for (const o of [b1, b2, b3, bundledOriginals[5]!]) {
      const reader = (await DexieIndexReader.open(db))!;
      const v = await scanPage({ text: stripSourceTag(o.text) }, reader, reg);
      const own = v.findings.find((f) => f.candidate.original.id === o.id && f.candidate.original.url === o.url && f.candidate.original.outlet === o.outlet);
      expect(own, o.id).toBeDefined();
    }
    // … and the one the feed carries identically is found once.
    const reader = (await DexieIndexReader.open(db))!;
    const v = await scanPage({ text: stripSourceTag(b4.text) }, reader, reg);
    expect(v.findings.filter((f) => f.candidate.original.id === b4.id)).toHaveLength(1);
    await expectIntact();
  });
});

describe('feed identity, allocation and scheduling', () => {
  it('a feed id stays bound to the key that installed it; reserved ids are refused', async () => {
    const other = await newKey();
    const hostile = await tempDir();
    await buildFeed(hostile, buildIndex(all.slice(0, 3)), other.key, { urls: URLS, feed: 'demo', version: 1000, created: at(0) });
    await expectFeedError(syncFeed(deps(), folderSource(hostile), sub(undefined, other.pub)), 'signature', /installed from another publisher's key/);
    const bundled = await tempDir();
    await expect(buildFeed(bundled, buildIndex(all.slice(0, 3)), other.key, { urls: URLS, feed: 'bundled', created: at(0) }).then(() => syncFeed(deps(), folderSource(bundled), sub(undefined, other.pub)))).rejects.toThrow(/reserved/);
    await expectIntact();
  });

  it('reserves doc numbers only for checked segments, and never past 32 bits', async () => {
    const alloc = async () => ((await db.state.get('alloc')) as { nextDoc: number }).nextDoc;
    const before = await alloc();
    const flip: Fault = (p, body) => (isShard(p) ? { body: Buffer.from(body.map((b, i) => (i === 50 ? b ^ 1 : b))) } : undefined);
    await expectFeedError(syncOverHttp(dirV2, flip), 'hash');
    expect(await alloc()).toBe(before);
    await db.state.put({ key: 'alloc', nextGen: 100, nextDoc: 0xffffffff - 10, staging: [] } as never);
    await expect(importIndex(db, buildIndex(all.slice(0, 20)), { feed: 'bundled' })).rejects.toThrow(/used up its document numbers/);
    expect((await db.active())!.sources.bundled).toBeDefined();
  });

  it('a 404 on a shard is permanent: nothing is kept for a resume', async () => {
    await expectFeedError(syncOverHttp(dirV3, (p) => (isShard(p) ? { status: 404 } : undefined)), 'http', /404/);
    await expectIntact();
  });

  it('start-up resumes interrupted imports but respects backoff, and drops imports of feeds no longer subscribed', async () => {
    const server = serve(dirV2);
    const url = server.url;
    const status: Record<string, FeedStatus> = { [url]: { url, feed: 'demo', version: 1, failures: 2, nextAttempt: new Date(NOW + 3600_000).toISOString() } };
    await db.jobs.put({ feed: 'demo', manifestSha256: 'x', steps: [], startedAt: at(0) });
    await db.jobs.put({ feed: 'gone', manifestSha256: 'y', steps: [], startedAt: at(0) });
    await scheduler(fakeAlarms(), status, [{ url, publicKey: pub, addedAt: at(0) }], (x) => httpSource(x.url)).resumeInterrupted();
    expect(server.hits.get(MANIFEST_FILE) ?? 0).toBe(0); // in backoff: no request
    expect((await db.jobs.toArray()).map((j) => j.feed)).toEqual(['demo']);
    // Out of backoff: the start-up resumes it.
    status[url]!.failures = 0;
    await scheduler(fakeAlarms(), status, [{ url, publicKey: pub, addedAt: at(0) }], (x) => httpSource(x.url)).resumeInterrupted();
    await server.close();
    expect(server.hits.get(MANIFEST_FILE)).toBe(1);
    expect((await db.active())!.sources.demo!.version).toBe(2);
    expect(await db.jobs.count()).toBe(0);
  });

  it('start-up deletes the rows of an import a stopped worker left that no job resumes, and keeps this run’s own imports', async () => {
    const rowsOf = (gen: number) => db.buckets.where('[gen+bucket]').between([gen, Dexie.minKey], [gen, Dexie.maxKey]).count();
    const left = await allocate(db, 10);
    await writeSegment(db, left.gen, left.docBase, buildIndex(all.slice(0, 10)));
    const mine = await allocate(db, 10);
    await writeSegment(db, mine.gen, mine.docBase, buildIndex(all.slice(0, 10)));
    // The first was allocated by an earlier run (a worker since stopped).
    const alloc = (await db.state.get('alloc')) as Allocation;
    await db.state.put({ ...alloc, runs: { ...alloc.runs, [left.gen]: 'an-earlier-run' } });
    expect(await rowsOf(left.gen)).toBeGreaterThan(0);
    await scheduler(fakeAlarms(), {}, [], (x) => httpSource(x.url)).resumeInterrupted();
    expect(await rowsOf(left.gen)).toBe(0);
    expect(await stagingGenerations(db)).toEqual([mine.gen]);
    expect(await rowsOf(mine.gen)).toBeGreaterThan(0);
    await discardStaging(db, mine.gen);
    await expectIntact();
  });

  it('the periodic alarm syncs every period (a run that ended later does not push the next one out)', async () => {
    const server = serve(dirV1);
    const status: Record<string, FeedStatus> = {};
    const subs = [{ url: server.url, publicKey: pub, addedAt: at(0) }];
    await scheduler(fakeAlarms(), status, subs, (x) => httpSource(x.url)).syncAll(false);
    expect(status[server.url]!.nextAttempt).toBe(new Date(NOW + 360 * 60_000).toISOString());
    // The alarm fires a little before that time: the feed is still synced.
    await scheduler(fakeAlarms(), status, subs, (x) => httpSource(x.url), NOW + 359 * 60_000).syncAll(false);
    await server.close();
    expect(server.hits.get(MANIFEST_FILE)).toBe(2);
  });

  it('rollback protection survives a rebuilt database (the floor is kept outside it)', async () => {
    const floors: Record<string, number> = {};
    const status: Record<string, FeedStatus> = {};
    const subs = [{ url: 'https://f.example/manifest.json', publicKey: pub, addedAt: at(0) }];
    await scheduler(fakeAlarms(), status, subs, () => folderSource(dirV2), NOW, floors).syncAll(true);
    expect(floors[`demo ${pub}`]).toBe(2);
    db.close();
    await Dexie.delete(db.name);
    db = (await openOrRebuild(new IndexDb(db.name), (d) => importIndex(d, buildIndex(bundledOriginals), { feed: 'bundled' }))).db;
    await scheduler(fakeAlarms(), status, subs, () => folderSource(dirV1), NOW, floors).syncAll(true);
    expect(status[subs[0]!.url]!.errorCode).toBe('rollback');
    expect(Object.keys((await db.active())!.sources)).toEqual(['bundled']);
  });

  it('a feed cannot redefine an outlet the bundled registry describes', async () => {
    const hostileReg = { outlets: [{ ...reg.get('xinhua')!, domains: ['copycat.test'] }, { id: 'new-one', names: { en: 'New One' }, aliases: [], abbreviations: [], domains: ['new-one.test'], partners: [] }] };
    const merged = new OutletRegistry(mergeRegistries(reg.registry, [hostileReg as never]));
    expect(merged.get('xinhua')!.domains).toEqual(reg.get('xinhua')!.domains);
    expect(merged.get('new-one')!.domains).toEqual(['new-one.test']);
  });
});

function fakeAlarms() {
  const map = new Map<string, { when?: number; periodInMinutes?: number; delayInMinutes?: number }>();
  return {
    map,
    async get(name: string) {
      const a = map.get(name);
      return a ? { scheduledTime: a.when ?? 0, periodInMinutes: a.periodInMinutes } : undefined;
    },
    create(name: string, info: { when?: number; periodInMinutes?: number; delayInMinutes?: number }) {
      map.set(name, info);
    },
    clear(name: string) {
      map.delete(name);
    },
  };
}

function scheduler(
  alarms: ReturnType<typeof fakeAlarms>,
  status: Record<string, FeedStatus>,
  subs: FeedSubscription[],
  source: (s: FeedSubscription) => FeedSource,
  now = NOW,
  floors: Record<string, number> = {},
) {
  return new FeedScheduler({
    db: () => db,
    subscriptions: async () => subs,
    loadStatus: async () => status,
    saveStatus: async () => undefined,
    loadFloors: async () => floors,
    saveFloors: async (f) => void Object.assign(floors, f),
    alarms,
    source,
    now: () => now,
    random: () => 0.5,
  });
}

describe('storage left by a stopped worker', () => {
  it('rows of replaced generations that a crash did not delete are collected by the next sync', async () => {
    const old = (await db.active())!.segments.find((s) => s.feed === 'demo')!.gen;
    // A stopped worker: the switch to version 2 committed, the old rows not yet deleted.
    const realDelete = db.buckets.where.bind(db.buckets);
    let stop = true;
    db.buckets.where = ((index: string) => {
      if (stop) throw new Error('worker stopped');
      return realDelete(index as never);
    }) as typeof db.buckets.where;
    await expect(syncFeed(deps(), folderSource(dirV3), sub())).rejects.toThrow(/worker stopped/);
    stop = false;
    db.buckets.where = realDelete as typeof db.buckets.where;
    expect((await db.active())!.sources.demo!.version).toBe(3);
    expect(await db.buckets.where('[gen+bucket]').between([old, Dexie.minKey], [old, Dexie.maxKey]).count()).toBeGreaterThan(0);
    expect((await syncFeed(deps(), folderSource(dirV3), sub())).status).toBe('up-to-date'); // collects on the way
    expect(await db.buckets.where('[gen+bucket]').between([old, Dexie.minKey], [old, Dexie.maxKey]).count()).toBe(0);
    expect(await db.metaBlocks.where('[gen+block]').between([old, Dexie.minKey], [old, Dexie.maxKey]).count()).toBe(0);
  });
});
