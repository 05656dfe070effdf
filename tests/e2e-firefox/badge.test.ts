/**
 * The built Firefox extension (.output/firefox-mv2) in Debian's firefox-esr:
 * installed as a temporary add-on over WebDriver BiDi into a fresh profile,
 * on the demo pages served from 127.0.0.1. A verbatim copy gets its badge with
 * the verdict of public/demo/expected.json; an unrelated page gets none, once
 * the extension has scanned it (the popup says so). A missing firefox-esr or
 * build is an error, never a skip.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../lib/cli/static-server';
import { Firefox, waitUntil, type ExtensionTab } from './firefox';

interface Expected {
  verdict: string;
  originalId: string;
  outlet: string;
  /** A timeline page: its posts, in page order. */
  units?: Array<{ verdict: string }>;
}
const expected = JSON.parse(readFileSync('public/demo/expected.json', 'utf8')) as Record<string, Expected>;
const outlets = (JSON.parse(readFileSync('public/outlets.json', 'utf8')) as { outlets: Array<{ id: string; names: { en: string } }> }).outlets;
const originals = readFileSync('public/starter/originals-en.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { id: string; title: string });

const COPY = 'en-copy-verbatim.html';
const UNRELATED = 'en-unrelated.html';
const copy = expected[COPY]!;
const outletName = outlets.find((o) => o.id === copy.outlet)!.names.en;
const originalTitle = originals.find((o) => o.id === copy.originalId)!.title;

let firefox: Firefox;
let server: StaticServer;

beforeAll(async () => {
  server = await startStaticServer(resolve('public'));
  firefox = await Firefox.launch();
  process.stdout.write(`Firefox under test: ${await firefox.version()}, extension ${firefox.extensionId}\n`);
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

let opened = 0;
/** Opens a demo page in a new tab, at an address of its own (a query string) so that tabs are told apart by address. */
async function open(name: string): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(`${server.origin}/demo/${name}?tab=${++opened}`);
  return page;
}

/** Opens the badge and its Report button (trusted clicks): the extension opens its report form in a tab of its own. */
async function openReportForm(page: Page): Promise<ExtensionTab> {
  const badge = firefox.badge(page);
  await badge.click('.pill');
  await waitUntil(async () => !!(await badge.query('.details'))?.visible, 'the badge details to open');
  return firefox.extensionTabOpenedBy('/report.html', () => badge.click('button.report'));
}

/** The popup's "This page" section. */
const THIS_PAGE = 'section[aria-labelledby="this-page"]';

/** Shows the popup for the tab showing `url` in an extension tab and returns its verdict text, once the tab has been scanned. */
async function popupVerdict(ext: ExtensionTab, url: string): Promise<string> {
  const tabId = await ext.tabId(url);
  let text = '';
  await waitUntil(async () => {
    await ext.open(`/popup.html?tab=${tabId}`);
    text = await ext.evaluate<string>(`() => document.querySelector('${THIS_PAGE} > .verdict > .head, ${THIS_PAGE} > p.muted')?.textContent ?? ''`);
    return text !== '' && !text.startsWith('This page has not been scanned');
  }, `the popup to show a scanned verdict for ${url}`);
  return text;
}

describe('the built extension in firefox-esr', () => {
  it(`a verbatim copy (${COPY}) gets the "${copy.verdict}" badge naming ${copy.outlet}, in a closed shadow root`, async () => {
    expect(copy.verdict).toBe('uncredited');
    const page = await open(COPY);
    // From outside: the host element appears, and the page cannot see into it.
    await page.waitForSelector('provenance-badge', { timeout: 15_000 });
    expect(await page.$eval('provenance-badge', (el) => el.shadowRoot === null)).toBe(true);
    const badge = firefox.badge(page);
    expect(await badge.mode()).toBe('closed');
    await waitUntil(async () => (await badge.verdict()) !== undefined, 'the badge to render');
    expect(await badge.verdict()).toBe(copy.verdict);
    expect(await badge.text('.title')).toBe(`Likely uncredited copy of ${outletName}`);
    expect((await badge.query('.pill'))?.visible).toBe(true);
    await page.close();
  });

  it('the badge opens on a trusted click; Report opens the extension’s form; the toolbar and the popup give the same verdict', async () => {
    const page = await open(COPY);
    await page.waitForSelector('provenance-badge', { timeout: 15_000 });
    const badge = firefox.badge(page);
    const ext = await openReportForm(page);
    expect(await badge.text('.otitle')).toBe(originalTitle);
    expect(await ext.evaluate<string>(`() => new URLSearchParams(location.search).get('url')`)).toBe(page.url());
    expect(await ext.toolbarText(page.url())).toBe('!');
    expect(await popupVerdict(ext, page.url())).toBe(`Likely uncredited copy of ${outletName}`);
    expect(await ext.evaluate<string>(`() => document.querySelector('${THIS_PAGE} .verdict a')?.textContent ?? ''`)).toBe(originalTitle);
    await ext.close();
    await page.close();
  });

  it('a Weibo timeline on another host (the demo on 127.0.0.1) is handed to the platform script: the posts in view that reuse an original get marks', async () => {
    const posts = expected['zh-weibo-timeline.html']!.units!;
    const page = await open('zh-weibo-timeline.html');
    const want = posts.map((p) => p.verdict !== 'none');
    const inView = await page.evaluate(() => [...document.querySelectorAll('article')].map((a) => a.getBoundingClientRect().top < innerHeight));
    const marked = () => page.evaluate(() => [...document.querySelectorAll('article')].map((a) => !!a.querySelector('provenance-mark')));
    const wanted = JSON.stringify(want.map((w, i) => w && inView[i]!));
    await waitUntil(async () => JSON.stringify(await marked()) === wanted, 'the posts in view to be marked');
    expect(want.some((w, i) => w && inView[i])).toBe(true);
    // One badge: the generic script ended when the platform script took over.
    expect(await page.$$eval('provenance-badge', (els) => els.length)).toBe(1);
    await page.close();
  });

  it(`an unrelated page (${UNRELATED}) gets no badge once scanned: no host element, a blank toolbar, "no match" in the popup`, async () => {
    expect(expected[UNRELATED]?.verdict).toBe('none');
    const unrelated = await open(UNRELATED);
    // An extension tab to ask from (the report form of a copy in another tab).
    const copyPage = await open(COPY);
    await copyPage.waitForSelector('provenance-badge', { timeout: 15_000 });
    const ext = await openReportForm(copyPage);
    expect(await popupVerdict(ext, unrelated.url())).toBe('No known original matches this page.');
    expect(await ext.toolbarText(unrelated.url())).toBe('');
    expect(await unrelated.$('provenance-badge')).toBeNull();
    expect(await firefox.badge(unrelated).verdict()).toBeUndefined();
    await ext.close();
    await unrelated.close();
    await copyPage.close();
  });
});
