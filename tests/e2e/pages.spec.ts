import type { BrowserContext } from '@playwright/test';
import { badge, expect, test } from './fixtures';
import { EN_COPY } from './test-pages';

/** The id of the newest tab (the page just opened; without the "tabs" permission URLs are not visible). */
async function newestTabId(context: BrowserContext): Promise<number> {
  const [worker] = context.serviceWorkers();
  return worker!.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { tabs: { query: (q: object) => Promise<Array<{ id?: number }>> } } }).chrome;
    return Math.max(...(await api.tabs.query({})).map((t) => t.id ?? -1));
  });
}

test.describe('popup and options', () => {
  test('popup shows the tab’s verdict, index status, search and recent detections', async ({ context, extensionId, server }) => {
    const page = await context.newPage();
    const url = `${server.origin}/page/en-copy`;
    await page.goto(url);
    await expect(badge(page)).toHaveClass(/verdict-uncredited/);
    const tabId = await newestTabId(context);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await expect(popup.locator('.verdict .head')).toContainText('Likely uncredited copy of');
    await expect(popup.locator('.verdict a')).toHaveText(EN_COPY.title);
    await expect(popup.locator('.status')).toContainText('48 originals from 16 outlets');
    await popup.fill('input[type=search]', 'Lanfeng rice harvest');
    await expect(popup.locator('.results li').first()).toContainText('Lanfeng Valley');
    await expect(popup.locator('.recent li').first()).toContainText('Port opens new berths');
    await popup.setViewportSize({ width: 380, height: 640 });
    await popup.screenshot({ path: 'test-results/e2e/popup.png', fullPage: true });
    await popup.getByRole('button', { name: 'Clear' }).click();
    await expect(popup.locator('.recent li')).toHaveCount(0);
  });

  test('options: language switch applies to the badge; settings persist', async ({ context, extensionId, server }) => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.locator('h1')).toHaveText('Provenance Badges: options');
    await options.screenshot({ path: 'test-results/e2e/options-en.png', fullPage: true });
    await options.selectOption('select', 'zh-Hant');
    await expect(options.locator('h1')).toHaveText('來源標記：設定');
    await options.getByLabel('高：標記較小的重合').check();
    await options.screenshot({ path: 'test-results/e2e/options-zh-hant.png', fullPage: true });
    await options.reload();
    await expect(options.getByLabel('高：標記較小的重合')).toBeChecked();
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/zh-copy`);
    const b = badge(page);
    await expect(b.locator('.title')).toContainText('疑似未註明出處轉載自');
    await b.locator('.pill').click();
    await page.screenshot({ path: 'test-results/e2e/badge-zh-hant.png' });
  });

  test('"Not a copy" and "Hide on this site" persist across reloads', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await b.locator('.pill').click();
    await b.getByRole('button', { name: 'Not a copy' }).click();
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    await page.reload();
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    // A different copy on the same site still gets its badge, until the site is hidden.
    await page.goto(`${server.origin}/page/credited`);
    await expect(badge(page)).toBeVisible();
    await badge(page).locator('.pill').click();
    await badge(page).getByRole('button', { name: 'Hide on this site' }).click();
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    await page.goto(`${server.origin}/page/zh-copy`);
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
  });

  test('highlights matched passages on the page and reports locally', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await b.locator('.pill').click();
    await b.getByRole('button', { name: 'Highlight on page' }).click();
    const highlighted = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('provenance-match');
      return h ? [...h].map((r) => r.toString()).join(' ') : '';
    });
    expect(highlighted.length).toBeGreaterThan(500);
    await b.getByRole('button', { name: 'Report' }).click();
    await b.locator('textarea').fill('Seen on a forum.');
    await b.getByRole('button', { name: 'Save' }).click();
    await expect(b.locator('.note')).toHaveText('Saved in your local reports.');
  });
});

test('no long task from the extension on a page with 200k elements', async ({ context, server }) => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.origin}/page/big`);
  const loadEnd = await page.evaluate(() => performance.timing.loadEventEnd - performance.timing.navigationStart);
  expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeGreaterThan(200_000);
  await expect(badge(page)).toHaveClass(/verdict-uncredited/, { timeout: 30_000 });
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks);
  // The page has no script of its own after load: any long task after it is the extension's.
  const after = tasks.filter((t) => t.start > loadEnd + 50);
  expect(after, JSON.stringify(tasks)).toEqual([]);
});
