/**
 * The review page in Debian's Chromium under its own CSP: it loads reports
 * with a pasted admin token, groups and counts them, changes a status, offers
 * downloads, and shows hostile report text as text. Needs /usr/bin/chromium
 * (or CHROMIUM_PATH), like the end-to-end tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addToken, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

describe('review page', () => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;
  let reporterToken: string;

  beforeAll(async () => {
    backend = await makeBackend('sqlite');
    store = await backend.open();
    admin = await addToken(store, 'reviewer', true);
    const rep = await addToken(store, 'reporter');
    reporterToken = rep;
    server = await startReportServer({ store, ratePerMinute: 0 });
    const o = server.origin;
    await post(o, rep, 'a', makeReport(1, { originalId: 'xh-1', title: '<img src=x onerror=alert(1)>', note: '<b>not bold</b>' }));
    await post(o, rep, 'b', makeReport(2, { originalId: 'xh-1', platform: 'weibo' }));
    await post(o, rep, 'c', makeReport(3, { originalId: 'xh-1', createdAt: '2026-10-01T00:00:00Z' }));
    await post(o, rep, 'd', makeReport(4, { outlet: 'cgtn', originalId: 'cgtn-9' }));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await backend?.cleanup();
  });

  it('groups, counts, sets a status and downloads, with report text shown as text', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
    await page.goto(`${server.origin}/review`);
    await page.fill('#token', admin);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('.report');

    expect(await page.locator('#groups h3').allInnerTexts()).toEqual(['xinhua — xh-1 (3)', 'cgtn — cgtn-9 (1)']);
    expect(await page.locator('#per-platform tbody').innerText()).toBe('news\t3\nweibo\t1');
    expect(await page.locator('#per-week tbody').innerText()).toBe('2026-W40\t1\n2026-W47\t3');
    const first = page.locator('.report').first();
    expect(await first.innerText()).toContain('#1 <img src=x onerror=alert(1)>');
    expect(await first.innerText()).toContain('<b>not bold</b>');
    expect(await page.locator('#groups img, #groups b').count()).toBe(0);

    await first.locator('button', { hasText: 'Confirm' }).click();
    await page.waitForFunction(() => document.querySelector('#message')?.textContent === 'Report #1 is now confirmed.');
    expect(await page.locator('.report').count()).toBe(3); // the list shows "new" reports by default
    const stored = (await request(server.origin, '/api/reports?status=confirmed', admin)).body.reports;
    expect(stored.map((r: { id: number }) => r.id)).toEqual([1]);

    // xh-1 is in the index already: no export replaces it. A confirmed report about an original the
    // index lacks (the reader pasted its address) is exported, as an original and as an address.
    const fresh = await post(server.origin, reporterToken, 'e', makeReport(5, { originalId: '', originalUrl: 'https://www.news.cn/new/5.htm' }));
    expect((await request(server.origin, `/api/reports/${fresh.body.id}`, admin, { method: 'PATCH', body: JSON.stringify({ status: 'confirmed' }) })).status).toBe(200);
    const download = page.waitForEvent('download');
    await page.click('[data-name="originals.jsonl"]');
    const file = await (await download).path();
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ id: 'https://www.news.cn/new/5.htm', url: 'https://www.news.cn/new/5.htm', text: 'original text 5' }),
    ]);
    const addresses = page.waitForEvent('download');
    await page.click('[data-name="originals.txt"]');
    expect(readFileSync(await (await addresses).path(), 'utf8')).toBe('https://www.news.cn/new/5.htm\n');

    // The token stays for the tab's session: a reload shows the reports again without pasting it.
    await page.reload();
    await page.waitForSelector('.report');
    expect(problems).toEqual([]);
  });

  it('shows a report stored before bidi controls were refused without them', async () => {
    // Straight into the store: the API refuses such a report now (tested in api.test.ts).
    const legacy = makeReport(6, { originalId: 'xh-6', outlet: 'xin\u2066hua\u2069', title: 'Invoice \u202egpj.exe', note: 'see \u200f\u061cthis', url: 'https://copy.example/\u202e6' });
    const id = (await store.insertReport(1, 'legacy-bidi', 'h', legacy, new Date().toISOString())) as { id: number };
    const page = await browser.newPage();
    await page.goto(`${server.origin}/review`);
    await page.fill('#token', admin);
    await page.click('#login button[type=submit]');
    const box = page.locator('.report', { hasText: `#${id.id} ` });
    await box.waitFor();
    const text = await page.locator('#groups').evaluate((e) => e.textContent ?? '');
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(await box.innerText()).toContain('Invoice gpj.exe');
    expect(await box.innerText()).toContain('see this');
    expect(await box.innerText()).toContain('https://copy.example/6');
    expect(text).toContain('xinhua — xh-6 (1)');
    await page.close();
  });
});
