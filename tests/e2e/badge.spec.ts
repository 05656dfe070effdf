import { readFileSync } from 'node:fs';
import { badge, expect, test } from './fixtures';
import { CREDITED, EN_COPY, OWN_SITE, SPA_COPY, ZH_COPY } from './test-pages';

const outlets: Array<{ id: string; names: Record<string, string> }> = JSON.parse(readFileSync('public/outlets.json', 'utf8')).outlets;
const nameOf = (id: string, lang = 'en') => outlets.find((o) => o.id === id)!.names[lang]!;

test.describe('badge on pages', () => {
  test('names the outlet on an uncredited English copy, with evidence', async ({ context, extensionId, server }) => {
    void extensionId;
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await expect(b).toBeVisible();
    await expect(b).toHaveClass(/verdict-uncredited/);
    await expect(b.locator('.title')).toHaveText(`Likely uncredited copy of ${nameOf(EN_COPY.outlet)}`);
    await b.locator('.pill').click();
    await expect(b.locator('.otitle')).toHaveText(EN_COPY.title);
    await expect(b.locator('a.open')).toHaveAttribute('href', EN_COPY.url);
    await expect(b.locator('.passage').first()).toBeVisible();
    await page.screenshot({ path: 'test-results/e2e/badge-en-details.png' });
  });

  test('names the outlet on an uncredited Chinese WeChat-style copy', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/zh-copy`);
    const b = badge(page);
    await expect(b).toHaveClass(/verdict-uncredited/);
    await expect(b.locator('.title')).toContainText(nameOf(ZH_COPY.outlet));
  });

  test('shows the muted credited state on a credited copy', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/credited`);
    const b = badge(page);
    await expect(b).toHaveClass(/verdict-credited/);
    await expect(b.locator('.title')).toHaveText(`Credited reuse of ${nameOf(CREDITED.outlet)}`);
  });

  test('shows nothing on unrelated pages and on the original’s own site', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/unrelated`);
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    const port = new URL(server.origin).port;
    void OWN_SITE;
    await page.goto(`http://www.globaltimes.cn:${port}/page/own-site`);
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
  });

  test('follows SPA navigation to a copy', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/spa`);
    await page.waitForTimeout(1500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
    await page.click('#go');
    await expect(badge(page)).toHaveClass(/verdict-uncredited/);
    void SPA_COPY;
  });

  test('finds article text that loads late', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/late`);
    await expect(badge(page)).toHaveClass(/verdict-uncredited/, { timeout: 20_000 });
  });

  test('works on a strict-CSP page', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/csp`);
    const b = badge(page);
    await expect(b).toHaveClass(/verdict-uncredited/);
    // The shadow root's styles apply despite the page's style-src 'none'.
    const position = await b.evaluate((el) => getComputedStyle(el).position);
    expect(position).toBe('fixed');
  });

  test('survives a page that removes foreign nodes and overrides prototypes', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/hostile`);
    await page.waitForTimeout(3000);
    await expect(badge(page)).toHaveClass(/verdict-uncredited/);
    expect(await page.evaluate(() => (window as unknown as { removed: number }).removed)).toBeGreaterThan(0);
  });
});
