/**
 * Content-script extraction benchmark (npm run bench:extract): in Chromium,
 * the content script's article extraction (lib/content/live-extract.ts,
 * injected into the page) on the 200,000-element test page, the hostile huge
 * page and the extraction fixture pages: time from start to text, the
 * longest slice between two yields to the page, and long tasks (≥ 50 ms)
 * the browser saw during the run.
 *
 * For the 200,000-element page it also times the two ways of running
 * Readability on the rendered page: copying every rendered node and running
 * Readability once on the whole copy (the copy walk is sliced, Readability's
 * run is one task), against what ships (Readability's candidate scoring in
 * the sliced walk, Readability on the best candidate's neighbourhood only).
 */
import { chromium } from '@playwright/test';
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startStaticServer } from '../../lib/cli/static-server';
import { hostileRoutes } from '../e2e/hostile-pages';
import { testRoutes } from '../e2e/test-pages';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

const bundle = buildSync({
  stdin: {
    contents: `
import { extractLivePage, Slicer, isOwnUi } from './lib/content/live-extract';
import { RenderedView } from './lib/content/rendered';
import { snapshotRendered } from './lib/content/snapshot';
import Readability from '@mozilla/readability/Readability.js';
function watch() {
  const slices = [];
  const longTasks = [];
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
  obs.observe({ type: 'longtask' });
  let last = performance.now();
  const s = globalThis.scheduler;
  const orig = s && s.yield ? s.yield.bind(s) : undefined;
  if (orig) s.yield = () => { slices.push(performance.now() - last); return orig().then((v) => { last = performance.now(); return v; }); };
  const started = performance.now();
  return async () => {
    slices.push(performance.now() - last);
    const ms = performance.now() - started;
    if (orig) s.yield = orig;
    await new Promise((r) => setTimeout(r, 100));
    obs.disconnect();
    return { ms, maxSlice: Math.max(...slices), slices: slices.length, longTasks };
  };
}
window.__bench = {
  async shipped() {
    const done = watch();
    const r = await extractLivePage(document);
    return { ...(await done()), text: r ? r.page.text : '' };
  },
  async wholeCopy() {
    const done = watch();
    const snap = await snapshotRendered(document, document.body, new RenderedView(document), new Slicer(8), isOwnUi, { maxCopy: Infinity, score: false });
    const copied = performance.now();
    const t0 = performance.now();
    const parsed = new Readability(snap.doc, { charThreshold: 200 }).parse();
    const readabilityMs = performance.now() - t0;
    const out = await done();
    return { ...out, copyMs: out.ms - readabilityMs, readabilityMs, elements: snap.elements, found: !!parsed };
  },
};`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  target: 'chrome120',
  write: false,
}).outputFiles[0]!.text;

const server = await startStaticServer(resolve('.'), 0, [...testRoutes, ...hostileRoutes]);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const fmt = (n: number) => n.toFixed(n < 10 ? 1 : 0);

interface Run { ms: number; maxSlice: number; slices: number; longTasks: number[]; text?: string }
async function measure(path: string, mode: 'shipped' | 'wholeCopy', n: number): Promise<Array<Run & Record<string, unknown>>> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.origin + path, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    await page.addScriptTag({ content: bundle });
    out.push((await page.evaluate(`window.__bench.${mode}()`)) as Run & Record<string, unknown>);
    await page.close();
  }
  return out;
}

console.log(`# Content-script extraction — ${new Date().toISOString()}, ${runs} runs per page (median; max slice and long tasks: worst run)\n`);
console.log('| page | elements | extraction (ms) | slices | longest slice (ms) | long tasks ≥ 50 ms |');
console.log('|---|---|---|---|---|---|');
for (const path of ['/page/big', '/hostile/huge']) {
  const r = await measure(path, 'shipped', runs);
  const page = await browser.newPage();
  await page.goto(server.origin + path);
  const els = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.close();
  console.log(`| ${path} | ${els.toLocaleString('en')} | ${fmt(median(r.map((x) => x.ms)))} | ${median(r.map((x) => x.slices))} | ${fmt(Math.max(...r.map((x) => x.maxSlice)))} | ${Math.max(...r.map((x) => x.longTasks.length))} |`);
}
const specs = JSON.parse(readFileSync('tests/fixtures/extract/pages.json', 'utf8')) as Array<{ file: string }>;
for (const { file } of specs) {
  const path = `/tests/fixtures/extract/${file}`;
  const r = await measure(path, 'shipped', runs);
  console.log(`| ${file} | | ${fmt(median(r.map((x) => x.ms)))} | ${median(r.map((x) => x.slices))} | ${fmt(Math.max(...r.map((x) => x.maxSlice)))} | ${Math.max(...r.map((x) => x.longTasks.length))} |`);
}

console.log('\n## 200,000 elements: Readability on a copy of the whole rendered page vs. what ships\n');
console.log('| way | total (ms) | copy walk (ms) | Readability run, one task (ms) | longest slice (ms) | long tasks ≥ 50 ms |');
console.log('|---|---|---|---|---|---|');
const whole = await measure('/page/big', 'wholeCopy', Math.min(runs, 3));
console.log(`| copy everything, Readability on the copy (${(whole[0]!.elements as number).toLocaleString('en')} elements) | ${fmt(median(whole.map((x) => x.ms)))} | ${fmt(median(whole.map((x) => x.copyMs as number)))} | ${fmt(median(whole.map((x) => x.readabilityMs as number)))} | ${fmt(Math.max(...whole.map((x) => x.maxSlice)))} | ${Math.max(...whole.map((x) => x.longTasks.length))} |`);
const shipped = await measure('/page/big', 'shipped', Math.min(runs, 3));
console.log(`| score in the walk, Readability on the best candidate's neighbourhood (ships) | ${fmt(median(shipped.map((x) => x.ms)))} | | | ${fmt(Math.max(...shipped.map((x) => x.maxSlice)))} | ${Math.max(...shipped.map((x) => x.longTasks.length))} |`);
await browser.close();
await server.close();
