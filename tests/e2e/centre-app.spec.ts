/**
 * The review application (/centre) in Chromium under its strict CSP, with the
 * real report server (SQLite): reviewer A triages the inbox from the keyboard
 * (help, move, dismiss), opens a case (evidence side by side, copies with
 * account and figures, timeline) and confirms it; reviewer B switches to
 * Chinese, confirms it too, and the case is confirmed by both; the week's
 * public report and the CSV export download. Hostile report text shows as
 * text, http addresses are not links. Screenshots of the inbox and the case
 * view in English and Chinese go to test-results/e2e/centre-*.png.
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addAccount, PASSWORD } from '../support/centre';
import { addToken, makeBackend, makeReport, post, type Backend } from '../support/report-backends';

let backend: Backend;
let store: ReportStore;
let server: RunningServer;
let browser: Browser;

const SHOTS = 'test-results/e2e';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA violations axe-core finds on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })`)) as { violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.beforeAll(async () => {
  backend = await makeBackend('sqlite');
  store = await backend.open();
  const rep = await addToken(store, 'reader-7');
  await addAccount(store, 'alice', 'reviewer');
  await addAccount(store, 'bob', 'reviewer');
  server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
  const o = server.origin;
  const bridge = {
    outlet: 'xinhua',
    originalId: 'xh-lanshan-7',
    originalUrl: 'https://www.news.cn/fiction/lanshan-bridge.htm',
    passages: [
      { pageText: '岚山河大桥今日合龙，全长一千二百米，预计明年春天通车。', originalText: '岚山河大桥今日顺利合龙，全长一千二百米，预计明年春天正式通车。' },
      { pageText: '施工方表示，冬季作业采用了新的保温工艺。', originalText: '施工方表示，冬季作业采用了新型保温工艺。' },
    ],
  };
  await post(o, rep, 'r1', makeReport(1, { ...bridge, url: 'https://weibo.com/7001/Lanshan1', title: '岚山河大桥合龙', platform: 'weibo', createdAt: '2026-11-17T09:05:00.000Z', originalPublished: '2026-11-17T08:30:00+08:00', account: { name: '河畔观察', url: 'https://weibo.com/u/7001' }, postedAt: { shown: '11月17日 08:52', iso: '2026-11-17T08:52:00+08:00' }, engagement: { readAt: '2026-11-17T09:05:00.000Z', reposts: { shown: '1.2万', value: 12000 }, likes: { shown: '3456', value: 3456 } } }));
  await post(o, rep, 'r2', makeReport(2, { ...bridge, url: 'https://mp.weixin.qq.com/s/lanshan-bridge', title: '岚山河大桥今日合龙', platform: 'wechat', createdAt: '2026-11-17T10:40:00.000Z', account: { name: '岚山生活圈' } }));
  await post(o, rep, 'r3', makeReport(3, { ...bridge, url: 'https://daily-brief.example/lanshan', title: 'Lanshan river bridge closes its last gap', platform: 'news', createdAt: '2026-11-18T02:00:00.000Z', verdict: 'rewrite' }));
  await post(o, rep, 'r4', makeReport(4, { url: 'http://plain.example/copy', title: '<img src=x onerror=alert(1)>Hostile title', outlet: 'cgtn', originalId: 'cgtn-44', originalUrl: 'https://news.cgtn.com/fiction/44.html', createdAt: '2026-11-19T12:00:00.000Z', note: '<script>alert(2)</script>', passages: [{ pageText: '<b>not bold</b> the orchard cooperative doubled its harvest', originalText: 'The orchard cooperative doubled its harvest' }] }));
  await post(o, rep, 'r5', makeReport(5, { url: 'https://mirror.example/weather', title: 'Weather notice, credited', outlet: 'chinadaily', originalId: 'cd-9', originalUrl: 'https://www.chinadaily.com.cn/fiction/9.html', createdAt: '2026-11-20T07:00:00.000Z' }));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
});
test.afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  await backend?.cleanup();
});

async function open(lang = 'en-GB'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
  await page.goto(`${server.origin}/centre`);
  return { page, problems };
}

async function logIn(page: Page, name: string) {
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await expect(page.locator('.who')).toContainText(name);
}

test('triage, a case confirmed by two reviewers, the week published and downloaded; English and Chinese', async () => {
  // ---- reviewer A, in English ----
  const a = await open();
  const page = a.page;
  expect((await page.request.get(`${server.origin}/centre`)).headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.locator('h2')).toHaveText('Log in to review reports');
  await logIn(page, 'alice');
  const rows = page.locator('table.cases tbody tr');
  await expect(rows).toHaveCount(3);
  // Newest first; the hostile title is text, and no element came from it.
  await expect(rows.nth(1).locator('.title')).toHaveText('<img src=x onerror=alert(1)>Hostile title');
  expect(await page.locator('img').count()).toBe(0);
  await page.screenshot({ path: `${SHOTS}/centre-inbox-en.png`, fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // Help, documented in the page.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText('confirm the selected or open case');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // j/k move the selection; d dismisses the selected case (the credited weather notice, newest: row 0).
  await expect(rows.nth(0)).toHaveClass(/selected/);
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveClass(/selected/);
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toHaveClass(/selected/);
  await expect(rows.nth(0)).toContainText('Weather notice');
  await page.keyboard.press('d');
  await expect(page.locator('.flash')).toContainText('dismissed');
  await expect(rows).toHaveCount(2);

  // Search and filters.
  await page.fill('input[name=q]', 'lanshan');
  await page.click('.filters button[type=submit]');
  await expect(rows).toHaveCount(1);
  await page.fill('input[name=q]', '');
  await page.selectOption('select[name=platform]', 'wechat');
  await page.click('.filters button[type=submit]');
  await expect(rows).toHaveCount(1);
  await page.selectOption('select[name=platform]', '');
  await page.fill('input[name=account]', '河畔观察');
  await page.click('.filters button[type=submit]');
  await expect(rows).toHaveCount(1);
  await page.fill('input[name=account]', '');
  await page.selectOption('select[name=status]', 'dismissed');
  await page.click('.filters button[type=submit]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Weather notice');
  await page.selectOption('select[name=status]', 'open');
  await page.click('.filters button[type=submit]');
  await expect(rows).toHaveCount(2);

  // Open the bridge case from the keyboard (row 1 after the hostile one).
  await expect(rows.nth(1)).toContainText('岚山河大桥');
  // The filter's submit button still has the focus: keys go to the inbox once it is left.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(rows.nth(0)).toHaveClass(/selected/);
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveClass(/selected/);
  await page.keyboard.press('o');
  await expect(page.locator('.case h2')).toContainText('Case');
  const passages = page.locator('.evidence .passage');
  await expect(passages.first().locator('blockquote').first()).toHaveText('岚山河大桥今日合龙，全长一千二百米，预计明年春天通车。');
  await expect(passages.first().locator('blockquote').nth(1)).toHaveText('岚山河大桥今日顺利合龙，全长一千二百米，预计明年春天正式通车。');
  const copies = page.locator('.copies tbody tr');
  await expect(copies).toHaveCount(3);
  await expect(copies.first()).toContainText('河畔观察');
  await expect(copies.first()).toContainText('1.2万 reposts');
  await expect(copies.first()).toContainText('11月17日 08:52');
  await expect(copies.first().locator('a[href="https://weibo.com/u/7001"]')).toHaveCount(1);
  await expect(page.locator('.timeline .event.copy-first-seen')).toHaveCount(3);
  await expect(page.locator('.timeline svg circle')).toHaveCount(3);
  // The original's publication time (one report gave it) starts the timeline; the first copy came 8 h 35 min later.
  await expect(page.locator('.timeline .event').first()).toHaveClass(/original-published/);
  await expect(page.locator('.timeline .event').first()).toContainText('original published');
  await expect(page.locator('.timeline .event.copy-first-seen').first().locator('.lag')).toHaveText('+8 h 35 min');
  await page.fill('textarea[name=note]', 'Passages checked against the outlet page.');
  await page.click('.notes button[type=submit]');
  await expect(page.locator('.notes li')).toHaveCount(1);
  await page.keyboard.press('c');
  await expect(page.locator('.four-eyes')).toHaveText('Confirmations: 1 of 2 needed (four-eyes rule)');
  await expect(page.locator('.confirmed-by li')).toHaveCount(1);
  await expect(page.locator('.confirmed-by')).toContainText('alice');
  await expect(page.locator('button.confirm')).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/centre-case-en.png`, fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  const caseUrl = page.url();

  // The hostile case: text stays text; an http address is not a link.
  await page.goto(`${server.origin}/centre#/`);
  await page.locator('table.cases tbody tr', { hasText: 'Hostile title' }).locator('a').click();
  await expect(page.locator('.case .title')).toHaveText('<img src=x onerror=alert(1)>Hostile title');
  await expect(page.locator('.evidence blockquote').first()).toHaveText('<b>not bold</b> the orchard cooperative doubled its harvest');
  await expect(page.locator('.copies a[href^="http:"]')).toHaveCount(0);
  await expect(page.locator('.copies .plain-url')).toHaveText('http://plain.example/copy');
  expect(await page.locator('img, b, script:not([src])').count()).toBe(0);
  await page.click('button.ghost:has-text("Log out")');
  await expect(page.locator('h2')).toHaveText('Log in to review reports');
  expect(a.problems).toEqual([]);

  // ---- reviewer B, switches to Chinese ----
  const b = await open();
  const pb = b.page;
  await pb.selectOption('.lang select', 'zh');
  await expect(pb.locator('h2')).toHaveText('登录以审阅举报');
  await logIn(pb, 'bob');
  await expect(pb.locator('table.cases tbody tr')).toHaveCount(2);
  await expect(pb.locator('table.cases th').first()).toHaveText('案件');
  await pb.screenshot({ path: `${SHOTS}/centre-inbox-zh.png`, fullPage: true });
  await pb.goto(caseUrl);
  await pb.reload(); // the language stays as chosen
  await expect(pb.locator('.four-eyes')).toHaveText('确认：1 / 需要 2（双人复核）');
  await pb.click('button.confirm');
  await expect(pb.locator('.case h2 .status')).toHaveText('已确认');
  await expect(pb.locator('.confirmed-by li')).toHaveCount(2);
  await expect(pb.locator('.confirmed-by')).toContainText('alice');
  await expect(pb.locator('.confirmed-by')).toContainText('bob');
  await expect(pb.locator('.audit li code').filter({ hasText: /^confirm$/ })).toHaveCount(2);
  await pb.screenshot({ path: `${SHOTS}/centre-case-zh.png`, fullPage: true });

  // Publish the week (2026-W47: 16–22 November) and download it.
  await pb.goto(`${server.origin}/centre#/`);
  await pb.fill('input[name=period]', '2026-W47');
  const [zip] = await Promise.all([pb.waitForEvent('download'), pb.click('.publish a.primary')]);
  expect(zip.suggestedFilename()).toBe('report-2026-W47.zip');
  const zipBytes = readFileSync((await zip.path())!);
  expect(zipBytes.subarray(0, 2).toString()).toBe('PK');
  const [json] = await Promise.all([pb.waitForEvent('download'), pb.click('.publish a:has-text("JSON")')]);
  const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(report.totals.cases).toBe(1);
  expect(JSON.stringify(report)).toContain('https://weibo.com/7001/Lanshan1');
  expect(JSON.stringify(report)).not.toContain('reader-7');
  // The page follows the application's language (Chinese here) unless another is chosen; the data stays the same.
  await expect(pb.locator('select[name=report-lang]')).toHaveValue('zh');
  const [zhPage] = await Promise.all([pb.waitForEvent('download'), pb.click('.publish a:has-text("HTML")')]);
  const zhHtml = readFileSync((await zhPage.path())!, 'utf8');
  expect(zhHtml).toContain('<html lang="zh-Hans">');
  expect(zhHtml).toContain('2026年第47周');
  await pb.selectOption('select[name=report-lang]', 'en');
  const [enPage] = await Promise.all([pb.waitForEvent('download'), pb.click('.publish a:has-text("HTML")')]);
  const enHtml = readFileSync((await enPage.path())!, 'utf8');
  expect(enHtml).toContain('<html lang="en">');
  expect(enHtml).toContain('Uncredited reuse of state-media articles: 2026-W47');
  // The reports export: CSV with a UTF-8 byte-order mark, Chinese intact.
  const [csv] = await Promise.all([pb.waitForEvent('download'), pb.click('.exports a:has-text("CSV")')]);
  const csvBytes = readFileSync((await csv.path())!);
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csvBytes.toString('utf8')).toContain('岚山河大桥合龙');
  expect(b.problems).toEqual([]);
});
