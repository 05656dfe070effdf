/**
 * The platform modules on a real browser DOM (Debian's Chromium): the same
 * units as in Node (linkedom) for every fixture page, read by the bundled
 * modules that the content script can use. Pages are loaded with their own
 * scripts off, as a saved page is; one Bilibili case runs the page's script,
 * which removes its state from the DOM as the real page does (the content
 * script cannot read the page's window): the rendered page is read instead.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH), like the end-to-end tests.
 */
import { chromium, type Browser } from '@playwright/test';
import { build, type Rollup } from 'vite';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { parseHtmlDocument, savedPageUrl } from '../../lib/extract/parse-html';
import { extractUnits, type PlatformPage } from '../../lib/platforms/index';
import { FIXTURES, NOW } from './load';

/** A unit as plain data, comparable across DOMs. */
const plain = (p: PlatformPage | undefined) => p && { ...p, units: p.units.map(({ element, ...u }) => ({ ...u, hasElement: !!element })) };

let browser: Browser;
let bundle: string;
beforeAll(async () => {
  // Bundled for the browser as the extension's build would (Vite, a project dependency), nothing written.
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, target: 'es2022', lib: { entry: join(import.meta.dirname, '../../lib/platforms/index.ts'), formats: ['iife'], name: 'Platforms' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  bundle = (Array.isArray(out) ? out[0]! : out).output[0].code;
  // The modules must need nothing from Node.
  expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});

async function inChromium(html: string, url: string | undefined, scripts: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: scripts });
  try {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort()); // nothing leaves the machine
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    await page.evaluate(`${bundle}\n;globalThis.Platforms = Platforms;`);
    return await page.evaluate(
      ({ url, now }) => {
        const P = (globalThis as unknown as { Platforms: typeof import('../../lib/platforms/index') }).Platforms;
        const got = P.extractUnits(document, { url, now });
        return got && { ...got, units: got.units.map(({ element, ...u }) => ({ ...u, hasElement: !!element, elementFound: element ? document.querySelector(u.selector!) === element : undefined })) };
      },
      { url, now: NOW },
    );
  } finally {
    await context.close();
  }
}

describe('platform modules in Chromium', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.html')).sort())
    it(`${name}: the same units as in Node; selectors find their elements`, async () => {
      const html = readFileSync(join(FIXTURES, name), 'utf8');
      const doc = parseHtmlDocument(html);
      const url = savedPageUrl(doc, html);
      const node = plain(extractUnits(doc, { url, now: NOW }));
      const live = await inChromium(html, url, false);
      if (!node) {
        expect(live).toBeUndefined();
        return;
      }
      expect(live).toBeDefined();
      for (const u of live!.units) if (u.hasElement) expect(u.elementFound, `${name}: ${u.selector}`).toBe(true);
      expect(live!.units.map(({ elementFound: _f, ...u }) => u)).toEqual(node.units);
      expect(live!.platform).toBe(node.platform);
      expect(live!.shape).toBe(node.shape);
    });

  it('a live Bilibili page whose script removed its state: read from the rendered page', async () => {
    const html = readFileSync(join(FIXTURES, 'bilibili-video.html'), 'utf8');
    const live = await inChromium(html, 'https://www.bilibili.com/video/BV1Hx4y1c7Lq/', true);
    const u = live!.units[0]!;
    expect(u.title).toBe('“海澜号”深海科考归来：冷泉区发现疑似新物种');
    expect(u.text).toBe('转自网络，侵删。科考船返航画面，配了AI字幕。');
    expect(u.author).toEqual({ name: '深蓝搬运站', url: 'https://space.bilibili.com/402211987' });
    expect(u.engagement.views).toEqual({ shown: '25.6万', value: 256000 });
    expect(u.postedAt).toEqual({ shown: '2026-04-22 13:00:00', iso: '2026-04-22T13:00:00+08:00' });
    expect(u.marks).toEqual([{ kind: 'reprint', text: '未经作者授权，禁止转载' }]);
    expect(u.subtitles).toBeUndefined();
  });
});
