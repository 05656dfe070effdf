/**
 * What a report made on a platform page carries (issue 12, section 4): the
 * account, the post time as shown, the figures as shown with when they were
 * read, and the unit's text — optional, validated, stored by both backends;
 * reports without them are valid and hash as before.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHash, validateReport, type ReportInput, type StoredReport } from '../../lib/report-server/schema';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import { openSqliteStore, sqlitePath } from '../../lib/report-server/store-sqlite';
import type { ReportStore } from '../../lib/report-server/store';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

const UNIT = {
  account: { name: '海湾时事速递', url: 'https://weibo.com/u/7301200456' },
  postedAt: { shown: '5-20 21:06', iso: '2026-05-20T21:06:00+08:00' },
  engagement: { reposts: { shown: '1.2万', value: 12000 }, comments: { shown: '3,402', value: 3402 }, likes: { shown: '5.6万' }, readAt: '2026-12-01T08:00:00.000Z' },
  unitText: '【外交部回应渔业合作磋商】外交部发言人表示，中方愿同维瑞迪亚方本着友好协商精神，继续推进相关对话。',
};
const withUnit = (i: number, over: Partial<ReportInput> = {}): ReportInput => ({ ...makeReport(i, { platform: 'weibo', url: `https://weibo.com/7301200456/P${i}` }), ...UNIT, ...over });

describe('validation of the platform fields', () => {
  it('a report without them is valid and hashes as before they existed', () => {
    const old = makeReport(1);
    const v = validateReport(JSON.parse(JSON.stringify(old)));
    expect(v).toEqual(old);
    const before = createHash('sha256')
      .update(JSON.stringify([old.url, old.title, old.platform, old.createdAt, old.category, old.note, old.verdict, old.outlet, old.originalId, old.originalUrl, old.score, old.passages]))
      .digest('hex');
    expect(reportHash(v as ReportInput)).toBe(before);
  });

  it('a report with them is valid; its hash covers them, whatever their key order', () => {
    const r = withUnit(2);
    const v = validateReport(JSON.parse(JSON.stringify(r))) as ReportInput;
    expect(v).toEqual(r);
    const shuffled = { ...r, engagement: { readAt: UNIT.engagement.readAt, likes: UNIT.engagement.likes, comments: UNIT.engagement.comments, reposts: UNIT.engagement.reposts }, account: { url: UNIT.account.url, name: UNIT.account.name } };
    expect(reportHash(validateReport(shuffled) as ReportInput)).toBe(reportHash(v));
    expect(reportHash(withUnit(2, { engagement: { ...UNIT.engagement, likes: { shown: '5.7万' } } }))).not.toBe(reportHash(v));
    expect(reportHash(withUnit(2, { unitText: undefined }))).not.toBe(reportHash(v));
    expect(reportHash(makeReport(2, { platform: 'weibo', url: r.url }))).not.toBe(reportHash(v));
  });

  it.each([
    ['account not an object', { account: 'someone' }, /^field account: must be an object$/],
    ['account without a name', { account: { url: 'https://weibo.com/u/1' } }, /^field account\.name: missing$/],
    ['an empty account name', { account: { name: '  ' } }, /^field account\.name: must not be empty$/],
    ['an account name over 200 characters', { account: { name: 'x'.repeat(201) } }, /^field account\.name: longer than 200/],
    ['a javascript: account address', { account: { name: 'a', url: 'javascript:alert(1)' } }, /^field account\.url: must be an http\(s\) address$/],
    ['an unknown account field', { account: { name: 'a', followers: 3 } }, /^field account\.followers: unknown field$/],
    ['a bidi override in the account name', { account: { name: 'a\u202eb' } }, /^field account\.name: contains a bidirectional control character/],
    ['a post time that is a number', { postedAt: { shown: 1767571200 } }, /^field postedAt\.shown: must be a string$/],
    ['a post time with a bad ISO date', { postedAt: { shown: '昨天', iso: 'yesterday' } }, /^field postedAt\.iso: must be an ISO 8601 date$/],
    ['a post time over 100 characters', { postedAt: { shown: '时'.repeat(101) } }, /^field postedAt\.shown: longer than 100/],
    ['figures without the time they were read', { engagement: { likes: { shown: '3' } } }, /^field engagement\.readAt: missing$/],
    ['a figure without its shown text', { engagement: { likes: { value: 3 }, readAt: '2026-12-01T08:00:00Z' } }, /^field engagement\.likes: shown: missing$/],
    ['a negative figure', { engagement: { likes: { shown: '3', value: -3 }, readAt: '2026-12-01T08:00:00Z' } }, /^field engagement\.likes: value: must be a whole number from 0$/],
    ['a fractional figure', { engagement: { views: { shown: '1.5', value: 1.5 }, readAt: '2026-12-01T08:00:00Z' } }, /^field engagement\.views: value: must be a whole number from 0$/],
    ['a shown figure over 40 characters', { engagement: { views: { shown: '9'.repeat(41) }, readAt: '2026-12-01T08:00:00Z' } }, /^field engagement\.views: shown: longer than 40/],
    ['an unknown figure', { engagement: { shares: { shown: '3' }, readAt: '2026-12-01T08:00:00Z' } }, /^field engagement\.shares: unknown field$/],
    ['unit text over 20000 characters', { unitText: '字'.repeat(20001) }, /^field unitText: longer than 20000/],
    ['unit text with a NUL', { unitText: 'a\u0000b' }, /^field unitText: contains a control character/],
    ['empty unit text', { unitText: '' }, /^field unitText: must not be empty$/],
  ])('refuses %s', (_what, over, message) => {
    const e = validateReport({ ...makeReport(3), ...over });
    expect(typeof e).toBe('string');
    expect(e).toMatch(message);
  });

  it('knows the Toutiao and X platforms', () => {
    expect(validateReport(makeReport(4, { platform: 'toutiao' }))).toMatchObject({ platform: 'toutiao' });
    expect(validateReport(makeReport(4, { platform: 'x' }))).toMatchObject({ platform: 'x' });
  });
});

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe.each(BACKENDS)('platform fields on the %s server', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let reporter: string;
  let admin: string;
  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    reporter = await addToken(store, 'reporter');
    admin = await addToken(store, 'admin', true);
    server = await startReportServer({ store, port: 0, ratePerMinute: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await backend?.cleanup();
  });
  const list = async () => (await request(server.origin, '/api/reports', admin)).body.reports as StoredReport[];

  it('stores them and gives them back; a report without them gets none', async () => {
    const a = await post(server.origin, reporter, 'unit-1', withUnit(1));
    expect(a.status).toBe(201);
    const b = await post(server.origin, reporter, 'plain-1', makeReport(2));
    expect(b.status).toBe(201);
    const stored = await list();
    const got = stored.find((r) => r.id === a.body.id)!;
    expect(got).toMatchObject(withUnit(1));
    const plain = stored.find((r) => r.id === b.body.id)!;
    for (const k of ['account', 'postedAt', 'engagement', 'unitText']) expect(plain).not.toHaveProperty(k);
    // Same key, same body (its nested keys in another order): a replay; other figures: a conflict.
    const replay = await post(server.origin, reporter, 'unit-1', { ...withUnit(1), engagement: { readAt: UNIT.engagement.readAt, likes: UNIT.engagement.likes, comments: UNIT.engagement.comments, reposts: UNIT.engagement.reposts } });
    expect(replay.status).toBe(200);
    const changed = await post(server.origin, reporter, 'unit-1', withUnit(1, { engagement: { ...UNIT.engagement, likes: { shown: '9.9万' } } }));
    expect(changed.status).toBe(422);
  });

  it('answers 400 with the field for a bad one', async () => {
    const r = await post(server.origin, reporter, 'bad-1', withUnit(3, { engagement: { likes: { shown: '3', value: -1 }, readAt: UNIT.engagement.readAt } }));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('field engagement.likes: value: must be a whole number from 0');
  });
});

describe('a SQLite database from before the platform fields', () => {
  it('gains the column on opening; its reports stay and new ones carry the fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-old-'));
    try {
      mkdirSync(dir, { recursive: true });
      const db = new Database(sqlitePath(dir));
      db.exec(`CREATE TABLE tokens (id INTEGER PRIMARY KEY, name TEXT NOT NULL, admin INTEGER NOT NULL, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
        CREATE TABLE reports (id INTEGER PRIMARY KEY, token_id INTEGER NOT NULL REFERENCES tokens(id), idem_key TEXT NOT NULL, body_hash TEXT NOT NULL,
          received_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'rejected')), url TEXT NOT NULL, title TEXT NOT NULL,
          platform TEXT NOT NULL, created_at TEXT NOT NULL, category TEXT NOT NULL, note TEXT NOT NULL, verdict TEXT NOT NULL, outlet TEXT NOT NULL,
          original_id TEXT NOT NULL, original_url TEXT NOT NULL, score REAL NOT NULL, passages TEXT NOT NULL, UNIQUE (token_id, idem_key));
        INSERT INTO tokens (name, admin, hash, created_at) VALUES ('old', 0, 'h', '2026-01-01T00:00:00Z');
        INSERT INTO reports (token_id, idem_key, body_hash, received_at, url, title, platform, created_at, category, note, verdict, outlet, original_id, original_url, score, passages)
          VALUES (1, 'k', 'b', '2026-01-02T00:00:00Z', 'https://copy.example/old', 'Old', 'news', '2026-01-01T00:00:00Z', 'uncredited', '', 'uncredited', 'xinhua', 'x1', 'https://news.cn/x1', 0.9, '[]');`);
      db.close();
      const store = await openSqliteStore(dir);
      try {
        const r = withUnit(5);
        expect((await store.insertReport(1, 'k2', reportHash(r), r, '2026-12-01T08:00:00Z')).kind).toBe('created');
        const all = await store.listReports({});
        expect(all).toHaveLength(2);
        expect(all[0]).toMatchObject({ url: 'https://copy.example/old', title: 'Old', passages: [] });
        expect(all[0]).not.toHaveProperty('account');
        expect(all[1]).toMatchObject(UNIT);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the collation centre’s CSV export', () => {
  it('has the platform columns, filled for a platform report and empty for another', async () => {
    const backend = await makeBackend('sqlite');
    const store = await backend.open();
    const server = await startReportServer({ store, port: 0, ratePerMinute: 0 });
    try {
      const reporter = await addToken(store, 'reporter');
      const admin = await addToken(store, 'admin', true);
      await post(server.origin, reporter, 'u', withUnit(7));
      await post(server.origin, reporter, 'p', makeReport(8));
      const csv = (await request(server.origin, '/api/reports?format=csv', admin)).body as string;
      const [header, unitRow, plainRow] = csv.trim().split('\r\n');
      expect(header).toMatch(/,passages,account,accountUrl,postedAt,postedAtIso,reposts,comments,likes,views,readAt,unitText$/);
      expect(unitRow).toMatch(/,1,海湾时事速递,https:\/\/weibo\.com\/u\/7301200456,5-20 21:06,2026-05-20T21:06:00\+08:00,1\.2万,"3,402",5\.6万,,2026-12-01T08:00:00\.000Z,【外交部回应渔业合作磋商】/);
      expect(plainRow).toMatch(/,1,,,,,,,,,,$/);
    } finally {
      await server.close();
      await store.close();
      await backend.cleanup();
    }
  });
});
