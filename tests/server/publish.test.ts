/**
 * Public reports on both backends (issue 13 §3): a fictional week of cases
 * (tests/support/publish-fixture.ts) published by the command and by
 * GET /api/publish, compared byte for byte with the committed golden files
 * (tests/fixtures/publish/2026-W48/; both backends must give the same bytes);
 * reproducibility when unrelated things change; no reporter, reviewer or
 * unconfirmed account in any file; an empty period; one-line errors; the
 * coordination signals endpoint.
 *
 * UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (then look at
 * the diff before committing it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote } from '../../lib/report-server/cases';
import { parsePeriod } from '../../lib/report-server/period';
import { publishReport } from '../../lib/report-server/publish';
import { readPublicReport } from '../../lib/report-server/publish-data';
import { FILES, HTML_LIMITS, renderHtml, REPORT_CSP } from '../../lib/report-server/publish-render';
import { reportHash } from '../../lib/report-server/schema';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import { DEFAULT_SIGNALS } from '../../lib/report-server/signals';
import type { ReportStore } from '../../lib/report-server/store';
import { addAccount, login } from '../support/centre';
import { startPostgres, type PgCluster } from '../support/postgres';
import { buildPublishFixture, SECRET_NAMES, SECRET_TEXTS } from '../support/publish-fixture';
import { addToken, BACKENDS, makeBackend, makeReport, request, type Backend } from '../support/report-backends';

const GOLDEN = new URL('../fixtures/publish/2026-W48/', import.meta.url).pathname;
/** The same week's page in Simplified Chinese (--lang zh); its data files are the English report's. */
const GOLDEN_ZH = new URL('../fixtures/publish/2026-W48-zh/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', ...args], { env: { ...process.env, ...env } }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The files of a stored (uncompressed) ZIP, by name. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    expect(zip.readUInt16LE(at + 8)).toBe(0); // stored
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    out.set(name, zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size));
    at += 30 + nameLength + size;
  }
  expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  return out;
}

function readDir(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

describe.each(BACKENDS)('public report on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let env: Record<string, string>;
  const tmp = mkdtempSync(join(tmpdir(), 'publish-test-'));

  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    env = backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {};
    store = await backend.open();
    await buildPublishFixture(store);
  });
  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('publishes the golden week: the command writes the committed files byte for byte', async () => {
    const out = join(tmp, 'w48');
    const r = await cli(['publish', '--period', '2026-W48', '--out', out, '--data', backend.dataDir], env);
    expect(r.stderr).toBe('');
    expect([r.code, r.stdout]).toEqual([0, `published 2026-W48 (2026-11-23 to 2026-11-29): 6 confirmed cases in ${out} (${FILES.join(', ')})\n`]);
    const files = readDir(out);
    expect([...files.keys()]).toEqual([...FILES].sort());
    if (UPDATE && kind === 'sqlite') {
      mkdirSync(GOLDEN, { recursive: true });
      for (const [name, data] of files) writeFileSync(join(GOLDEN, name), data);
    }
    const golden = readDir(GOLDEN);
    expect([...golden.keys()]).toEqual([...files.keys()]);
    for (const [name, data] of files) expect(data.equals(golden.get(name)!), `${name} differs from the golden file`).toBe(true);
    // CSV files start with the byte-order mark; JSON and HTML are UTF-8 without it.
    for (const name of FILES) expect(files.get(name)!.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), name).toBe(name.endsWith('.csv'));
  });

  it('publishes the golden week in Chinese: the same data files, the page in Chinese byte for byte', async () => {
    const out = join(tmp, 'w48-zh');
    const r = await cli(['publish', '--period', '2026-W48', '--out', out, '--lang', 'zh', '--data', backend.dataDir], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const files = readDir(out);
    expect([...files.keys()]).toEqual([...FILES].sort());
    if (UPDATE && kind === 'sqlite') {
      mkdirSync(GOLDEN_ZH, { recursive: true });
      writeFileSync(join(GOLDEN_ZH, 'index.html'), files.get('index.html')!);
    }
    const golden = readDir(GOLDEN);
    for (const name of FILES.filter((f) => f !== 'index.html')) expect(files.get(name)!.equals(golden.get(name)!), `${name} differs from the English report's`).toBe(true);
    const zh = files.get('index.html')!;
    expect(zh.equals(readFileSync(join(GOLDEN_ZH, 'index.html'))), 'index.html differs from the Chinese golden page').toBe(true);
    const en = golden.get('index.html')!.toString('utf8');
    const page = zh.toString('utf8');
    expect(page).toContain('<html lang="zh-Hans">');
    expect(page).toContain('<title>官方媒体文章未注明出处的转载：2026年第48周</title>');
    expect(page).toContain('2026年11月23日至2026年11月29日（UTC）');
    for (const heading of ['每日转载数', '平台', '转载最多的原文', '账号', '协同信号', '案件', '方法', '局限']) expect(page).toContain(`">${heading}</h2>`);
    expect(page).toContain('<th>平台</th><th class="n">转载</th>');
    expect(page).toMatch(/<td>\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} UTC/);
    // No English words of the page's own left (report text and file names aside).
    for (const word of ['Copies per day', 'Originals most reused', 'Coordination signals', 'confirmed by', 'first seen', 'Method', 'Limits', ' min<', 'minutes after']) expect(page, word).not.toContain(word);
    // The same report text, escaped the same way, and the same links: only the page's own words differ.
    const links = (html: string) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]).sort();
    expect(links(page)).toEqual(links(en));
    for (const hostile of ['&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;', '&lt;img src=x onerror=alert(1)&gt;', '古城&lt;b&gt;影像&lt;/b&gt;']) expect(page).toContain(hostile);
    expect(page).not.toMatch(/<script|<img|<b>影像/);
    // Reproducible in Chinese too.
    const again = join(tmp, 'w48-zh-again');
    expect((await cli(['publish', '--period', '2026-W48', '--out', again, '--lang', 'zh', '--data', backend.dataDir], env)).code).toBe(0);
    expect(readFileSync(join(again, 'index.html')).equals(zh)).toBe(true);
  });

  it('holds the figures and the evidence they rest on', async () => {
    const json = JSON.parse(readFileSync(join(GOLDEN, 'report.json'), 'utf8'));
    expect(json.period).toEqual({ label: '2026-W48', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(json.totals).toEqual({ cases: 6, originals: 6, outlets: 4, copies: 12, reports: 13, accounts: 5, platforms: 5 });
    expect(json.cases.map((c: { id: number }) => c.id)).toEqual([1, 2, 3, 4, 5, 9]);
    expect(json.originals[0]).toMatchObject({ outlet: 'xinhua', url: 'https://english.news.cn/20261123/f1c2a7e0b1/c.html', copies: 4, accounts: 3, cases: [1] });
    expect(json.accounts[0]).toMatchObject({ platform: 'weibo', name: '晨光快讯', copies: 5, cases: [1, 2, 3, 4, 5], uncreditedReports: 5 });
    const c1 = json.cases[0];
    expect(c1.copies.map((k: { url: string; minutesAfterFirst: number }) => [k.url, k.minutesAfterFirst])).toEqual([
      ['https://weibo.com/7000000001/Pk1Aa2Bb3', 0],
      ['https://weibo.com/7000000002/Qm4Cc5Dd6', 15],
      ['https://x.com/globalwire_now/status/1860000000000000001', 75],
      ['https://dailyharbor.example/world/lanxi-port-record', 1360],
    ]);
    // Two reports of the first copy carried the same passages: listed once; the latest figures read.
    expect(c1.copies[0].reports).toBe(2);
    expect(c1.copies[0].passages).toHaveLength(2);
    expect(c1.copies[0].passages[0].originalText).toMatch(/^The river port at Lanxi/);
    expect(c1.copies[0].engagement.views).toEqual({ shown: '80万', value: 800000 });
    expect(json.cases[1].copies[0].passages[0].pageText).toMatch(/^青石镇/);
    expect(json.signals.sameOriginal.map((s: { case: number; accounts: number; minutes: number }) => [s.case, s.accounts, s.minutes])).toEqual([[1, 3, 75]]);
    expect(json.signals.fastAccounts.map((s: { account: string; outlet: string; fastCases: number }) => [s.account, s.outlet, s.fastCases])).toEqual([['晨光快讯', 'xinhua', 3]]);
    expect(json.signals.options).toEqual(DEFAULT_SIGNALS);
    expect(json.method.join(' ')).toMatch(/two different reviewers/);
    expect(json.limits.join(' ')).toMatch(/Reporter identities/);
  });

  it('lists the first cases in full on the page (most copies first) and says where the rest are', async () => {
    const report = await readPublicReport(store.db, parsePeriod({ period: '2026-W48' }), DEFAULT_SIGNALS);
    const saved = { ...HTML_LIMITS };
    Object.assign(HTML_LIMITS, { cases: 2, originals: 1, accounts: 1 });
    try {
      const html = renderHtml(report);
      expect([...html.matchAll(/<section class="case" id="case-(\d+)">/g)].map((m) => Number(m[1]))).toEqual([1, 2]);
      expect(html).toContain('The first 2 of 6 are listed here; all are in report.json and copies.csv.');
      expect(html).toContain('The first 1 of 6 are listed here; all are in report.json and originals.csv.');
      expect(html).toContain('The first 1 of 5 are listed here; all are in report.json and accounts.csv.');
      // Links only to the cases the page lists.
      expect(html).toContain('<a href="#case-1">#1</a>');
      expect(html).not.toContain('href="#case-4"');
    } finally {
      Object.assign(HTML_LIMITS, saved);
    }
  });

  it('escapes the engagement figures as shown, in both languages', async () => {
    const report = await readPublicReport(store.db, parsePeriod({ period: '2026-W48' }), DEFAULT_SIGNALS);
    const copy = report.cases.find((c) => c.id === 1)!.copies[0]!;
    expect(copy.engagement).toBeDefined();
    (copy.engagement as Record<string, { shown: string }>).views = { shown: '<img src=x onerror=alert(2)>' };
    for (const lang of ['en', 'zh'] as const) {
      const html = renderHtml(report, lang);
      expect(html, lang).toContain('&lt;img src=x onerror=alert(2)&gt;');
      expect(html, lang).not.toContain('<img src=x onerror=alert(2)>');
    }
  });

  it('never shows reporters, reviewers, notes, or the accounts of unconfirmed cases', async () => {
    const files = readDir(GOLDEN);
    for (const [name, data] of files) {
      const text = data.toString('utf8');
      for (const secret of [...SECRET_NAMES, ...SECRET_TEXTS]) expect(text.includes(secret), `${name} contains ${secret}`).toBe(false);
      // Nor when the reports were received, nor report ids.
      expect(text, name).not.toMatch(/receivedAt|reporter"|"reportId"/);
      expect(text, name).not.toContain('2026-11-23T08:30:00'); // case 1's first report was received then
    }
    // The accounts of confirmed cases are there.
    for (const name of ['晨光快讯', 'Harbor Daily Digest', '环球速递']) expect(files.get('report.json')!.toString('utf8')).toContain(name);
    // Hostile text from a report stays text in the page; an http:// address is not a link.
    const html = files.get('index.html')!.toString('utf8');
    expect(html).not.toMatch(/<script|<img|<b>影像/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
    expect(html).not.toContain('href="http://');
    expect(html).toContain(`content="${REPORT_CSP.replace(/'/g, '&#39;')}"`);
  });

  it('gives the same bytes again, whatever else changed outside the period and the confirmed cases', async () => {
    const before = await publishReport(store.db, parsePeriod({ period: '2026-W48' }), DEFAULT_SIGNALS);
    // Changes that must not move the report: a new report after the period, an open case in it,
    // a reviewer's note, a new account, a login.
    const t = await store.createToken('late-reader', false, `late-${kind}`);
    const late = makeReport(7001, { createdAt: '2026-12-02T10:00:00.000Z', originalUrl: 'https://english.news.cn/late.htm', originalId: '' });
    await store.insertReport(t.id, 'late', reportHash(late), late, '2026-12-02T10:05:00.000Z');
    const open = makeReport(7002, { createdAt: '2026-11-24T10:00:00.000Z', originalUrl: 'https://english.news.cn/open-in-w48.htm', originalId: '', account: { name: 'Another Unconfirmed' } });
    await store.insertReport(t.id, 'open', reportHash(open), open, '2026-11-24T10:05:00.000Z');
    await addNote(store.db, 1, 'alice-reviewer', 'a later note', '2026-12-03T00:00:00.000Z');
    await addAccount(store, `carol-${kind}`, 'reviewer');
    const after = await publishReport(store.db, parsePeriod({ period: '2026-W48' }), DEFAULT_SIGNALS);
    for (const name of FILES) expect(after.files.get(name)!.equals(before.files.get(name)!), name).toBe(true);
    expect(after.zip().equals(before.zip())).toBe(true);
    expect(after.files.get('report.json')!.toString()).not.toContain('Another Unconfirmed');
    // A narrower window is another report: only case 2 (first seen on the 24th).
    const day = await publishReport(store.db, parsePeriod({ period: '2026-W48', from: '2026-11-24', to: '2026-11-24' }), DEFAULT_SIGNALS);
    const json = JSON.parse(day.files.get('report.json')!.toString());
    expect(json.period.label).toBe('2026-W48 (2026-11-24..2026-11-24)');
    expect(json.cases.map((c: { id: number }) => c.id)).toEqual([2]);
  });

  it('publishes an empty period as a report that says zero', async () => {
    const out = join(tmp, 'empty');
    const r = await cli(['publish', '--period', '2026-W40', '--out', out, '--data', backend.dataDir], env);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `published 2026-W40 (2026-09-28 to 2026-10-04): 0 confirmed cases in ${out} (${FILES.join(', ')})\n`, '']);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.totals).toEqual({ cases: 0, originals: 0, outlets: 0, copies: 0, reports: 0, accounts: 0, platforms: 0 });
    expect(json.perDay.days).toHaveLength(7);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('No confirmed case was first seen in this period: every figure is zero.');
    expect(readFileSync(join(out, 'copies.csv'), 'utf8').split('\r\n')).toHaveLength(2); // the header and the final line break
  });

  it('names what is wrong in one line', async () => {
    const data = ['--data', backend.dataDir];
    const cases: Array<[string[], number, RegExp]> = [
      [['publish', '--period', '2026-W54', '--out', tmp], 2, /^report-server: --period 2026-W54: 2026 has ISO weeks 01 to 53\n$/],
      [['publish', '--period', 'last week', '--out', tmp], 2, /^report-server: --period "last week": must be an ISO week \(2026-W48\), a month \(2026-11\) or a day \(2026-11-23\)\n$/],
      [['publish', '--from', '2026-11-30', '--to', '2026-11-01', '--out', tmp], 2, /^report-server: --from 2026-11-30 is after --to 2026-11-01\n$/],
      [['publish', '--from', '2026-02-30', '--to', '2026-03-01', '--out', tmp], 2, /^report-server: --from 2026-02-30: no such date\n$/],
      [['publish', '--period', '2026-W48'], 2, /^report-server: publish needs --out DIR/],
      [['publish', '--out', tmp], 2, /^report-server: publish needs --period/],
      [['publish', '--period', '2026-W48', '--out', join(GOLDEN, 'report.json')], 1, /^report-server: --out .* is a file: give a folder/],
      [['publish', '--period', '2026-W48', '--out', tmp, '--signal-accounts', '0'], 2, /^report-server: --signal-accounts must be a whole number from 1 to 1000\n$/],
      [['--period', '2026-W48'], 2, /^report-server: --period belongs to the publish command\n$/],
      [['publish', '--period', '2026-W48', '--out', tmp, '--lang', 'fr'], 2, /^report-server: --lang fr: must be en or zh \(the language of index.html\)\n$/],
      [['--lang', 'zh'], 2, /^report-server: --lang belongs to the publish command\n$/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli([...args, ...data], env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
      expect(r.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
    }
  });

  describe('from the review server', () => {
    let server: RunningServer;
    let admin: string;
    beforeAll(async () => {
      admin = await addToken(store, 'analyst', true);
      await addAccount(store, `dora-${kind}`, 'reviewer');
      server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    });
    afterAll(async () => {
      await server?.close();
    });

    const bytes = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${server.origin}${path}`, { headers });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    };

    it('GET /api/publish answers the golden bytes, one file or all in a ZIP, to reviewers only', async () => {
      const s = await login(server.origin, `dora-${kind}`);
      const golden = readDir(GOLDEN);
      for (const name of FILES) {
        const r = await bytes(`/api/publish?period=2026-W48&file=${name}`, { cookie: s.cookie });
        expect(r.status, name).toBe(200);
        expect(r.body.equals(golden.get(name)!), name).toBe(true);
        expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      }
      const html = await bytes('/api/publish?period=2026-W48&file=index.html', { authorization: `Bearer ${admin}` });
      expect(html.headers.get('content-security-policy')).toBe(REPORT_CSP);
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const zip = await bytes('/api/publish?period=2026-W48', { cookie: s.cookie });
      expect([zip.status, zip.headers.get('content-type'), zip.headers.get('content-disposition')]).toEqual([200, 'application/zip', 'attachment; filename="report-2026-W48.zip"']);
      const inside = unzip(zip.body);
      expect([...inside.keys()]).toEqual(FILES.map((f) => `report-2026-W48/${f}`));
      for (const name of FILES) expect(inside.get(`report-2026-W48/${name}`)!.equals(golden.get(name)!), name).toBe(true);
      expect((await bytes('/api/publish?period=2026-W48', { cookie: s.cookie })).body.equals(zip.body)).toBe(true);
      // In Chinese: the Chinese page, the same data files.
      const zhPage = await bytes('/api/publish?period=2026-W48&file=index.html&lang=zh', { cookie: s.cookie });
      expect(zhPage.body.equals(readFileSync(join(GOLDEN_ZH, 'index.html')))).toBe(true);
      expect(zhPage.headers.get('content-security-policy')).toBe(REPORT_CSP);
      const zhZip = unzip((await bytes('/api/publish?period=2026-W48&lang=zh', { cookie: s.cookie })).body);
      for (const name of FILES) expect(zhZip.get(`report-2026-W48/${name}`)!.equals(name === 'index.html' ? zhPage.body : golden.get(name)!), name).toBe(true);
      const badLang = await request(server.origin, '/api/publish?period=2026-W48&lang=fr', admin);
      expect([badLang.status, badLang.body.error]).toEqual([400, 'query lang: must be en or zh']);

      expect((await request(server.origin, '/api/publish?period=2026-W48')).status).toBe(401);
      const bad = await request(server.origin, '/api/publish?period=2026-W60', admin);
      expect([bad.status, bad.body.error]).toEqual([400, 'query period 2026-W60: 2026 has ISO weeks 01 to 53']);
      expect((await request(server.origin, '/api/publish?period=2026-W48&file=../etc/passwd', admin)).status).toBe(400);
      expect((await request(server.origin, '/api/publish?period=2026-W48&sort=1', admin)).status).toBe(400);
      const empty = await request(server.origin, '/api/publish?from=2026-01-01&to=2026-01-31&file=report.json', admin);
      expect([empty.status, empty.body.totals.cases]).toEqual([200, 0]);
    });

    it('GET /api/signals: the signals among open and confirmed cases, thresholds as parameters, each with its evidence', async () => {
      const d = await request(server.origin, '/api/signals', admin);
      expect(d.status).toBe(200);
      expect(d.body.options).toEqual(DEFAULT_SIGNALS);
      expect(d.body.sameOriginal.map((s: { case: number }) => s.case)).toEqual([1]);
      expect(d.body.sameOriginal[0].copies.map((k: { account: string }) => k.account)).toEqual(['晨光快讯', 'Harbor Daily Digest', '@globalwire_now']);
      expect(d.body.fastAccounts.map((s: { account: string; copies: Array<{ case: number }> }) => [s.account, s.copies.map((k) => k.case)])).toEqual([['晨光快讯', [1, 4, 5]]]);
      // Two accounts within an hour: case 1 holds only two of its three then (15 min), cases 2 (30 min) and 3 (45 min) too.
      const two = await request(server.origin, '/api/signals?accounts=2&hours=1', admin);
      expect(two.body.sameOriginal.map((s: { case: number; accounts: number; minutes: number }) => [s.case, s.accounts, s.minutes])).toEqual([
        [1, 2, 15],
        [2, 2, 30],
        [3, 2, 45],
      ]);
      const dismissed = await request(server.origin, '/api/signals?status=dismissed&accounts=1&repeats=1', admin);
      expect(dismissed.body.sameOriginal.map((s: { case: number }) => s.case)).toEqual([7]);
      const w47 = await request(server.origin, '/api/signals?from=2026-11-16&to=2026-11-23&accounts=1', admin);
      expect([w47.body.cases, w47.body.sameOriginal]).toEqual([1, []]);
      for (const q of ['?accounts=0', '?hours=x', '?status=new', '?from=soon', '?limit=3'])
        expect((await request(server.origin, `/api/signals${q}`, admin)).status, q).toBe(400);
      expect((await request(server.origin, '/api/signals')).status).toBe(401);
    });
  });
});

it('the golden folder holds exactly the report files', () => {
  expect(existsSync(GOLDEN)).toBe(true);
  expect(readdirSync(GOLDEN).sort()).toEqual([...FILES].sort());
  expect(readdirSync(GOLDEN_ZH)).toEqual(['index.html']);
});
