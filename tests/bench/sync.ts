/**
 * Feed sync benchmark (npm run bench:sync): in Chromium with the production
 * build, subscribe to a signed feed of N synthetic originals served on
 * 127.0.0.1 (full sync), then publish a version that adds D originals and
 * sync again (delta). Measures time, bytes transferred, bytes per original
 * and the longest task in a page left open during the sync.
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumArgs, CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startStaticServer } from '../../lib/cli/static-server';
import type { FeedsView } from '../../lib/messages';
import { buildFeed, writeNextVersion } from '../../lib/feed/publish';
import { IndexBuilder } from '../../lib/index/build-index';
import { testRoutes } from '../e2e/test-pages';
import { newKey, tempDir } from '../support/feeds';
import { addSynthetic } from '../support/synthetic';

const { values } = parseArgs({ options: { originals: { type: 'string', default: '100000' }, delta: { type: 'string', default: '10000' }, 'no-build': { type: 'boolean', default: false } } });
const N = Number(values.originals);
const D = Number(values.delta);

if (!values['no-build'] && spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('build failed');
const extension = resolve('.output/chrome-mv3');

const { key, pub } = await newKey();
const dir = await tempDir('bench-feed-');
/** Version 2 adds D originals: published after the full sync of version 1. */
async function publishV2() {
  const t0 = performance.now();
  const b2 = new IndexBuilder({ keepText: false, created: '' });
  addSynthetic(b2, 0, N + D, 7);
  const out = await writeNextVersion(dir, dir, m1, b2.finish(), N, [], key, { feed: 'bench-feed', created: new Date(Date.now() - 30_000).toISOString(), withText: false });
  console.log(`published v2 (+${D.toLocaleString('en')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out.delta;
}

// Serve the feed under /feed/ and count what the client downloads.
let served = 0;
const fetched: string[] = [];
const server = await startStaticServer(resolve('public'), 0, [
  (_req, res, url) => {
    if (!url.pathname.startsWith('/feed/')) return false;
    const rel = url.pathname.slice('/feed/'.length);
    try {
      const body = readFileSync(join(dir, rel));
      served += body.length;
      fetched.push(rel);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*', 'content-length': String(body.length) }).end(body);
    } catch {
      res.writeHead(404).end();
    }
    return true;
  },
  ...testRoutes,
]);

// Version 1, naming the address it is served at (subscribers elsewhere refuse it).
const t = performance.now();
const b1 = new IndexBuilder({ keepText: false, created: '' });
addSynthetic(b1, 0, N, 7);
const m1 = await buildFeed(dir, b1.finish(), key, { urls: [`${server.origin}/feed/manifest.json`], feed: 'bench-feed', created: new Date(Date.now() - 60_000).toISOString(), withText: false });
console.log(`published v1: ${N.toLocaleString('en')} originals in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const context = await chromium.launchPersistentContext('', { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(extension, { headless: true }) });
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  // A page the reader has open during the sync, recording its long tasks.
  const open = await context.newPage();
  await open.addInitScript(() => {
    const w = window as unknown as { longest: number; longTasks: number };
    w.longest = 0;
    w.longTasks = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.longest = Math.max(w.longest, e.duration);
        w.longTasks++;
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  await open.goto(`${server.origin}/page/en-copy`);
  await open.locator('provenance-badge').waitFor({ state: 'attached', timeout: 30_000 });
  const resetLongest = () => open.evaluate('window.longest = 0, window.longTasks = 0');
  const longest = () => open.evaluate('[window.longest, window.longTasks]') as Promise<[number, number]>;
  const ext = await context.newPage();
  await ext.goto(`chrome-extension://${id}/popup.html`);
  const send = (type: string, data: unknown) =>
    ext.evaluate(`chrome.runtime.sendMessage(${JSON.stringify({ type, data })})`) as Promise<{ ok: boolean; value?: FeedsView; error?: string }>;
  const usage = () => ext.evaluate('navigator.storage.estimate().then((e) => e.usage)') as Promise<number>;

  const before = await usage();
  const rows: string[] = [];
  const phase = async (label: string, originals: number, run: () => Promise<{ ok: boolean; value?: FeedsView; error?: string }>, expectVersion: number) => {
    served = 0;
    fetched.length = 0;
    await resetLongest();
    const t0 = performance.now();
    const reply = await run();
    const seconds = (performance.now() - t0) / 1000;
    const feed = reply.value?.feeds[0];
    if (!reply.ok || feed?.version !== expectVersion || feed.lastError) throw new Error(`${label}: ${reply.error ?? feed?.lastError ?? JSON.stringify(reply).slice(0, 500)}`);
    // The open page keeps working during the sync: it answers at once.
    const [long, count] = await longest();
    rows.push(`| ${label} | ${originals.toLocaleString('en')} | ${seconds.toFixed(1)} | ${(served / 1e6).toFixed(2)} MB | ${(served / originals).toFixed(0)} | ${long.toFixed(0)} ms (${count}) | ${fetched.filter((f) => f.startsWith('shards/')).length} |`);
  };
  await phase(`full sync v1`, N, () => send('feed-add', { url: `${server.origin}/feed/manifest.json`, publicKey: pub }), 1);
  const afterFull = await usage();
  const delta = await publishV2();
  await phase(`delta v1→v2`, D, () => send('feeds-sync', {}), 2);
  console.log(`\nmeasured ${new Date().toISOString().slice(0, 10)}; delta shards ${delta.shards.length}, ${(delta.shards.reduce((n, s) => n + s.bytes, 0) / 1e6).toFixed(2)} MB\n`);
  console.log('| sync | originals | time (s) | transferred | bytes/original | longest task in an open page (count ≥ 50 ms) | shards |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nIndexedDB growth after the full sync: ${((afterFull - before) / N).toFixed(0)} bytes per original`);
  console.log('targets: full 100k ≤ 60 s with no long task ≥ 50 ms; 10k delta ≤ 5 s; ≤ 450 bytes per original over the wire (both tiers, no texts)');
} finally {
  await context.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
