import { badge, expect, newestTabId, test } from './fixtures';
import { EN_COPY } from './test-pages';

test.describe('popup and options', () => {
  test('popup shows the tab’s verdict, index status, search and recent detections', async ({ context, extensionId, server }) => {
    const page = await context.newPage();
    const url = `${server.origin}/page/en-copy`;
    await page.goto(url);
    await expect.poll(() => badge(page).verdict()).toBe('uncredited');
    const tabId = await newestTabId(context);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await expect(popup.locator('.verdict .head')).toContainText('Likely uncredited copy of');
    await expect(popup.locator('.verdict a')).toHaveText(EN_COPY.title);
    await expect(popup.locator('.status')).toContainText('48 originals from 16 outlets');
    await popup.fill('input[type=search]', 'Lanfeng rice harvest');
    await expect(popup.locator('.results li').first()).toContainText('Lanfeng Valley');
    // Answered by the background's term table: Traditional finds Simplified and the other way round, outlets by name.
    await popup.fill('input[type=search]', '城際鐵路 青嵐');
    await expect(popup.locator('.results li').first()).toContainText('青岚至云溪城际铁路正式开通运营');
    await popup.fill('input[type=search]', '丽汀湾 花灯');
    await expect(popup.locator('.results li').first()).toContainText('麗汀灣中秋文化節開幕');
    await popup.fill('input[type=search]', 'Xinhua 城际');
    await expect(popup.locator('.results li').first()).toContainText('青岚至云溪城际铁路');
    await popup.fill('input[type=search]', 'qqqzzzxxx');
    await expect(popup.locator('.results li')).toHaveCount(0);
    await expect(popup.locator('section[aria-labelledby=search] .muted')).toBeVisible();
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
    await expect.poll(() => b.text('.title')).toContain('疑似未註明出處轉載自');
    await b.open();
    await page.screenshot({ path: 'test-results/e2e/badge-zh-hant.png' });
  });

  test('"Not a copy" and "Hide on this site" take effect once confirmed in the extension, and persist across reloads', async ({ context, extensionId, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await b.open();
    // The badge only asks: the confirmation page of the extension opens next to the page.
    const [confirm] = await Promise.all([context.waitForEvent('page'), b.clickButton('Not a copy')]);
    await expect(confirm).toHaveURL(new RegExp(`^chrome-extension://${extensionId}/confirm\\.html\\?id=`));
    await expect(confirm.locator('h1')).toHaveText('Mark this page as not a copy?');
    await expect(confirm.locator('.confirm-what')).toContainText(EN_COPY.title);
    await expect.poll(() => b.text('.note')).toBe('Confirm in the tab that opened.');
    expect(await b.verdict()).toBe('uncredited'); // nothing changed yet
    await confirm.setViewportSize({ width: 640, height: 420 });
    await confirm.screenshot({ path: 'test-results/e2e/confirm-not-a-copy.png' });
    await confirm.locator('button.confirm').click();
    await expect.poll(() => confirm.isClosed()).toBe(true);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    await page.reload();
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    // A different copy on the same site still gets its badge, until the site is hidden.
    await page.goto(`${server.origin}/page/credited`);
    await expect.poll(() => b.verdict()).toBe('credited');
    await b.open();
    const [confirmSite] = await Promise.all([context.waitForEvent('page'), b.clickButton('Hide on this site')]);
    await expect(confirmSite.locator('h1')).toHaveText('Hide the badge on 127.0.0.1?');
    await confirmSite.setViewportSize({ width: 640, height: 360 });
    await confirmSite.screenshot({ path: 'test-results/e2e/confirm-hide-site.png' });
    await confirmSite.locator('button.confirm').click();
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    await page.goto(`${server.origin}/page/zh-copy`);
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
  });

  test('highlights matched passages on the page; reports in the extension’s form', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await b.open();
    await b.clickButton('Highlight on page');
    await expect.poll(() => b.text('button.highlight')).toBe('Remove highlight');
    const highlighted = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('provenance-match');
      return h ? [...h].map((r) => r.toString()).join(' ') : '';
    });
    expect(highlighted.length).toBeGreaterThan(500);
    // The report is written in the extension's report form, not in the page.
    const [form] = await Promise.all([context.waitForEvent('page'), b.clickButton('Report')]);
    await expect(form.locator('.evidence')).toContainText('Evidence attached:');
    await form.locator('textarea[name=note]').fill('Seen on a forum.');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved in your local reports.');
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
  await expect.poll(() => badge(page).verdict(), { timeout: 30_000 }).toBe('uncredited');
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks);
  // The page has no script of its own after load: any long task after it is the extension's.
  const after = tasks.filter((t) => t.start > loadEnd + 50);
  expect(after, JSON.stringify(tasks)).toEqual([]);
});
