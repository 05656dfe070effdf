/**
 * Feed sync in the real extension: subscribe in the options page to a signed
 * feed served on 127.0.0.1, and pages that copy the feed's originals (absent
 * from the bundled index) get a badge; the popup shows the feed's status;
 * a plain-http feed elsewhere is refused in words.
 */
import { buildFeed, revokeKey } from '../../lib/feed/publish';
import type { OriginalInput } from '../../lib/index/types';
import { startStaticServer } from '../../lib/cli/static-server';
import { buildIndex, newKey, tempDir } from '../support/feeds';
import { articlesNotInIndex, paragraphs } from '../support/make-pages';
import { badge, expect, newestTabId, test } from './fixtures';
import { newsPage } from './test-pages';

const negatives: OriginalInput[] = articlesNotInIndex();
// Articles the bundled index does not hold, published here as CGTN originals of a feed.
const feedOriginals = negatives.slice(0, 6).map((o, i) => ({ ...o, id: `feed-${i}`, outlet: 'cgtn', url: `https://news.cgtn.com/news/2026-11-2${i}/feed-${i}.html` }));
const COPIED = feedOriginals[2]!;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

test('subscribing to a signed feed in options brings its originals to the badge and the popup', async ({ context, extensionId }) => {
  const { key, pub } = await newKey();
  const dir = await tempDir();
  const copyPage = newsPage(COPIED.title, paragraphs(COPIED.text).map((p) => `<p>${esc(p)}</p>`).join('\n'));
  const server = await startStaticServer(dir, 0, [
    (_req, res, url) => {
      if (url.pathname !== '/copy') return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(copyPage);
      return true;
    },
  ]);
  // The manifest names the address it is served at (subscribers elsewhere refuse it).
  await buildFeed(dir, buildIndex(feedOriginals), key, { urls: [`${server.origin}/manifest.json`], feed: 'analyst-feed', title: 'Analyst feed', created: new Date(Date.now() - 60_000).toISOString() });
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/copy`);
    await page.waitForTimeout(1500);
    await expect(page.locator('provenance-badge')).toHaveCount(0); // not in the bundled index

    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    const box = options.locator('fieldset.feeds-box');
    // Plain http on another host: refused with the reason.
    await box.getByLabel(/Feed address/).fill('http://feeds.example.org/manifest.json');
    await box.getByLabel(/public key/).fill(pub);
    await box.getByRole('button', { name: 'Add feed' }).click();
    await expect(box.getByRole('alert')).toContainText('plain http is refused for feeds.example.org');
    // The loopback feed: added, verified and installed.
    await box.getByLabel(/Feed address/).fill(`${server.origin}/manifest.json`);
    await box.getByLabel(/public key/).fill(pub);
    await box.getByRole('button', { name: 'Add feed' }).click();
    await expect(box.locator('.feed-name')).toHaveText('Analyst feed version 1: 6 originals', { timeout: 30_000 });
    await options.screenshot({ path: 'test-results/e2e/options-feeds.png', fullPage: true });

    await page.reload();
    const b = badge(page);
    await expect.poll(() => b.verdict()).toBe('uncredited');
    expect(await b.text('.title')).toBe('Likely uncredited copy of CGTN');
    await b.open();
    expect(await b.text('.open-host')).toBe(new URL(COPIED.url).hostname);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(popup.locator('.feed-name')).toHaveText('Analyst feed version 1: 6 originals');
    await expect(popup.getByRole('button', { name: 'Sync now' })).toBeVisible();
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect(popup.locator('.feed').first()).toContainText('Last update');
    await expect(popup.locator('.feed-error')).toHaveCount(0);
    await popup.setViewportSize({ width: 400, height: 700 });
    await popup.screenshot({ path: 'test-results/e2e/popup-feeds.png', fullPage: true });

    // The publisher revokes the feed's key: the next sync refuses it, the popup says so loudly,
    // and the feed's originals no longer make the page an uncredited copy on their own.
    await revokeKey(dir, key, { reason: 'key lost' });
    await popup.getByRole('button', { name: 'Sync now' }).click();
    await expect(popup.locator('.feed-lapsed')).toContainText('The publisher revoked this feed’s key', { timeout: 30_000 });
    await expect(popup.locator('.feed-lapsed')).toContainText('The publisher’s reason: “key lost”');
    // A tab with the copy: once scanned (its popup says why the match was set aside), no badge.
    const again = await context.newPage();
    await again.goto(`${server.origin}/copy?again`);
    const tabId = await newestTabId(context);
    const tabPopup = await context.newPage();
    await expect(async () => {
      await tabPopup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
      await expect(tabPopup.locator('.out-of-date')).toContainText('A match with an original that only the feed “Analyst feed” holds was set aside: its key was revoked on', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    expect(await badge(again).verdict()).toBeUndefined();
    await tabPopup.close();
    await page.reload();
    await page.waitForTimeout(1500);
    expect(await badge(page).verdict()).toBeUndefined();
    await popup.screenshot({ path: 'test-results/e2e/popup-feed-revoked.png', fullPage: true });

    // Removing the feed takes its originals out of the index.
    await options.reload();
    await options.locator('fieldset.feeds-box').getByRole('button', { name: 'Remove' }).click();
    await expect(options.locator('fieldset.feeds-box .feed-name')).toHaveCount(0);
    await page.reload();
    await page.waitForTimeout(1500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
  } finally {
    await server.close();
  }
});
