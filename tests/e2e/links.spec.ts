/**
 * Link marks in Chromium with the built extension: after the reader has read
 * a copy (its verdict is in this browser's history), a page linking to that
 * copy, to an original in the index and to an unrelated page marks the first
 * two, in closed shadow roots the page cannot read; hovering a mark shows what
 * the target is; a hidden link is not asked about; the page's layout does not move.
 */
import { ClosedBadge } from './closed-badge';
import { badge, expect, test } from './fixtures';
import { stripEveryTime } from './hostile-pages';
import { OWN_SITE } from './test-pages';

test('links to a copy the reader has seen and to an original in the index are marked; others are not', async ({ context, server }) => {
  const port = new URL(server.origin).port;
  const copy = await context.newPage();
  await copy.goto(`http://copycat.test:${port}/page/en-copy`);
  await expect.poll(() => badge(copy).verdict()).toBe('uncredited');
  await copy.close();

  const page = await context.newPage();
  await page.goto(`${server.origin}/page/links`);
  const followed = () => page.evaluate(() => [...document.querySelectorAll('li a')].map((a) => [a.id, a.nextElementSibling?.tagName ?? null]));
  await expect
    .poll(followed)
    .toEqual([
      ['copy', 'PROVENANCE-LINK'],
      ['original', 'PROVENANCE-LINK'],
      ['unrelated', null],
      ['hidden', null],
    ]);
  // The page sees an empty host with no shadow root it can open, and no text of ours.
  const seen = await page.evaluate(() => {
    const host = document.querySelector('provenance-link') as HTMLElement;
    const r = host.getBoundingClientRect();
    return { shadowRoot: String(host.shadowRoot), text: host.textContent, size: [r.width, r.height], bodyHasVerdict: document.body.innerText.includes('Uncredited copy') };
  });
  expect(seen).toEqual({ shadowRoot: 'null', text: '', size: [0, 0], bodyHasVerdict: false });

  const copyMark = new ClosedBadge(page, '#copy + provenance-link');
  const originalMark = new ClosedBadge(page, '#original + provenance-link');
  expect(await copyMark.query('b')).toMatchObject({ className: 'uncredited', visible: true });
  expect((await copyMark.query('b'))!.text).toBe('Uncredited copy of CCTV');
  const orig = (await originalMark.query('b'))!;
  expect(orig.className).toBe('original');
  expect(orig.text).toBe(`Original article by Global Times: ${OWN_SITE.title}`);
  // Hovering the mark shows the line (drawn by CSS after the dot).
  await page.mouse.move(orig.rect.x + orig.rect.width / 2, orig.rect.y + orig.rect.height / 2);
  await expect.poll(() => originalMark.call<string>('(root) => getComputedStyle(root.querySelector("b"), "::after").content')).toBe(`"Original article by Global Times: ${OWN_SITE.title}"`);
  await page.screenshot({ path: 'test-results/e2e/link-marks.png' });
});

test('a page that removes or moves a link’s mark gets it back, a few times at once and then slowly (no loop)', async ({ context, server }) => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/page/links`);
  // The original in the index is marked without any reading history.
  await expect.poll(() => page.evaluate(() => document.querySelector('#original + provenance-link') !== null)).toBe(true);
  const count = await page.evaluate(() => document.querySelectorAll('provenance-link').length);
  // Removed once: back after its link.
  await page.evaluate(() => document.querySelector('#original + provenance-link')!.remove());
  await expect.poll(() => page.evaluate(() => document.querySelector('#original + provenance-link') !== null)).toBe(true);
  // Moved to the end of the page: back after its link.
  await page.evaluate(() => document.body.append(document.querySelector('#original + provenance-link')!));
  await expect
    .poll(() => page.evaluate(() => document.querySelector('#original + provenance-link') !== null && document.body.lastElementChild?.tagName !== 'PROVENANCE-LINK'))
    .toBe(true);

  // A page that strips every dot whenever one appears: put back MAX_REMOUNTS (5) times at once, then at most every 2 s.
  const strippedSoFar = await stripEveryTime(page, 'provenance-link');
  await page.waitForTimeout(1500);
  const stripped = await strippedSoFar();
  // Each dot: removed once, then put back at once up to five times (the original's dot had used two of them above).
  expect(stripped).toBeGreaterThanOrEqual(count * 3 + 1);
  expect(stripped).toBeLessThanOrEqual(count * 6);
  await page.waitForTimeout(4000);
  const later = await strippedSoFar();
  // 4 s later: at most one slow re-attachment per dot every 2 s, and at least one (it is not given up).
  expect(later - stripped).toBeLessThanOrEqual(count * 3);
  expect(later - stripped).toBeGreaterThanOrEqual(count);
  // The page stays responsive: the content script is not spinning.
  expect(await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(1))))).toBe(1);
});

test('"Marks on links" off in options: the dots leave an open page at once, none come on a new one; on again: they are back', async ({ context, extensionId, server }) => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/page/links`);
  const dots = () => page.evaluate(() => document.querySelectorAll('provenance-link').length);
  await expect.poll(dots).toBeGreaterThan(0);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const box = options.locator('input[name=linkMarks]');
  await expect(box).toBeChecked();
  await expect(options.getByText('Marks on links', { exact: true })).toBeVisible();
  await box.uncheck();
  await expect(options.getByText('Saved.')).toBeVisible();
  // The open page, not reloaded, loses its dots.
  await expect.poll(dots).toBe(0);
  // Links added to that page now are not asked about; a page opened now gets none.
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.id = 'late-original';
    a.href = (document.getElementById('original') as HTMLAnchorElement).href;
    a.textContent = 'Again';
    document.body.append(a);
  });
  const fresh = await context.newPage();
  await fresh.goto(`${server.origin}/page/links`);
  await expect(fresh.locator('article')).toBeVisible();
  await fresh.waitForTimeout(2500);
  expect(await fresh.evaluate(() => document.querySelectorAll('provenance-link').length)).toBe(0);
  expect(await dots()).toBe(0);
  // Kept: the options page shows it off after a reload.
  await options.reload();
  await expect(options.locator('input[name=linkMarks]')).not.toBeChecked();

  // On again: the open pages ask afresh, without a reload.
  await options.locator('input[name=linkMarks]').check();
  await expect.poll(dots).toBeGreaterThan(0);
  await expect.poll(() => page.evaluate(() => document.querySelector('#late-original + provenance-link') !== null)).toBe(true);
  await expect.poll(() => fresh.evaluate(() => document.querySelector('#original + provenance-link') !== null)).toBe(true);
});
