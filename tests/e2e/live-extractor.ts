/**
 * The content script's own article extraction (lib/content/live-extract.ts,
 * the module entrypoints/content bundles), bundled on its own so that a test
 * can run it in a page and read what it extracts: text, root, and how long
 * each slice of its work took.
 */
import { buildSync } from 'esbuild';
import type { Page } from '@playwright/test';

let bundle: string | undefined;

/** An IIFE that defines window.__liveExtract(): the extracted page, with timings. */
export function liveExtractorBundle(): string {
  bundle ??= buildSync({
    stdin: {
      contents: `import { extractLivePage } from './lib/content/live-extract';
window.__liveExtract = async () => { window.__noCopy = location.hash === '#nocopy';
  // Slice lengths: the time between the extractor's yields (each is one task of the page).
  const slices = []; window.__sl = slices;
  let last = performance.now();
  const started = last;
  const sched = globalThis.scheduler;
  const orig = sched && sched.yield ? sched.yield.bind(sched) : undefined;
  const mark = () => { const now = performance.now(); slices.push(now - last);  };
  if (orig) sched.yield = () => { mark(); return orig().then((v) => { last = performance.now(); return v; }); };
  try {
    const r = await extractLivePage(document);
    mark();
    return r ? { text: r.page.text, title: r.page.title, root: r.root.tagName + (r.root.id ? '#' + r.root.id : '') + (r.root.className ? '.' + String(r.root.className).split(' ')[0] : ''), totalMs: performance.now() - started, slices, hiddenText: r.page.hiddenText, links: r.page.links } : undefined;
  } finally {
    if (orig) sched.yield = orig;
  }
};`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
  }).outputFiles[0]!.text;
  return bundle;
}

export interface LiveResult {
  text: string;
  title: string;
  root: string;
  totalMs: number;
  slices: number[];
  hiddenText: string[];
  links: unknown[];
}

/** Runs the content script's extraction in `page` (after load). */
export async function liveExtract(page: Page): Promise<LiveResult> {
  await page.addScriptTag({ content: liveExtractorBundle() });
  const r = (await page.evaluate('window.__liveExtract()')) as LiveResult | undefined;
  if (!r) throw new Error(`live extraction found nothing on ${page.url()}`);
  return r;
}
