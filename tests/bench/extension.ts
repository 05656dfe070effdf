/**
 * Extension benchmark (npm run bench:extension): time from page load to
 * badge, p50 and p95, in Chromium with 1k and 100k originals in IndexedDB;
 * IndexedDB bytes per original; content scripts' size gzipped (the generic one
 * on every page, the platform one on the platforms' hosts); a timeline of
 * 200 posts scrolled end to end (long tasks; each post's verdict after it
 * entered the viewport, p50 and p95).
 * Builds the extension in bench mode (adds a loopback-only import hook).
 *
 * The index carries the translation tier, as the bundled one does: the starter
 * originals' real sketches, and for each synthetic original a sketch shaped like
 * the real ones with a real original's language and text (cycled), so that
 * aligning a candidate costs what it would. A translated copy (the demo page
 * en-translated-uncredited) is timed from load to badge. --no-translate builds
 * the index as before the tier (synthetic originals without texts).
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Cdp } from './cdp';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromiumArgs, CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startStaticServer } from '../../lib/cli/static-server';
import { IndexBuilder } from '../../lib/index/build-index';
import { writeIndexDir } from '../../lib/index/index-dir';
import { testRoutes } from '../e2e/test-pages';
import { loadFixtures } from '../support/make-pages';
import { addSynthetic, syntheticTranslation } from '../support/synthetic';
import { syntheticMeta } from '../support/synthetic-meta';
import { timelinePage } from './timeline-page';
import { DEFAULT_PARAMS } from '../../lib/fingerprint';
import { loadDictionary } from '../../lib/translate/load-dictionary';
import { originalSketch } from '../../lib/translate/keys';
import { represent } from '../../lib/translate/represent';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,100000' }, loads: { type: 'string', default: '20' }, restarts: { type: 'string', default: '20' }, posts: { type: 'string', default: '200' }, 'no-translate': { type: 'boolean', default: false }, 'badge-timeout': { type: 'string', default: '30' }, 'index-dir': { type: 'string' } } });
/** Where the synthetic indexes are kept between runs (one folder per size and kind; built when missing): a 1M index takes minutes to build. */
const keptIndexes = values['index-dir'];
/** Seconds a page waits for its badge before the run stops (a long wait is reported with its length). */
const badgeTimeoutMs = Number(values['badge-timeout']) * 1000;
const timeline = timelinePage(Number(values.posts));
const withTranslate = !values['no-translate'];
const sizes = values.sizes!.split(',').map(Number);
const loads = Number(values.loads);
const restarts = Number(values.restarts);

const build = spawnSync('npx', ['wxt', 'build', '--mode', 'bench'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('bench build failed');
const extension = resolve('.output/chrome-mv3-bench');
// The generic content script runs on every page (target ≤ 40 KB); the platform script only on the platforms' hosts (and pages handed to it).
const contentGz = gzipSync(readFileSync(join(extension, 'content-scripts/content.js'))).length;
const platformGz = gzipSync(readFileSync(join(extension, 'content-scripts/platform.js'))).length;

async function syntheticIndexDir(n: number): Promise<string> {
  // "-m2": metadata shaped like real output (tests/support/synthetic-meta.ts, 2026-12-02); folders kept from before are not reused.
  const kept = keptIndexes && join(resolve(keptIndexes), `synthetic-m2-${n}${withTranslate ? '' : '-no-translate'}`);
  if (kept && existsSync(join(kept, 'complete'))) return kept;
  const fx = loadFixtures();
  const dict = withTranslate ? loadDictionary() : undefined;
  const b = new IndexBuilder({ keepText: true, created: '2026-11-22T00:00:00Z', translate: dict });
  const real = [...fx.originals.en, ...fx.originals.zh];
  for (const o of real) b.add(o);
  addSynthetic(b, 0, n, n, DEFAULT_PARAMS, dict ? syntheticTranslation(real, (text) => originalSketch(represent(text, dict))) : undefined);
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'bench-index-'));
  await writeIndexDir(dir, b.finish());
  if (kept) writeFileSync(join(kept, 'complete'), '');
  return dir;
}

/**
 * A search for synthetic original `from` or the first English one after it (of n): the first three words
 * of its title (as a reader types part of a headline they saw).
 */
function titleQuery(n: number, from: number): string {
  const fx = loadFixtures();
  const real = [...fx.originals.en, ...fx.originals.zh];
  for (let i = from; i < n; i++) {
    const lang = withTranslate ? (real[i % real.length]!.lang.startsWith('zh') ? 'zh' : 'en') : undefined;
    const m = syntheticMeta(i, n, lang);
    if (m.lang === 'en') return m.title.split(' ').slice(0, 3).join(' ');
  }
  throw new Error(`no synthetic original with an English title from number ${from} of ${n}`);
}

/** The q-quantile by nearest rank (the ⌈q·n⌉-th smallest: p95 of 20 loads is the 19th; it was the 20th, the maximum, until 2026-12-01). */
const pct = (a: number[], q: number) => a.slice().sort((x, y) => x - y)[Math.max(0, Math.ceil(a.length * q) - 1)]!;

console.log(`content script (every page): ${(contentGz / 1024).toFixed(1)} KB gzipped (target ≤ 40 KB)`);
console.log(`platform content script (platform hosts only): ${(platformGz / 1024).toFixed(1)} KB gzipped\n`);
console.log('| originals in IndexedDB | import (s) | IndexedDB bytes/original | load → badge p50 (ms) | p95 (ms) | navigation start → badge p50 (ms) |');
console.log('|---|---|---|---|---|---|');
const results: Array<{ n: number; p50: number; p95: number }> = [];
const searches: string[] = [];
const rewrittenLines: string[] = [];
const translatedLines: string[] = [];
const timelineLines: string[] = [];
const storedLines: string[] = [];
const memoryLines: string[] = [];
for (const n of sizes) {
  const dir = await syntheticIndexDir(n);
  const server = await startStaticServer(resolve('public'), 0, [
    async (_req, res, url) => {
      if (!url.pathname.startsWith('/bench-index/')) return false;
      try {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(readFileSync(join(dir, url.pathname.slice('/bench-index/'.length))));
      } catch {
        res.writeHead(404).end();
      }
      return true;
    },
    async (_req, res, url) => {
      if (url.pathname !== '/bench-timeline') return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(timeline.html);
      return true;
    },
    ...testRoutes,
  ]);
  const profile = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...chromiumArgs(extension, { headless: true, hostMap: ['weibo.com'] }), '--remote-debugging-port=0'] });
  const cdp = await Cdp.connect(profile);
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const id = new URL(worker.url()).host;
    // The background's errors and warnings, as they come (a worker restarted later is another Worker: listened to as well).
    const listen = (w: import('@playwright/test').Worker) => w.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? console.error(`[background ${m.type()}] ${m.text()}`) : undefined));
    listen(worker);
    context.on('serviceworker', listen);
    const ext = await context.newPage();
    await ext.goto(`chrome-extension://${id}/popup.html`);
    const before = await ext.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    // A page open during the import: its long tasks (the import runs in the background, not in pages).
    const open = await context.newPage();
    await open.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await open.goto(`${server.origin}/page/en-copy?open`);
    await open.locator('provenance-badge').waitFor({ state: 'attached', timeout: 30_000 });
    const longBefore = await open.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.length);
    const t0 = performance.now();
    const reply = await ext.evaluate(
      async (base) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<{ ok: boolean; error?: string; value?: { phases: Record<string, number> } }> } } }).chrome.runtime.sendMessage({
          type: 'bench-import',
          data: { base },
        }),
      `${server.origin}/bench-index/`,
    );
    if (!reply?.ok) throw new Error(`import failed: ${reply?.error}`);
    const importS = (performance.now() - t0) / 1000;
    const phases = Object.entries(reply.value?.phases ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ');
    console.error(`import of ${(n + 48).toLocaleString('en')} originals: ${importS.toFixed(1)} s (${phases})`);
    const importLong = (await open.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)).slice(longBefore);
    await open.close();
    const usage = await ext.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const total = n + 48;
    type Stored = { verbatim: number; rewrite: number; translate: number; filters: [number, number, number]; metadata: number; search: number; texts: number; other: number };
    const stored = (
      await ext.evaluate(async () =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<{ ok: boolean; value: Stored; error?: string }> } } }).chrome.runtime.sendMessage({ type: 'bench-stored-bytes', data: {} }),
      )
    ).value;
    const per = (b: number) => b / total;
    const tiers = { verbatim: stored.verbatim + stored.filters[0], rewrite: stored.rewrite + stored.filters[1], translate: stored.translate + stored.filters[2] };
    const exclTexts = tiers.verbatim + tiers.rewrite + tiers.translate + stored.metadata + stored.search + stored.other;
    storedLines.push(
      `stored at ${total.toLocaleString('en')} originals (bytes/original as rows weigh, lib/store/stored-bytes.ts; filters included in their tier): ` +
        `verbatim postings ${per(tiers.verbatim).toFixed(0)} (filter ${per(stored.filters[0]).toFixed(0)}), metadata ${per(stored.metadata).toFixed(0)}, search terms ${per(stored.search).toFixed(0)}, ` +
        `rewrite tier ${per(tiers.rewrite).toFixed(0)} (filter ${per(stored.filters[1]).toFixed(0)}), translation tier ${per(tiers.translate).toFixed(0)} (filter ${per(stored.filters[2]).toFixed(0)}), other ${per(stored.other).toFixed(0)}; ` +
        `**excluding texts ${per(exclTexts).toFixed(0)}** (target ≤ 400 at 1M), texts ${per(stored.texts).toFixed(0)}, with texts ${per(exclTexts + stored.texts).toFixed(0)}; ` +
        `on disk (navigator.storage.estimate, texts included) ${((usage - before) / total).toFixed(0)}; ` +
        `a page open during the import: ${importLong.length} long tasks${importLong.length ? ` (longest ${Math.max(...importLong).toFixed(0)} ms)` : ''}`,
    );
    const searchTable = await ext.evaluate(
      async () => (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<{ ok: boolean; value?: { bytes: number; rows: number } }> } } }).chrome.runtime.sendMessage({ type: 'bench-search-bytes', data: {} }),
    );
    // The popup's search (answered by the background from its term table): from opening the popup
    // to the first results, then each keystroke of typed queries to the results for it.
    // Originals in the index: number 4242 and 777 of a million are 0.4242 and 0.0777 of the way in.
    const firstQuery = titleQuery(n, Math.floor(n * 0.4242));
    const secondQuery = titleQuery(n, Math.floor(n * 0.0777));
    const popup = await context.newPage();
    // Timed in the popup itself (its clock starts as it opens): when the search box appears, when the
    // first query is typed, when its results are shown. Playwright's own steps (a navigation's round
    // trips, filling the box, polling for the results) are not the reader's wait.
    await popup.addInitScript((firstQuery: string) => {
      const w = window as unknown as { popupTimes: { box?: number; typed?: number; results?: number } };
      w.popupTimes = {};
      new MutationObserver(() => {
        const t = w.popupTimes;
        const box = document.querySelector('input[type=search]');
        if (box && t.box === undefined) {
          t.box = performance.now();
          box.addEventListener('input', () => (t.typed ??= performance.now()), { capture: true });
        }
        if (t.results === undefined && document.querySelector(`ul.results[data-query="${firstQuery}"] li`)) t.results = performance.now();
      }).observe(document, { childList: true, subtree: true, attributes: true });
    }, firstQuery);
    const q0 = performance.now();
    await popup.goto(`chrome-extension://${id}/popup.html`);
    const input = popup.locator('input[type=search]');
    await input.waitFor();
    await input.fill(firstQuery);
    await popup.locator(`ul.results[data-query="${firstQuery}"] li`).first().waitFor({ timeout: 120_000 });
    const fromOutside = performance.now() - q0;
    const popupTimes = await popup.evaluate(() => (window as unknown as { popupTimes: { box: number; typed: number; results: number } }).popupTimes);
    // The popup opened → the box shown; then the query typed → its results (the typing itself is the reader's).
    const shownMs = popupTimes.box;
    const searchMs = popupTimes.box + (popupTimes.results - popupTimes.typed);
    await input.fill('');
    await popup.evaluate(() => {
      const w = window as unknown as { typed: Record<string, number>; shown: Record<string, number> };
      w.typed = {};
      w.shown = {};
      const box = document.querySelector('input[type=search]') as HTMLInputElement;
      box.addEventListener('input', () => (w.typed[box.value] ??= performance.now()), { capture: true });
      new MutationObserver(() => {
        const q = document.querySelector('ul.results')?.getAttribute('data-query') ?? '';
        w.shown[q] ??= performance.now();
      }).observe(document.querySelector('ul.results')!, { attributes: true, childList: true });
    });
    // Typed as a quick typist types (one key every 120 ms); each keystroke's query answered on its own.
    const typedQueries = [secondQuery, firstQuery, 'Lanfeng rice harvest', '2026-03 article 9', '港口 新泊位'];
    for (const q of typedQueries) {
      await input.fill('');
      await popup.keyboard.type(q, { delay: 120 });
      await popup.locator(`ul.results[data-query="${q}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    }
    const { typed, shown } = await popup.evaluate(() => {
      const w = window as unknown as { typed: Record<string, number>; shown: Record<string, number> };
      return { typed: w.typed, shown: w.shown };
    });
    const keystrokes = Object.entries(typed).filter(([q]) => q.trim()).map(([q, t]) => (shown[q] === undefined ? Infinity : shown[q]! - t));
    const answered = keystrokes.filter(Number.isFinite);
    // Every prefix of the typed queries (as each keystroke leaves the box), in typing order.
    const prefixes = typedQueries.flatMap((q) => [...Array(q.length).keys()].map((i) => q.slice(0, i + 1)).filter((x) => x.trim()));
    // The background's answer alone (message round trip included, no rendering): each prefix.
    const backgroundMs = await popup.evaluate(async (queries) => {
      const send = (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<{ ok: boolean; error?: string }> } } }).chrome.runtime.sendMessage;
      const times: number[] = [];
      for (const query of queries) {
        const t = performance.now();
        const r = await send({ type: 'search-originals', data: { query } });
        if (!r?.ok) throw new Error(`search failed: ${r?.error}`);
        times.push(performance.now() - t);
      }
      return times;
    }, prefixes);
    const inWorker = await popup.evaluate(
      async (queries) =>
        (
          await (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<{ ok: boolean; value: number[] }> } } }).chrome.runtime.sendMessage({
            type: 'bench-search-times',
            data: { queries },
          })
        ).value,
      prefixes,
    );
    await popup.close();
    /** Load → badge over `loads` visits of one page (two more first, to warm the service worker). */
    const timeBadge = async (path: string, restart = false) => {
    const times: number[] = [];
    const fromStart: number[] = [];
    const control = restart ? await context.newCDPSession(ext) : undefined;
    await control?.send('ServiceWorker.enable');
    for (let i = 0; i < (restart ? restarts : loads + 2); i++) {
      if (control) {
        // The service worker stopped (as the browser stops an idle one): the next page wakes it.
        await control.send('ServiceWorker.stopAllWorkers');
        await new Promise((r) => setTimeout(r, 200));
      }
      const page = await context.newPage();
      // The page's own observer notes the badge; the harness then awaits that note with one small
      // evaluate. (A Playwright locator would inject Playwright's script into the page while the
      // extension works: about 40–80 ms of the page's main thread on this machine, in the figure.)
      await page.addInitScript(() => {
        (window as unknown as { badgeSeen: Promise<number> }).badgeSeen = new Promise((resolve) =>
          new MutationObserver((_r, obs) => {
            if (document.querySelector('provenance-badge')) {
              resolve(performance.now());
              obs.disconnect();
            }
          }).observe(document, { childList: true, subtree: true }),
        );
      });
      await page.goto(`${server.origin}${path}?i=${i}`, { waitUntil: 'load' });
      const at = await page.evaluate(
        (ms) => Promise.race([(window as unknown as { badgeSeen: Promise<number> }).badgeSeen, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no badge within ${ms / 1000} s`)), ms))]),
        badgeTimeoutMs,
      );
      if (at > 5000) console.error(`${path} load ${i}${restart ? ' after a worker restart' : ''}: badge after ${(at / 1000).toFixed(1)} s`);
      const load = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
      if (restart || i >= 2) {
        // the first two warm the service worker (unless each load follows a restart)
        times.push(at - load);
        fromStart.push(at);
      }
      await page.close();
    }
    return { times, fromStart };
    };
    const { times, fromStart } = await timeBadge('/page/en-copy');
    const heap = await cdp.workerHeap(`chrome-extension://${id}/`);
    const restarted = await timeBadge('/page/en-copy', true);
    memoryLines.push(
      `background at ${total.toLocaleString('en')} originals: heap after a collection ${heap.usedMB.toFixed(1)} MB used (${heap.totalMB.toFixed(1)} MB allocated) + ${heap.backingMB.toFixed(1)} MB array buffers = ${(heap.usedMB + heap.backingMB).toFixed(1)} MB (target ≤ 150 MB at 1M); ` +
        `first badge after a worker restart (load → badge, ${restarts} restarts) p50 ${pct(restarted.times, 0.5).toFixed(0)} ms, p95 ${pct(restarted.times, 0.95).toFixed(0)} ms (target p95 ≤ 150 ms)`,
    );
    // A rewritten copy: the rewrite tier aligns it with its original's text.
    const rewritten = await timeBadge('/demo/en-rewritten.html');
    rewrittenLines.push(`rewritten copy at ${total.toLocaleString('en')} originals: load → badge p50 ${pct(rewritten.times, 0.5).toFixed(0)} ms, p95 ${pct(rewritten.times, 0.95).toFixed(0)} ms`);
    if (withTranslate) {
      // A translated copy: the other tiers find nothing, the translation tier aligns the candidates (dictionary loaded by the warm-up loads).
      const translated = await timeBadge('/demo/en-translated-uncredited.html');
      translatedLines.push(`translated copy (Chinese → English) at ${total.toLocaleString('en')} originals: load → badge p50 ${pct(translated.times, 0.5).toFixed(0)} ms, p95 ${pct(translated.times, 0.95).toFixed(0)} ms, max ${Math.max(...translated.times).toFixed(0)} ms (target p95 ≤ 80 ms at 100k); each load, sorted: ${translated.times.slice().sort((a, b) => a - b).map((t) => t.toFixed(0)).join(' ')}`);
    }
    results.push({ n: total, p50: pct(times, 0.5), p95: pct(times, 0.95) });
    // On Weibo's own host (mapped to 127.0.0.1): the platform script the manifest declares there.
    timelineLines.push(await scrollTimeline(context, `${server.origin.replace('127.0.0.1', 'weibo.com')}/bench-timeline`, total));
    searches.push(
      `popup search over ${total.toLocaleString('en')} originals: popup opened → search box ${shownMs.toFixed(0)} ms → first results ${searchMs.toFixed(0)} ms (timed in the popup; ${fromOutside.toFixed(0)} ms from the benchmark's side, its own steps included); ` +
        `keystroke → its results shown p50 ${pct(answered, 0.5).toFixed(0)} ms, p95 ${pct(answered, 0.95).toFixed(0)} ms, max ${Math.max(...answered).toFixed(0)} ms (${answered.length} of ${keystrokes.length} keystrokes answered on their own, the rest replaced by the next); ` +
        `background answer (message round trip) p50 ${pct(backgroundMs, 0.5).toFixed(0)} ms, p95 ${pct(backgroundMs, 0.95).toFixed(0)} ms; ` +
        `search alone in the worker p50 ${pct(inWorker, 0.5).toFixed(1)} ms, p95 ${pct(inWorker, 0.95).toFixed(1)} ms, max ${Math.max(...inWorker).toFixed(1)} ms; ` +
        `term table ${searchTable?.value ? `${(searchTable.value.bytes / total).toFixed(0)} bytes/original in ${searchTable.value.rows} rows` : '?'}`,
    );
    // Printed as each size ends (a long run stopped part-way keeps what it measured).
    console.error(storedLines.at(-1));
    console.error(memoryLines.at(-1));
    // The slowest prefixes in the worker, to say what costs.
    const slowest = prefixes.map((q, i) => [q, inWorker[i] ?? 0] as const).sort((a, b) => b[1] - a[1]).slice(0, 6);
    const slowKeys = Object.entries(typed)
      .filter(([q]) => q.trim() && shown[q] !== undefined)
      .map(([q, t]) => [q, shown[q]! - t] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6);
    console.error(
      `popup search at ${total.toLocaleString('en')}, slowest keystrokes as typed: ${slowKeys.map(([q, t]) => `${JSON.stringify(q)} ${t.toFixed(0)} ms`).join(', ')}; ` +
        `slowest prefixes in the worker afterwards (its kept metadata warm): ${slowest.map(([q, t]) => `${JSON.stringify(q)} ${t.toFixed(0)} ms`).join(', ')}`,
    );
    console.error(`load → badge at ${total.toLocaleString('en')}, each load in order: ${times.map((t) => t.toFixed(0)).join(' ')}; after each restart: ${restarted.times.map((t) => t.toFixed(0)).join(' ')}`);
    console.log(`| ${total.toLocaleString('en')} | ${importS.toFixed(1)} | ${((usage - before) / total).toFixed(0)} | ${pct(times, 0.5).toFixed(0)} | ${pct(times, 0.95).toFixed(0)} | ${pct(fromStart, 0.5).toFixed(0)} |`);
  } finally {
    cdp.close();
    await context.close();
    await server.close();
    if (!keptIndexes) rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
if (results.length >= 2) {
  const [small, big] = [results[0]!, results[results.length - 1]!];
  console.log(`\np95 at ${big.n.toLocaleString('en')}: ${big.p95.toFixed(0)} ms (target ≤ 50 ms), ${(big.p95 / small.p95).toFixed(2)}× the ${small.n.toLocaleString('en')} figure (target ≤ 1.2×)`);
}
for (const line of [...storedLines, ...memoryLines, ...rewrittenLines, ...translatedLines, ...timelineLines, ...searches]) console.log(line);
if (withTranslate) console.log('(the index carries the translation tier, and each synthetic original a real original’s text: bytes per original include them)');

/**
 * The timeline scrolled end to end by the mouse wheel (a reader scrolling
 * briskly: 300 px every 100 ms), after the service worker was warmed on it once.
 * The page itself records when each post first entered the viewport
 * (IntersectionObserver) and when its mark was added (MutationObserver), and
 * the long tasks from its load on: what a page can see, no hook in the extension.
 */
async function scrollTimeline(context: import('@playwright/test').BrowserContext, url: string, total: number): Promise<string> {
  type Seen = { entered: Record<number, number>; marked: Record<number, number>; longTasks: Array<{ start: number; duration: number }> };
  const once = async (query: string) => {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as Seen;
      w.entered = {};
      w.marked = {};
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      addEventListener('DOMContentLoaded', () => {
        const posts = [...document.querySelectorAll('article')];
        const io = new IntersectionObserver((rs) => {
          for (const r of rs) if (r.isIntersecting) w.entered[posts.indexOf(r.target as HTMLElement)] ??= performance.now();
        });
        for (const p of posts) io.observe(p);
        new MutationObserver((records) => {
          for (const r of records)
            for (const n of r.addedNodes)
              if ((n as Element).tagName === 'PROVENANCE-MARK') w.marked[posts.indexOf(r.target as HTMLElement)] ??= performance.now();
        }).observe(document.body, { childList: true, subtree: true });
      });
    });
    await page.goto(`${url}?${query}`);
    await page.waitForTimeout(500);
    // Until the end (the marks make the page taller as it is read).
    const atEnd = () => page.evaluate(() => innerHeight + scrollY >= document.documentElement.scrollHeight - 2);
    for (let i = 0; i < 2000 && !(await atEnd()); i++) {
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(2000);
    const seen = await page.evaluate(() => {
      const w = window as unknown as Seen;
      return { entered: w.entered, marked: w.marked, longTasks: w.longTasks, load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd };
    });
    await page.close();
    return seen;
  };
  await once('warm');
  const seen = await once('run');
  const lags = Object.entries(seen.marked).map(([i, at]) => at - (seen.entered[Number(i)] ?? at));
  const after = seen.longTasks.filter((t) => t.start > seen.load);
  return (
    `timeline of ${Number(values.posts)} posts (${timeline.copies} copies) on weibo.com at ${total.toLocaleString('en')} originals, scrolled end to end: ` +
    `${lags.length} of ${timeline.copies} copies marked; post in viewport → its mark p50 ${pct(lags, 0.5).toFixed(0)} ms, p95 ${pct(lags, 0.95).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms (target p95 ≤ 100 ms); ` +
    `long tasks after load: ${after.length}${after.length ? ` (longest ${Math.max(...after.map((t) => t.duration)).toFixed(0)} ms)` : ''} (target: none ≥ 50 ms)`
  );
}
