/**
 * The public report as people see it, in Debian's Chromium: the review page
 * shows the coordination signals (each opens its case) and downloads the
 * public report (the golden bytes); the downloaded report opens under its own
 * strict CSP with no violation, its charts drawn, hostile report text shown
 * as text. Screenshots go to test-results/publish/ to be looked at.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addAccount, PASSWORD } from '../support/centre';
import { buildPublishFixture } from '../support/publish-fixture';
import { makeBackend, type Backend } from '../support/report-backends';

const GOLDEN = new URL('../fixtures/publish/2026-W48/', import.meta.url).pathname;
const GOLDEN_ZH = new URL('../fixtures/publish/2026-W48-zh/', import.meta.url).pathname;
const SHOTS = 'test-results/publish';

describe('public report in Chromium', () => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let browser: Browser;
  const tmp = mkdtempSync(join(tmpdir(), 'publish-page-'));

  beforeAll(async () => {
    backend = await makeBackend('sqlite');
    store = await backend.open();
    await buildPublishFixture(store);
    await addAccount(store, 'erin', 'reviewer');
    server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await backend?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  function watch(page: Page, problems: string[]) {
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
  }

  it('the review page lists the signals, opens their cases, and downloads the public report', async () => {
    const problems: string[] = [];
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    watch(page, problems);
    await page.goto(`${server.origin}/review`);
    await page.fill('#account-name', 'erin');
    await page.fill('#account-password', PASSWORD);
    await page.click('#account-login button[type=submit]');
    await page.waitForSelector('#signal-same tbody tr');
    // The page asks for the last four weeks; the fixture's week is 2026-W48: from the 1st of November.
    const fourWeeks = new Date(Date.now() - 28 * 86400000).toISOString().slice(0, 10);
    expect([fourWeeks, new Date(Date.now() - 28 * 86400000 - 60_000).toISOString().slice(0, 10)]).toContain(await page.inputValue('#signal-from'));
    await page.fill('#signal-from', '2026-11-01');
    await page.click('#signal-form button[type=submit]');
    await page.waitForFunction(() => /^#1/.test(document.querySelector('#signal-same tbody tr')?.textContent ?? ''));
    expect(await page.inputValue('#signal-accounts')).toBe('3');
    const same = await page.locator('#signal-same tbody tr').allInnerTexts();
    expect(same).toHaveLength(1);
    expect(same[0]).toMatch(/^#1\txinhua\thttps:\/\/english\.news\.cn\/20261123\/f1c2a7e0b1\/c\.html\t3\t75\t/);
    const fast = await page.locator('#signal-fast tbody tr').allInnerTexts();
    expect(fast).toHaveLength(1);
    expect(fast[0]).toMatch(/^weibo\t晨光快讯\txinhua\t3 \/ 3\t0\t/);
    // Lower the threshold: two accounts within an hour.
    await page.fill('#signal-accounts', '2');
    await page.fill('#signal-hours', '1');
    await page.click('#signal-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#signal-same tbody tr').length === 3);
    // A signal's case button opens the case: its evidence.
    await page.locator('#signal-fast tbody tr').first().locator('button', { hasText: '#5' }).click();
    await page.waitForFunction(() => /^Case #5 /.test(document.querySelector('#case-view h3')?.textContent ?? ''));
    await page.locator('#signals').screenshot({ path: `${SHOTS}/review-signals.png` });

    await page.fill('#public-period', '2026-W48');
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-public="report.json"]')]);
    expect(json.suggestedFilename()).toBe('report.json');
    expect(readFileSync(await json.path()).equals(readFileSync(join(GOLDEN, 'report.json')))).toBe(true);
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-public="index.html"]')]);
    expect(readFileSync(await html.path()).equals(readFileSync(join(GOLDEN, 'index.html')))).toBe(true);
    // The page in Chinese: the golden Chinese page; the data the same.
    await page.selectOption('#public-lang', 'zh');
    const [zhHtml] = await Promise.all([page.waitForEvent('download'), page.click('[data-public="index.html"]')]);
    expect(readFileSync(await zhHtml.path()).equals(readFileSync(join(GOLDEN_ZH, 'index.html')))).toBe(true);
    const [zhJson] = await Promise.all([page.waitForEvent('download'), page.click('[data-public="report.json"]')]);
    expect(readFileSync(await zhJson.path()).equals(readFileSync(join(GOLDEN, 'report.json')))).toBe(true);
    await page.selectOption('#public-lang', 'en');
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('[data-public="report.zip"]')]);
    expect(zip.suggestedFilename()).toBe('report-2026-W48.zip');
    expect(readFileSync(await zip.path()).subarray(0, 4).toString('hex')).toBe('504b0304');
    await page.waitForFunction(() => document.querySelector('#message')?.textContent === 'Downloaded the public report 2026-W48 (report.zip).');
    // A period the server refuses: its reason, on the page.
    await page.fill('#public-period', '2026-W99');
    await page.click('[data-public="report.json"]');
    await page.waitForFunction(() => /^400 .*: query period 2026-W99: 2026 has ISO weeks 01 to 53$/.test(document.querySelector('#message')?.textContent ?? ''));
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await context.close();
  });

  it('the published page opens under its own CSP without a violation: charts drawn, report text as text', async () => {
    const dir = join(tmp, 'report');
    mkdirSync(dir);
    for (const f of ['index.html', 'report.json']) writeFileSync(join(dir, f), readFileSync(join(GOLDEN, f)));
    const problems: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    watch(page, problems);
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    expect(await page.title()).toBe('Uncredited reuse of state-media articles: 2026-W48');
    // The stylesheet applied (allowed by its hash): the figures are laid out as boxes.
    expect(await page.locator('.figures li').first().evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');
    // Three overview charts and one timeline per case, each with a title for screen readers.
    expect(await page.locator('svg.chart').count()).toBe(3 + 6);
    expect(await page.locator('svg.chart > title').count()).toBe(9);
    const bars = await page.locator('#per-day-t').evaluate((t) => t.parentElement!.querySelectorAll('rect.bar').length);
    expect(bars).toBe(7);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.locator('#case-9 img, #case-9 b, script').count()).toBe(0);
    expect(await page.locator('#case-9').innerText()).toContain('<script>alert("title")</script> 航拍古城');
    expect(await page.locator('#case-9 a[href^="http://"]').count()).toBe(0);
    expect(await page.locator('td', { hasText: '古城<b>影像</b>' }).count()).toBe(2); // the accounts table and the case's copies
    await page.screenshot({ path: `${SHOTS}/report-2026-W48.png`, fullPage: true });
    await page.locator('#case-2').evaluate((e) => e.querySelector('details')!.setAttribute('open', ''));
    await page.locator('#case-2').screenshot({ path: `${SHOTS}/report-2026-W48-case-2.png` });
    expect(problems).toEqual([]);
    await page.close();

    // The Chinese page: the same policy, no violation, report text as text.
    writeFileSync(join(dir, 'index.html'), readFileSync(join(GOLDEN_ZH, 'index.html')));
    const zh = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    watch(zh, problems);
    await zh.goto(pathToFileURL(join(dir, 'index.html')).href);
    expect(await zh.title()).toBe('官方媒体文章未注明出处的转载：2026年第48周');
    expect(await zh.locator('.figures li').first().evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');
    expect(await zh.locator('svg.chart').count()).toBe(3 + 6);
    expect(await zh.locator('#case-9 img, #case-9 b, script').count()).toBe(0);
    expect(await zh.locator('#case-9').innerText()).toContain('<script>alert("title")</script> 航拍古城');
    await zh.screenshot({ path: `${SHOTS}/report-2026-W48-zh.png`, fullPage: true });
    expect(problems).toEqual([]);
    await zh.close();
  });
});
