/**
 * Link marks in Chromium with the built extension: after the reader has read
 * a copy (its verdict is in this browser's history), a page linking to that
 * copy, to an original in the index and to an unrelated page marks the first
 * two, in closed shadow roots the page cannot read; hovering a mark shows what
 * the target is; a hidden link is not asked about; the page's layout does not move.
 */
import { ClosedBadge } from './closed-badge';
import { badge, expect, test } from './fixtures';
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
