import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { platformOf } from '../../lib/extract/page-meta';
import { parseEndpoint } from '../../lib/reports/endpoint';
import { filterReports } from '../../lib/reports/filter';
import { reportFormQuery } from '../../lib/reports/form-query';
import { LIMITS, reportBody } from '../../lib/reports/report-body';
import { editReport, newReport, saveReport, type ReportDraft } from '../../lib/reports/reports-store';
import { csvCell } from '../../lib/reports/csv-cell';
import { exportCsv, exportJson, importReports, parseReportsJson } from '../../lib/reports/transfer';
import { ReportsDb, type Report } from '../../lib/store/reports-db';

let dbCount = 0;
const dbs: ReportsDb[] = [];
const freshDb = () => {
  const db = new ReportsDb(`test-transfer-${++dbCount}`);
  dbs.push(db);
  return db;
};
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

const draft = (over: Partial<ReportDraft> = {}): ReportDraft => ({
  url: 'https://mp.weixin.qq.com/s/abc',
  title: '电池工厂投产',
  verdict: 'uncredited',
  outlet: 'xinhua',
  originalId: 'xh-1',
  originalUrl: 'https://www.news.cn/1.htm',
  score: 0.8,
  passages: [{ pageText: '工厂投产', originalText: '工厂投产' }],
  category: 'uncredited',
  note: '',
  ...over,
});

describe('platform detection', () => {
  it.each([
    ['https://mp.weixin.qq.com/s/xyz', 'wechat'],
    ['https://weibo.com/123/abc', 'weibo'],
    ['https://m.weibo.cn/status/1', 'weibo'],
    ['https://www.douyin.com/video/1', 'douyin'],
    ['https://v.douyin.com/abc/', 'douyin'],
    ['https://www.bilibili.com/video/BV1', 'bilibili'],
    ['https://b23.tv/xyz', 'bilibili'],
    ['https://www.ixigua.com/123', 'xigua'],
    ['https://news.example.com/a', 'news'],
    ['http://127.0.0.1:8080/page', 'news'],
    ['https://notweibo.com/x', 'news'],
    ['file:///home/me/page.html', 'other'],
    ['chrome://extensions/', 'other'],
    ['not a url', 'other'],
  ])('%s → %s', (url, platform) => {
    expect(platformOf(url)).toBe(platform);
  });
  it('a new report gets its platform from its address', () => {
    expect(newReport(draft()).platform).toBe('wechat');
    expect(newReport(draft({ url: 'https://www.bilibili.com/video/BV1' })).platform).toBe('bilibili');
  });
});

describe('report body', () => {
  it('has exactly the server’s fields and applies its limits', () => {
    const long = 'x'.repeat(5000);
    const r = newReport(draft({ title: long, note: long, passages: Array.from({ length: 60 }, () => ({ pageText: long })) }));
    // newReport already caps title and note; the body caps whatever the database holds.
    const body = reportBody({ ...r, title: long, note: long, score: 1.7 });
    expect(Object.keys(body)).toEqual(['url', 'title', 'platform', 'createdAt', 'category', 'note', 'verdict', 'outlet', 'originalId', 'originalUrl', 'score', 'passages']);
    expect(body.title).toHaveLength(LIMITS.title);
    expect(body.note).toHaveLength(LIMITS.note);
    expect(body.passages).toHaveLength(LIMITS.passages);
    expect(body.passages[0]).toEqual({ pageText: 'x'.repeat(LIMITS.passageChars) });
    expect(body.score).toBe(1);
  });
});

/** Every bidi control character (U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C). */
const BIDI = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
const hasBidi = (v: unknown) => /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/.test(JSON.stringify(v));

describe('bidi control characters', () => {
  it('are removed from every string of a report when it is saved and when it is edited', async () => {
    const db = freshDb();
    const r = await saveReport(
      db,
      draft({
        url: 'https://copy.example/a\u202e/b',
        title: 'Invoice \u202egpj.exe',
        verdict: 'copy\u200e',
        outlet: 'xin\u2066hua',
        originalId: 'xh-1\u061c',
        originalUrl: 'https://www.news.cn/1\u200f.htm',
        passages: [{ pageText: `p${BIDI}1`, originalText: `o${BIDI}1` }],
        note: `n${BIDI}ote`,
      }),
    );
    const stored = (await db.reports.get(r.id!))!;
    expect(hasBidi(stored)).toBe(false);
    expect(stored).toMatchObject({ url: 'https://copy.example/a/b', title: 'Invoice gpj.exe', verdict: 'copy', outlet: 'xinhua', originalId: 'xh-1', originalUrl: 'https://www.news.cn/1.htm', note: 'note' });
    expect(stored.passages).toEqual([{ pageText: 'p1', originalText: 'o1' }]);
    await editReport(db, r.uid, { category: 'other', note: '\u2067edited\u2069' });
    expect((await db.reports.get(r.id!))!.note).toBe('edited');
  });

  it('are removed on import', async () => {
    const r = newReport(draft());
    const doc = JSON.parse(exportJson([{ ...r, title: 't\u202eitle', note: `no${BIDI}te`, outlet: 'out\u200flet', url: 'https://copy.example/\u2066x', passages: [{ pageText: 'a\u202db' }] }]));
    const db = freshDb();
    expect(await importReports(db, JSON.stringify(doc))).toMatchObject({ added: 1 });
    const [imported] = await db.reports.toArray();
    expect(hasBidi(imported)).toBe(false);
    expect(imported).toMatchObject({ title: 'title', note: 'note', outlet: 'outlet', url: 'https://copy.example/x', passages: [{ pageText: 'ab' }] });
  });

  it('never reach the body shown and sent, even from a report stored before they were removed', () => {
    const legacy: Report = {
      ...newReport(draft()),
      title: 'a\u202eb',
      note: `c${BIDI}d`,
      url: 'https://copy.example/\u200ex',
      outlet: 'o\u061c',
      originalId: 'i\u2068d',
      originalUrl: 'https://www.news.cn/\u202a1',
      verdict: 'copy\u200f',
      passages: [{ pageText: 'p\u2069', originalText: 'q\u202c' }],
    };
    const body = reportBody(legacy);
    expect(hasBidi(body)).toBe(false);
    expect(body).toMatchObject({ title: 'ab', note: 'cd', url: 'https://copy.example/x', outlet: 'o', originalId: 'id', originalUrl: 'https://www.news.cn/1', verdict: 'copy', passages: [{ pageText: 'p', originalText: 'q' }] });
  });
});

describe('endpoint setting', () => {
  it('accepts https and loopback http, and gives the reports URL and the permission pattern', () => {
    expect(parseEndpoint('https://collect.example.org/')).toEqual({
      base: 'https://collect.example.org',
      reportsUrl: 'https://collect.example.org/api/reports',
      originPattern: 'https://collect.example.org/*',
    });
    expect(parseEndpoint(' http://127.0.0.1:8787 ').reportsUrl).toBe('http://127.0.0.1:8787/api/reports');
    expect(parseEndpoint('http://localhost:9000/base/').base).toBe('http://localhost:9000/base');
  });
  it.each([
    ['http://collect.example.org', /https/],
    ['ftp://127.0.0.1', /https/],
    ['https://user:pw@collect.example.org', /user name/],
    ['https://collect.example.org/?x=1', /query/],
    ['', /not a URL/],
  ])('refuses %s', (input, why) => {
    expect(() => parseEndpoint(input)).toThrow(why);
  });
});

describe('export and import', () => {
  it('round-trips through JSON and adds nothing twice (by uid, also within one file)', async () => {
    const db = freshDb();
    const a = await saveReport(db, draft({ note: 'a' }));
    await saveReport(db, draft({ note: 'b', category: 'translated' }));
    await db.reports.update(a.id!, { status: 'sent', serverId: 42 });
    const text = exportJson(await db.reports.toArray());
    const doc = JSON.parse(text);
    expect(doc.reports[0]).not.toHaveProperty('id');
    expect(doc.reports[0]).toMatchObject({ uid: a.uid, status: 'sent', serverId: 42 });

    // Into the same database: all duplicates.
    expect(await importReports(db, text)).toEqual({ added: 0, duplicates: 2, invalid: [] });
    expect(await db.reports.count()).toBe(2);

    // Into an empty one, with a report repeated inside the file: added once.
    const other = freshDb();
    doc.reports.push(doc.reports[1]);
    expect(await importReports(other, JSON.stringify(doc))).toEqual({ added: 2, duplicates: 1, invalid: [] });
    const imported = await other.reports.orderBy('createdAt').toArray();
    expect(imported.map((r) => r.note).sort()).toEqual(['a', 'b']);
    expect(imported.find((r) => r.uid === a.uid)).toMatchObject({ status: 'sent', serverId: 42 });
  });

  it('imports a report that was waiting to be sent as local (agreement is given in this browser)', async () => {
    const r = { ...newReport(draft()), status: 'queued' as const, consentedBody: '{}' };
    const parsed = parseReportsJson(exportJson([r]));
    expect(parsed.reports[0]!.status).toBe('local');
    expect(parsed.reports[0]!.consentedBody).toBeUndefined();
  });

  it('names invalid entries and refuses files that are not a reports export', () => {
    const good = newReport(draft());
    const text = JSON.stringify({ format: 'provenance-reports', version: 1, reports: [good, { ...good, uid: 'nope' }, { ...good, uid: crypto.randomUUID(), category: 'spam' }] });
    const parsed = parseReportsJson(text);
    expect(parsed.reports).toHaveLength(1);
    expect(parsed.invalid).toEqual([
      { index: 1, reason: 'missing or malformed uid' },
      { index: 2, reason: 'bad category' },
    ]);
    expect(() => parseReportsJson('{')).toThrow(/not JSON/);
    expect(() => parseReportsJson('{"format":"provenance-settings"}')).toThrow(/not a reports export/);
  });

  it('CSV: quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1`).replace(/^"/, '')).toMatch(/^'/);
    const r: Report = { ...newReport(draft({ note: '=1+1, "really"', title: '@SUM(A1)' })), id: 1 };
    const lines = exportCsv([r]).split('\r\n');
    expect(lines[0]).toBe('uid,createdAt,status,serverId,platform,category,url,title,verdict,outlet,originalId,originalUrl,score,note,passages,error');
    expect(lines[1]).toContain(`,'@SUM(A1),`);
    expect(lines[1]).toContain(`"'=1+1, ""really"""`);
    expect(lines[2]).toBe('');
  });

  it('CSV: defuses formulas behind leading whitespace and in full-width forms, and drops bidi controls', () => {
    const r: Report = { ...newReport(draft({ note: ' =1+1', title: '\u3000\uff1dHYPERLINK("x")', outlet: '\t@x' })), id: 1 };
    // A report stored before bidi controls were removed at saving.
    const legacy: Report = { ...r, uid: '00000000-0000-4000-8000-000000000001', note: '\u202e=2+2', title: 'gpj.\u202eexe', outlet: '\uff0bcmd' };
    const [header, row, old] = exportCsv([r, legacy]).split('\r\n');
    const names = header!.split(',');
    const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!).slice(0, names.length);
    const at = (line: string, name: string) => cells(line)[names.indexOf(name)];
    expect(at(row!, 'note')).toBe("' =1+1");
    expect(at(row!, 'title')).toBe(`"'\u3000\uff1dHYPERLINK(""x"")"`);
    expect(at(row!, 'outlet')).toBe("'\t@x");
    expect(at(old!, 'note')).toBe("'=2+2");
    expect(at(old!, 'title')).toBe('gpj.exe');
    expect(at(old!, 'outlet')).toBe("'\uff0bcmd");
  });
});

describe('reports database', () => {
  it('upgrades a version-1 database: existing reports kept, each given a uid', async () => {
    const name = `test-upgrade-${++dbCount}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ reports: '++id, createdAt, originalId, status' });
    await v1.table('reports').bulkAdd([{ createdAt: '2026-11-01T00:00:00.000Z', note: 'one', status: 'local' }, { createdAt: '2026-11-02T00:00:00.000Z', note: 'two', status: 'local' }]);
    v1.close();
    const db = new ReportsDb(name);
    dbs.push(db);
    const rows = await db.reports.toArray();
    expect(rows.map((r) => r.note)).toEqual(['one', 'two']);
    expect(new Set(rows.map((r) => r.uid)).size).toBe(2);
    for (const r of rows) expect(r.uid).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('filter', () => {
  it('by status, category and text', () => {
    const rs: Report[] = [
      { ...newReport(draft({ note: 'ferry story' })), status: 'sent' },
      { ...newReport(draft({ category: 'translated', title: 'Rail line' })) },
      { ...newReport(draft({ url: 'https://weibo.com/1' })) },
    ];
    expect(filterReports(rs, { status: 'sent', category: 'all', text: '' })).toHaveLength(1);
    expect(filterReports(rs, { status: 'all', category: 'translated', text: '' })[0]!.title).toBe('Rail line');
    expect(filterReports(rs, { status: 'all', category: 'all', text: 'FERRY' })).toHaveLength(1);
    expect(filterReports(rs, { status: 'all', category: 'all', text: 'weibo' })).toHaveLength(1);
    expect(filterReports(rs, { status: 'local', category: 'uncredited', text: 'nothing like this' })).toHaveLength(0);
  });
});

describe('report form query (context menu and popup)', () => {
  it('carries the page address, title and tab; only for web pages', () => {
    expect(reportFormQuery({ url: 'https://weibo.com/1?a=b', title: 'T', tabId: 7 })).toEqual({ url: 'https://weibo.com/1?a=b', title: 'T', tab: '7' });
    expect(reportFormQuery({ url: 'http://news.example.com/x' })).toEqual({ url: 'http://news.example.com/x', title: '' });
    expect(reportFormQuery({ url: 'chrome://extensions/', tabId: 1 })).toBeUndefined();
    expect(reportFormQuery({ url: undefined })).toBeUndefined();
    expect(reportFormQuery({ url: 'https://a.example/', tabId: -1 })).toEqual({ url: 'https://a.example/', title: '' });
  });
});

describe('locales', () => {
  it('every language has exactly the same keys', async () => {
    const { catalogKeys } = await import('../../lib/i18n');
    const en = catalogKeys('en').sort();
    expect(catalogKeys('zh-Hans').sort()).toEqual(en);
    expect(catalogKeys('zh-Hant').sort()).toEqual(en);
  });
});
