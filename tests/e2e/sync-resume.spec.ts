/**
 * A feed import interrupted by the browser stopping the background service
 * worker resumes from its checkpoint when the worker starts again, and
 * completes; lookups use the last good index meanwhile.
 */
import type { Page } from '@playwright/test';
import { buildFeed } from '../../lib/feed/publish';
import { IndexBuilder } from '../../lib/index/build-index';
import type { OriginalInput } from '../../lib/index/types';
import { startStaticServer } from '../../lib/cli/static-server';
import { newKey, tempDir } from '../support/feeds';
import { articlesNotInIndex, paragraphs } from '../support/make-pages';
import { addSynthetic } from '../support/synthetic';
import { badge, expect, test } from './fixtures';
import { newsPage } from './test-pages';

const negatives: OriginalInput[] = articlesNotInIndex();
const real = negatives.slice(0, 3).map((o, i) => ({ ...o, id: `resume-${i}`, outlet: 'xinhua', url: `https://english.news.cn/2026/resume-${i}.html` }));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The index database as the background left it (read directly, as another connection). */
function readDb(page: Page): Promise<{ jobs: Array<{ steps: Array<{ gen: number; progress: { bucket: number; metas: number } }> }>; sources: string[]; segs: Array<{ gen: number; feed: string }> }> {
  return page.evaluate(`new Promise((ok, fail) => {
    const r = indexedDB.open('provenance-index');
    r.onerror = () => fail(r.error);
    r.onsuccess = () => {
      const db = r.result;
      const tx = db.transaction(['jobs', 'state'], 'readonly');
      const jobs = tx.objectStore('jobs').getAll();
      const state = tx.objectStore('state').get('active');
      tx.oncomplete = () => {
        const a = state.result;
        ok({ jobs: jobs.result, sources: a ? Object.keys(a.sources) : [], segs: a ? a.segments.map((s) => ({ gen: s.gen, feed: s.feed })) : [] });
        db.close();
      };
    };
  })`);
}

test('a feed import interrupted by stopping the service worker resumes and completes', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const { key, pub } = await newKey();
  const dir = await tempDir();
  const b = new IndexBuilder({ created: '' });
  for (const o of real) b.add(o);
  addSynthetic(b, 0, 60_000, 3);
  const copy = newsPage(real[1]!.title, paragraphs(real[1]!.text).map((p) => `<p>${esc(p)}</p>`).join('\n'));
  const server = await startStaticServer(dir, 0, [
    (_req, res, url) => (url.pathname === '/copy' ? (res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(copy), true) : false),
  ]);
  await buildFeed(dir, b.finish(), key, { urls: [`${server.origin}/manifest.json`], feed: 'resume-feed', created: new Date(Date.now() - 60_000).toISOString() });
  try {
    const ext = await context.newPage();
    await ext.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect.poll(async () => (await readDb(ext)).sources).toEqual(['bundled']);
    // Subscribe without waiting for the answer: the worker is stopped while it imports.
    await ext.evaluate(`void chrome.runtime.sendMessage({ type: 'feed-add', data: { url: ${JSON.stringify(`${server.origin}/manifest.json`)}, publicKey: ${JSON.stringify(pub)} } })`);
    await expect.poll(async () => (await readDb(ext)).jobs[0]?.steps[0]?.progress.bucket ?? 0, { timeout: 60_000, intervals: [50] }).toBeGreaterThan(0);
    const cdp = await context.newCDPSession(ext);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId))!;
    await cdp.send('Target.closeTarget', { targetId: worker.targetId });
    const stopped = await readDb(ext);
    const job = stopped.jobs[0]!;
    expect(job.steps[0]!.progress.bucket).toBeGreaterThan(0);
    expect(stopped.sources).toEqual(['bundled']); // the last good index is still the active one

    // The worker starts again on the next event; at start it resumes the interrupted import.
    await ext.reload();
    await expect
      .poll(async () => ((await ext.evaluate(`chrome.runtime.sendMessage({ type: 'feeds-status', data: {} })`)) as { value: { feeds: Array<{ version?: number; lastError?: string }> } }).value.feeds[0], {
        timeout: 120_000,
        intervals: [500],
      })
      .toMatchObject({ version: 1 });
    const done = await readDb(ext);
    expect(done.jobs).toEqual([]);
    expect(done.sources.sort()).toEqual(['bundled', 'resume-feed']);
    // The segment is the one the stopped worker had started: resumed, not begun again.
    expect(done.segs.find((s) => s.feed === 'resume-feed')!.gen).toBe(job.steps[0]!.gen);

    const page = await context.newPage();
    await page.goto(`${server.origin}/copy`);
    await expect.poll(() => badge(page).verdict()).toBe('uncredited');
    expect(await badge(page).text('.title')).toBe('Likely uncredited copy of Xinhua');
  } finally {
    await server.close();
  }
});
