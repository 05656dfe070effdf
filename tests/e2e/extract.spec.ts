/**
 * The content script's article finder against the CLI's, in Chromium: for
 * every extraction fixture page (tests/fixtures/extract) and every demo page
 * (public/demo), the text the content script's extraction takes from the
 * rendered page and the text the scan CLI takes from the saved file share at
 * least 90% of their matching units (lib/text/normalize.ts), both ways; the
 * article is the page's article (its first and last paragraphs, none of the
 * teasers, comments or hidden text). And pages that carry a starter original
 * get the badge from the built extension.
 */
import { chromium, type Browser } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStaticServer, type StaticServer } from '../../lib/cli/static-server';
import { extractSavedPage } from '../../lib/extract/parse-html';
import { segment } from '../../lib/text/normalize';
import { badge, CHROMIUM, expect, test } from './fixtures';
import { liveExtract } from './live-extractor';

interface PageSpec {
  file: string;
  lang: 'en' | 'zh';
  kind: string;
  original?: string;
  holds: string[];
  notArticle: string[];
}
const FIXTURES = resolve('tests/fixtures/extract');
const SPECS: PageSpec[] = JSON.parse(readFileSync(join(FIXTURES, 'pages.json'), 'utf8'));
const DEMO = resolve('public/demo');
const DEMO_PAGES = readdirSync(DEMO).filter((f) => f.endsWith('.html'));

/** Shared units (as a multiset) over the larger of the two unit counts. */
export function unitAgreement(a: string, b: string): { a: number; b: number; shared: number; ratio: number } {
  const ua = segment(a);
  const ub = segment(b);
  const counts = new Map<number, number>();
  for (let i = 0; i < ua.length; i++) counts.set(ua.units[i]!, (counts.get(ua.units[i]!) ?? 0) + 1);
  let shared = 0;
  for (let i = 0; i < ub.length; i++) {
    const c = counts.get(ub.units[i]!) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(ub.units[i]!, c - 1);
    }
  }
  return { a: ua.length, b: ub.length, shared, ratio: shared / Math.max(ua.length, ub.length, 1) };
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

test.describe('the content script finds the article the CLI finds', () => {
  let browser: Browser;
  let server: StaticServer;
  test.beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    server = await startStaticServer(resolve('.'), 0);
  });
  test.afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const pages = [...SPECS.map((s) => ({ path: `tests/fixtures/extract/${s.file}`, spec: s as PageSpec | undefined })), ...DEMO_PAGES.map((f) => ({ path: `public/demo/${f}`, spec: undefined }))];
  for (const { path, spec } of pages) {
    test(`${path}: ≥ 90% shared units${spec ? ` (${spec.kind})` : ''}`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await page.goto(`${server.origin}/${path}`);
        const live = await liveExtract(page);
        const cli = extractSavedPage(readFileSync(resolve(path)));
        const agreement = unitAgreement(live.text, cli.text);
        console.log(`${path}: live ${agreement.a} units, CLI ${agreement.b} (${cli.via}), shared ${agreement.shared}: ${(agreement.ratio * 100).toFixed(1)}%`);
        expect(agreement.ratio, `${path}: live and CLI texts share ${agreement.shared} of ${agreement.a}/${agreement.b} units`).toBeGreaterThanOrEqual(0.9);
        if (spec) {
          for (const s of spec.holds) expect(flat(live.text), `${path} holds the article`).toContain(flat(s));
          for (const s of spec.notArticle) expect(flat(live.text), `${path}: not the article`).not.toContain(flat(s));
        }
      } finally {
        await page.close();
      }
    });
  }
});

test.describe('pages whose article is an index original get the badge', () => {
  let fixtures: StaticServer;
  test.beforeAll(async () => {
    fixtures = await startStaticServer(FIXTURES, 0);
  });
  test.afterAll(async () => {
    await fixtures?.close();
  });
  for (const spec of SPECS.filter((s) => s.original)) {
    test(`${spec.file} (${spec.original}): uncredited copy`, async ({ context }) => {
      const page = await context.newPage();
      await page.goto(`${fixtures.origin}/${spec.file}`);
      await expect.poll(() => badge(page).verdict(), { timeout: 20_000 }).toBe('uncredited');
    });
  }
  test('a fixture page without an original gets no badge', async ({ context }) => {
    const page = await context.newPage();
    await page.goto(`${fixtures.origin}/en-blog.html`);
    await page.waitForTimeout(2500);
    await expect(page.locator('provenance-badge')).toHaveCount(0);
  });
});
