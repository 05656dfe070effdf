/**
 * The content scripts start without telling the page (lib/content/context.ts):
 * WXT's context posted `<extension id>:content:wxt:content-script-started` to
 * the page's window, so any `message` listener learned the extension's id.
 * Here a page listens from before its first script (so before ours): to every
 * `message` event, and to the event names WXT would use with our id, on window
 * and document. It hears nothing of ours, while what those messages were for
 * still works: single-page navigation is followed, a second instance of the
 * script stops the first (one badge, not two), and a page that posts WXT's
 * start-up message itself, with our id, does not stop the script.
 */
import type { Page } from '@playwright/test';
import { badge, expect, newestTabId, test } from './fixtures';

interface Heard {
  messages: string[];
  named: string[];
}

/** Installed before any script of the page runs: records what the page can hear. */
async function listen(page: Page, id: string): Promise<void> {
  await page.addInitScript((extensionId: string) => {
    const heard: Heard = { messages: [], named: [] };
    (window as unknown as { __heard: Heard }).__heard = heard;
    window.addEventListener('message', (e) => heard.messages.push(typeof e.data === 'string' ? e.data : JSON.stringify(e.data) ?? String(e.data)), true);
    for (const script of ['content', 'platform', 'highlight'])
      for (const name of ['wxt:content-script-started', 'wxt:locationchange'])
        for (const target of [window, document]) target.addEventListener(`${extensionId}:${script}:${name}`, (e) => heard.named.push(e.type), true);
  }, id);
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { __heard: Heard }).__heard);

test('a page listening from its start hears no message of ours, and none naming the extension id', async ({ context, extensionId, server }) => {
  const page = await context.newPage();
  await listen(page, extensionId);
  await page.goto(`${server.origin}/page/en-copy`);
  await expect.poll(() => badge(page).verdict()).toBe('uncredited');
  // An address change without any change of the text (pushState): the script forgets the page and reads it again,
  // so the badge is drawn anew (the page's DOM changing alone would not redraw it: the text is the same).
  await page.evaluate(() => {
    (window as unknown as { oldHost: Element }).oldHost = document.querySelector('provenance-badge')!;
    history.pushState({}, '', '/page/en-copy?part=2');
  });
  await expect
    .poll(() => page.evaluate(() => !(window as unknown as { oldHost: Element }).oldHost.isConnected && document.querySelectorAll('provenance-badge').length === 1))
    .toBe(true);
  await expect.poll(() => badge(page).verdict()).toBe('uncredited');
  const got = await heard(page);
  expect(got.messages).toEqual([]);
  expect(got.named).toEqual([]);
  // Nor anything left on the page's window with the id in its name or value.
  expect(await page.evaluate((id) => Object.keys(window).filter((k) => k.includes(id) || /provenance|wxt/i.test(k)), extensionId)).toEqual([]);
});

test('a second instance of the script stops the first (one badge); the page posting WXT’s start-up message does not stop it', async ({ context, extensionId, server }) => {
  const page = await context.newPage();
  await listen(page, extensionId);
  await page.goto(`${server.origin}/page/en-copy`);
  await expect.poll(() => badge(page).verdict()).toBe('uncredited');

  // The page knows the id (from elsewhere) and posts WXT's start-up message twice, as a newer instance would.
  await page.evaluate((id) => {
    for (const messageId of ['a1', 'b2']) window.postMessage({ type: `${id}:content:wxt:content-script-started`, contentScriptName: 'content', messageId }, '*');
  }, extensionId);
  await page.waitForTimeout(500);
  // The script still works: a new text in the page gets its badge redrawn after an address change.
  await page.evaluate(() => {
    (window as unknown as { oldHost: Element }).oldHost = document.querySelector('provenance-badge')!;
    history.pushState({}, '', '/page/en-copy?part=3');
  });
  await expect.poll(() => page.evaluate(() => !(window as unknown as { oldHost: Element }).oldHost.isConnected && document.querySelector('provenance-badge') !== null)).toBe(true);

  // The same script injected again into the tab (same isolated world): the older instance ends, its badge with it.
  await page.evaluate(() => ((window as unknown as { oldHost: Element }).oldHost = document.querySelector('provenance-badge')!));
  const tabId = await newestTabId(context);
  const [worker] = context.serviceWorkers();
  await worker!.evaluate(async (tab) => {
    const api = (globalThis as unknown as { chrome: { scripting: { executeScript: (o: object) => Promise<unknown> } } }).chrome;
    await api.scripting.executeScript({ target: { tabId: tab, frameIds: [0] }, files: ['/content-scripts/content.js'] });
  }, tabId);
  await expect.poll(() => page.evaluate(() => !(window as unknown as { oldHost: Element }).oldHost.isConnected)).toBe(true);
  await expect.poll(() => badge(page).verdict()).toBe('uncredited');
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => document.querySelectorAll('provenance-badge').length)).toBe(1);
  // The only messages the page heard are its own two.
  const got = await heard(page);
  expect(got.messages.map((m) => JSON.parse(m).messageId)).toEqual(['a1', 'b2']);
  expect(got.named).toEqual([]);
});

test('the extension reloaded (as on an update): the instance left in the page ends within seconds, its badge with it', async ({ context, server }) => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/page/en-copy`);
  await expect.poll(() => badge(page).verdict()).toBe('uncredited');
  expect(await page.evaluate(() => document.querySelectorAll('provenance-badge').length)).toBe(1);
  const [worker] = context.serviceWorkers();
  await worker!.evaluate(() => (globalThis as unknown as { chrome: { runtime: { reload: () => void } } }).chrome.runtime.reload());
  // Its runtime gone, the old instance's next tick invalidates it: the badge goes; nothing was posted to the page for it.
  await expect.poll(() => page.evaluate(() => document.querySelectorAll('provenance-badge').length), { timeout: 10_000 }).toBe(0);
});
