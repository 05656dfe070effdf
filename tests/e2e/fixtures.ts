/**
 * Playwright fixtures: Debian's Chromium with the built extension loaded,
 * its id read from the background service worker, and the test pages served
 * on 127.0.0.1. A missing browser or build is an error, never a skip.
 */
import { test as base, chromium, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromiumArgs, CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startStaticServer, type StaticServer } from '../../lib/cli/static-server';
import { ClosedBadge } from './closed-badge';
import { hostileRoutes } from './hostile-pages';
import { testRoutes } from './test-pages';

export const CHROMIUM = CHROMIUM_PATH;
export const EXTENSION = resolve('.output/chrome-mv3');

export async function launchWithExtension(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  if (!existsSync(resolve(EXTENSION, 'manifest.json'))) throw new Error(`no built extension at ${EXTENSION}: run npm run build first`);
  return chromium.launchPersistentContext('', { executablePath: CHROMIUM, headless: true, args: chromiumArgs(EXTENSION, { headless: true, hostMap: ['www.globaltimes.cn', 'copycat.test', 'weibo.com', 'x.com'] }), viewport: { width: 1280, height: 900 } });
}

interface Fixtures {
  context: BrowserContext;
  extensionId: string;
  server: StaticServer;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const server = await startStaticServer(resolve('public'), 0, [...testRoutes, ...hostileRoutes]);
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const context = await launchWithExtension();
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker', { timeout: 30_000 });
    await use(new URL(worker.url()).host);
  },
});
export const expect = test.expect;

/** The badge in its closed shadow root (read and clicked through the DevTools protocol). */
export function badge(page: Page): ClosedBadge {
  return new ClosedBadge(page);
}

/** The id of the newest tab (the page just opened; without the "tabs" permission URLs are not visible). */
export async function newestTabId(context: BrowserContext): Promise<number> {
  const [worker] = context.serviceWorkers();
  return worker!.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { tabs: { query: (q: object) => Promise<Array<{ id?: number }>> } } }).chrome;
    return Math.max(...(await api.tabs.query({})).map((t) => t.id ?? -1));
  });
}
