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
    await expect.poll(() => b.verdict()).toBe('uncredited');
    expect(await b.mode()).toBe('closed');
    await expect.poll(() => b.text('.title')).toBe(`Likely uncredited copy of ${nameOf(EN_COPY.outlet)}`);
    await b.open();
    expect(await b.text('.otitle')).toBe(EN_COPY.title);
    expect(await b.text('.open-host')).toBe(new URL(EN_COPY.url).hostname);
    expect((await b.query('.passage'))?.visible).toBe(true);
    await page.screenshot({ path: 'test-results/e2e/badge-en-details.png' });
    // "Open the original" opens the background's own record of the original, in a new tab.
    await context.route(EN_COPY.url, (route) => route.fulfill({ contentType: 'text/html', body: '<title>original</title>' }));
    const [opened] = await Promise.all([context.waitForEvent('page'), b.click('button.open')]);
    await expect.poll(() => opened.url()).toBe(EN_COPY.url);
  });

  test('a rewritten copy: says so, and pairs each page sentence with the original sentence it was written from, shared words marked', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/demo/en-rewritten.html`);
    const b = badge(page);
    await expect.poll(() => b.verdict()).toBe('uncredited');
    expect(await b.text('.title')).toBe(`Likely an uncredited rewrite of ${nameOf('rt')}`);
    await b.open();
    expect(await b.text('.reuse')).toMatch(/^Rewritten: /);
    // Marks on both sides of a rewritten pair, and each marked word is in the sentence it marks.
    const pairs = await b.call<Array<{ page: string; marks: string[]; orig: string; origMarks: string[] }>>(`(root) =>
      [...root.querySelectorAll('li.passage-rewritten')].map((li) => {
        const [p, o] = li.querySelectorAll('blockquote');
        return { page: p.textContent, marks: [...p.querySelectorAll('mark')].map((m) => m.textContent), orig: o.textContent, origMarks: [...o.querySelectorAll('mark')].map((m) => m.textContent) };
      })`);
    expect(pairs!.length).toBeGreaterThan(3);
    for (const p of pairs!) {
      expect(p.marks.length).toBeGreaterThan(0);
      expect(p.origMarks.length).toBeGreaterThan(0);
      for (const m of p.marks) expect(p.page).toContain(m);
      for (const m of p.origMarks) expect(p.orig).toContain(m);
    }
    // The confidence figure explains itself.
    await b.click('details.confidence summary');
    expect(await b.text('details.confidence')).toMatch(/How sure the engine is/);
    await page.screenshot({ path: 'test-results/e2e/badge-rewritten-details.png' });
  });

  test('names the outlet on an uncredited Chinese WeChat-style copy', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/zh-copy`);
    const b = badge(page);
    await expect.poll(() => b.verdict()).toBe('uncredited');
    expect(await b.text('.title')).toContain(nameOf(ZH_COPY.outlet));
  });

  test('shows the muted credited state on a credited copy', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/credited`);
    const b = badge(page);
    await expect.poll(() => b.verdict()).toBe('credited');
    expect(await b.text('.title')).toBe(`Credited reuse of ${nameOf(CREDITED.outlet)}`);
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
    await expect.poll(() => badge(page).verdict()).toBe('uncredited');
    void SPA_COPY;
  });

  test('finds article text that loads late', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/late`);
    await expect.poll(() => badge(page).verdict(), { timeout: 20_000 }).toBe('uncredited');
  });

  test('works on a strict-CSP page', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/csp`);
    const b = badge(page);
    await expect.poll(() => b.verdict()).toBe('uncredited');
    // The shadow root's styles apply despite the page's style-src 'none'.
    expect(await b.call<string>(`(root) => getComputedStyle(root.querySelector('section.badge')).position`)).toBe('fixed');
  });

  test('survives a page that removes foreign nodes and overrides prototypes', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/page/hostile`);
    await page.waitForTimeout(3000);
    await expect.poll(() => badge(page).verdict()).toBe('uncredited');
    // The sweeper ran; the badge (after <body>) was out of its reach.
    expect(await page.evaluate(() => (window as unknown as { sweeps: number }).sweeps)).toBeGreaterThan(5);
  });
});
