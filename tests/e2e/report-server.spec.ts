/**
 * The whole reporting path with the real collection server (SQLite): report
 * from the badge on a demo page, agree to the exact body, the report arrives
 * once on the server, and appears on the server's review page.
 */
import { readFileSync } from 'node:fs';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addToken, makeBackend, type Backend } from '../support/report-backends';
import { badge, expect, test } from './fixtures';
import { configureSending } from './reporting';

const expected: Record<string, { originalId?: string; outlet?: string }> = JSON.parse(readFileSync('public/demo/expected.json', 'utf8'));

let backend: Backend;
let store: ReportStore;
let collector: RunningServer;
let reporter: string;
let admin: string;

test.beforeEach(async () => {
  backend = await makeBackend('sqlite');
  store = await backend.open();
  reporter = await addToken(store, 'reader-1');
  admin = await addToken(store, 'analyst', true);
  collector = await startReportServer({ store, ratePerMinute: 0 });
});
test.afterEach(async () => {
  await collector.close();
  await store.close();
  await backend.cleanup();
});

test('a report from the badge on a demo page arrives once on the collection server and shows on its review page', async ({ context, extensionId, server }) => {
  const demo = 'zh-wechat-copy.html';
  const want = expected[demo]!;
  await configureSending(context, extensionId, collector.origin, reporter);

  const page = await context.newPage();
  await page.goto(`${server.origin}/demo/${demo}`);
  const b = badge(page);
  await b.open();
  const [reports] = await Promise.all([context.waitForEvent('page'), b.clickButton('Report')]);
  await reports.locator('textarea[name=note]').fill('整篇照搬，没有注明来源。');
  await reports.locator('button[type=submit]').click();
  await reports.locator('button.review-report').click();
  await expect(reports).toHaveURL(/reports\.html\?review=/);
  const uid = new URL(reports.url()).searchParams.get('review')!;
  const consent = reports.locator('.consent');
  await expect(consent).toContainText(`${collector.origin}/api/reports`);
  const shown = (await consent.locator('.consent-body').textContent())!;
  await consent.getByRole('button', { name: 'Agree and send' }).click();
  await expect(reports.locator('.report-item .state')).toHaveText('Sent');

  // On the server: exactly one report, with the page, the match and the reader's words.
  const list = await fetch(`${collector.origin}/api/reports`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json() as Promise<{ reports: Array<Record<string, unknown>> }>);
  expect(list.reports).toHaveLength(1);
  // A WeChat article (recognised by its shape on 127.0.0.1): the report names the platform and carries the account and the article's text.
  expect(list.reports[0]).toMatchObject({ url: `${server.origin}/demo/${demo}`, platform: 'wechat', originalId: want.originalId, outlet: want.outlet, note: '整篇照搬，没有注明来源。', reporter: 'reader-1', status: 'new' });
  expect(list.reports[0]).toMatchObject({ account: { name: '湖城生活圈' } });
  expect(String(list.reports[0]!.unitText).length).toBeGreaterThan(100);
  // Sending it again (a retry after a lost answer) does not make a second one.
  await reports.evaluate(`chrome.runtime.sendMessage({ type: 'outbox-run', data: {} })`);
  const replay = await fetch(`${collector.origin}/api/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${reporter}`, 'idempotency-key': uid, 'content-type': 'application/json' },
    body: shown,
  });
  expect(replay.status).toBe(200);
  const after = await fetch(`${collector.origin}/api/reports`, { headers: { authorization: `Bearer ${admin}` } }).then((r) => r.json() as Promise<{ reports: unknown[] }>);
  expect(after.reports).toHaveLength(1);

  // The analyst's review page lists it under its original.
  const review = await context.newPage();
  await review.goto(`${collector.origin}/review`);
  await review.fill('#token', admin);
  await review.click('#login button[type=submit]');
  await expect(review.locator('.report')).toHaveCount(1);
  await expect(review.locator('#groups h3')).toHaveText(`${want.outlet} — ${want.originalId} (1)`);
  await expect(review.locator('.report').first()).toContainText('整篇照搬，没有注明来源。');
  await review.screenshot({ path: 'test-results/e2e/review-page.png', fullPage: true });
});
