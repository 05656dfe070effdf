/**
 * Platform pages through the scan: each unit (post, video, article) is
 * matched on its own against the bundled starter index; units that copy or
 * condense a bundled original are found, independent ones are not.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX, loadRegistry, PROJECT_ROOT } from '../../lib/cli/cli-support';
import { readPageBytes } from '../../lib/cli/page-file';
import { extractSavedPage } from '../../lib/extract/parse-html';
import { readIndexDir } from '../../lib/index/index-dir';
import { scanPage } from '../../lib/scan-page';
import { FIXTURES, NOW } from './load';

const registry = loadRegistry();
const index = await readIndexDir(BUNDLED_INDEX);

type Want = { verdict: string; originalId?: string; outlet?: string; account: string };

async function scanUnits(name: string) {
  const got = readPageBytes(new Uint8Array(readFileSync(join(FIXTURES, name))), 'html', NOW);
  if ('unreadable' in got) throw new Error(`${name}: ${got.unreadable}`);
  expect(got.units, `${name} has units`).toBeDefined();
  const out = [];
  for (const u of got.units!) {
    const r = await scanPage(u, index, registry);
    out.push({ verdict: r.verdict, originalId: r.finding?.candidate.original.id, outlet: r.finding?.candidate.original.outlet, account: u.unit.author.name, credit: r.finding?.credit });
  }
  return out;
}

const CASES: Record<string, Want[]> = {
  'weibo-timeline.html': [
    { verdict: 'uncredited', originalId: 'zh-009', outlet: 'global-times', account: '海湾时事速递' },
    { verdict: 'none', account: '小渔村的阿海' },
    // Reposting the outlet's own account's post names the outlet.
    { verdict: 'credited', originalId: 'zh-009', outlet: 'global-times', account: '临澜生活观察' },
  ],
  'weibo-mobile-status.html': [{ verdict: 'uncredited', originalId: 'zh-001', outlet: 'xinhua', account: '柏杉乡的小林' }],
  'weibo-search.html': [
    { verdict: 'none', account: '东礁渔港志愿者' },
    { verdict: 'uncredited', originalId: 'zh-015', outlet: 'cctv', account: '新能源小课堂' },
  ],
  'douyin-video.html': [{ verdict: 'uncredited', originalId: 'zh-015', outlet: 'cctv', account: '海滨快报' }],
  'bilibili-video.html': [{ verdict: 'uncredited', originalId: 'zh-004', outlet: 'cctv', account: '深蓝搬运站' }],
  'wechat-article.html': [{ verdict: 'uncredited', originalId: 'zh-009', outlet: 'global-times', account: '澜江观察' }],
  'toutiao-article.html': [{ verdict: 'credited', originalId: 'zh-005', outlet: 'china-daily', account: '云溪财经说' }],
  'x-timeline.html': [
    { verdict: 'uncredited', originalId: 'en-001', outlet: 'global-times', account: 'Agri Gadget Daily (@agri_gadget_daily)' },
    { verdict: 'none', account: 'Mei on the Hill (@hillfarm_mei)' },
    { verdict: 'none', account: 'Riverbend Notes (@riverbend_notes)' },
  ],
  'douyin-share-mobile.html': [{ verdict: 'none', account: '临澜宝妈日记' }],
  'xigua-video.html': [{ verdict: 'none', account: '跑步的老陈' }],
  'wechat-reprint.html': [{ verdict: 'none', account: '溪口生活圈' }],
};

describe('scan, per unit', () => {
  for (const [name, want] of Object.entries(CASES))
    it(`${name}: ${want.map((w) => w.verdict).join(', ')}`, async () => {
      const got = await scanUnits(name);
      expect(got.map(({ verdict, originalId, outlet, account }) => ({ verdict, account, ...(originalId ? { originalId, outlet } : {}) }))).toEqual(
        want.map(({ verdict, originalId, outlet, account }) => ({ verdict, account, ...(originalId ? { originalId, outlet } : {}) })),
      );
    });

  it('a video is matched on its caption and subtitles: passages come from the subtitles; without them the Bilibili video matches nothing', async () => {
    const got = readPageBytes(new Uint8Array(readFileSync(join(FIXTURES, 'douyin-video.html'))), 'html', NOW);
    if ('unreadable' in got) throw new Error(got.unreadable);
    const u = got.units![0]!;
    const r = await scanPage(u, index, registry);
    const captionEnd = u.text.indexOf(u.unit.subtitles![0]!.text);
    expect(captionEnd).toBeGreaterThan(0);
    expect(r.finding!.candidate.passages.some((p) => p.pageStart >= captionEnd)).toBe(true);
    expect(r.finding!.candidate.pageCoverage).toBeGreaterThan(0.8);
    const bili = readPageBytes(new Uint8Array(readFileSync(join(FIXTURES, 'bilibili-video.html'))), 'html', NOW);
    if ('unreadable' in bili) throw new Error(bili.unreadable);
    const b = bili.units![0]!;
    expect((await scanPage({ ...b, text: `${b.unit.title}\n\n${b.unit.text}` }, index, registry)).verdict).toBe('none');
  });

  it('the credit of the repost comes from the reposted account’s name, shown with the post', async () => {
    const got = await scanUnits('weibo-timeline.html');
    expect(got[2]!.credit).toMatchObject({ kind: 'byline', evidence: '环球时报', strength: 'visible' });
  });

  it('a single article page is matched as the generic extractor reads it (text, links, bylines unchanged; account added)', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'wechat-article.html')));
    const generic = extractSavedPage(bytes);
    const got = readPageBytes(bytes, 'html', NOW);
    if ('unreadable' in got) throw new Error(got.unreadable);
    expect(got.units).toHaveLength(1);
    const u = got.units![0]!;
    expect(u.text).toBe(generic.text);
    expect(u.links).toEqual(generic.links);
    expect(u.bylines!.slice(0, generic.bylines.length)).toEqual(generic.bylines);
    expect(u.metaBylines).toEqual(generic.metaBylines);
  });

  it('a page no module recognises falls back to the generic extractor, never to nothing', () => {
    const got = readPageBytes(new Uint8Array(readFileSync(join(FIXTURES, 'not-a-post.html'))), 'html', NOW);
    if ('unreadable' in got) throw new Error(got.unreadable);
    expect(got.units).toBeUndefined();
    expect(got.page.text).toContain('在线客服的服务时间调整为每天上午九点至下午五点');
  });
});

describe('scan CLI on platform pages', () => {
  it('gives a row per unit with platform, account, time and figures; a generic page keeps one row', async () => {
    const run = promisify(execFile);
    const files = ['weibo-timeline.html', 'not-a-post.html'].map((f) => join(FIXTURES, f));
    const r = await run(process.execPath, ['--import', 'tsx', 'lib/cli/scan-main.ts', '--format', 'json', ...files], { cwd: PROJECT_ROOT, maxBuffer: 16 << 20 });
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(4);
    expect(rows.map((x: { unit: string }) => x.unit)).toEqual(['1/3', '2/3', '3/3', '']);
    expect(rows[0]).toMatchObject({
      file: files[0],
      verdict: 'uncredited',
      originalId: 'zh-009',
      platform: 'weibo',
      unitKind: 'post',
      account: '海湾时事速递',
      accountUrl: 'https://weibo.com/u/7301200456',
      postedAt: '5-20 21:06',
      postedAtIso: '2026-05-20T21:06:00+08:00',
      engagement: { reposts: { shown: '1.2万', value: 12000 }, comments: { shown: '3,402', value: 3402 }, likes: { shown: '5.6万', value: 56000 } },
      repostOf: null,
      unitUrl: 'https://weibo.com/7301200456/PqA1bC2dE',
      unitSelector: '#scroller > div:nth-of-type(1) > article',
    });
    expect(Date.parse(rows[0].engagement.readAt)).not.toBeNaN();
    expect(rows[2]).toMatchObject({ verdict: 'credited', repostOf: { account: '环球时报', accountUrl: expect.stringMatching(/^https:\/\/weibo\.com\/n\//), via: [] } });
    const mobile = await run(process.execPath, ['--import', 'tsx', 'lib/cli/scan-main.ts', '--format', 'json', join(FIXTURES, 'weibo-mobile-status.html')], { cwd: PROJECT_ROOT });
    expect(JSON.parse(mobile.stdout)[0].repostOf).toMatchObject({ account: '青岚本地宝', via: ['柏杉小站', '澜州出行'] });
    expect(rows[3]).toMatchObject({ file: files[1], verdict: 'none', unit: '', platform: '', account: '', engagement: null, marks: [] });
    const csv = await run(process.execPath, ['--import', 'tsx', 'lib/cli/scan-main.ts', '--format', 'csv', files[0]!], { cwd: PROJECT_ROOT });
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toMatch(/,unit,platform,unitKind,account,accountUrl,postedAt,postedAtIso,engagement,repostOf,marks,unitUrl,unitSelector,unitTitle,subtitles,pageLang,originalLang$/);
    expect(lines[1]).toContain('"reposts 1.2万 (12000); comments 3,402; likes 5.6万 (56000); read 20');
    const table = await run(process.execPath, ['--import', 'tsx', 'lib/cli/scan-main.ts', ...files], { cwd: PROJECT_ROOT });
    expect(table.stdout).toContain('weibo-timeline.html#1 (weibo: 海湾时事速递)');
    expect(table.stdout).toMatch(/2 pages, 4 rows \(one per post, video or article on platform pages\): 1 uncredited, 0 partial, 1 credited, 2 none, 0 unreadable/);
  });
});

describe('scan reports (Markdown, HTML) of platform units', () => {
  it('name the unit, account, time and figures; page strings stay inert', async () => {
    const { formatHtml, formatMarkdown } = await import('../../lib/cli/format-report');
    const row = {
      file: 'timeline.html', verdict: 'uncredited', outlet: 'xinhua', originalId: 'zh-001', originalUrl: 'https://www.news.cn/1.htm', originalTitle: 'T',
      pageCoverage: 0.9, originalCoverage: 0.3, credited: false, passages: 0, reuse: 'verbatim', evidence: [], confidence: 0.8, outletName: 'Xinhua',
      unit: '2/3', platform: 'weibo', unitKind: 'post', account: '<img src=x onerror=alert(1)>[link](javascript:x)', accountUrl: 'javascript:alert(1)',
      postedAt: '5-20 21:06', postedAtIso: '2026-05-20T21:06:00+08:00', unitUrl: 'https://weibo.com/1/P',
      engagement: { reposts: { shown: '1.2万', value: 12000 }, readAt: '2026-12-01T08:00:00.000Z' }, repostOf: { account: '新华社', accountUrl: '', text: '原文' }, marks: [],
    };
    const info = { date: '2026-12-01', index: 'the bundled starter index', originals: 48, sensitivity: 'normal' };
    const md = formatMarkdown([row], info);
    expect(md).toContain('## 1. timeline.html\\#2 — likely uncredited copy of Xinhua');
    expect(md).toContain('- **Unit:** weibo post 2/3 on the page');
    expect(md).toContain('- **Posted:** 5-20 21:06 (2026-05-20T21:06:00+08:00)');
    expect(md).toContain('- **Figures as shown:** reposts 1.2万 (12000); read 2026-12-01T08:00:00.000Z');
    expect(md).toContain('- **Unit address:** <https://weibo.com/1/P>');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\[link\\](javascript:x)');
    expect(md).not.toContain('<javascript:');
    const html = formatHtml([row], info);
    expect(html).toContain('<dt>Account</dt><dd>&lt;img src=x onerror=alert(1)&gt;[link](javascript:x)</dd>');
    expect(html).toContain('<dt>Account address</dt><dd>javascript:alert(1)</dd>');
    expect(html).toContain('<dt>Reposts</dt><dd>新华社: 原文</dd>');
  });
});
