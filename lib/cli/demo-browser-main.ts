/**
 * npm run demo — builds the extension, serves the demo pages (public/demo) on
 * 127.0.0.1 and opens Chromium with the extension loaded: a window where a
 * display exists; otherwise headless, writing a screenshot of each page (badge
 * opened) to demo-output/ and printing what each badge said.
 *
 *   --no-build      use the existing .output/chrome-mv3
 *   --headless      headless even when a display exists
 *   --out DIR       screenshot folder (default demo-output)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT, parseOptions, runCli, UserError } from './cli-support';
import { ClosedBadge, waitUntil } from './closed-badge';
import { startStaticServer } from './static-server';
import { chromiumArgs, CHROMIUM_PATH as CHROMIUM } from './chromium';


interface Expected {
  verdict: string;
  originalId: string | null;
  what: string;
  servedFrom?: string;
  /** false: a page whose verdict needs something the extension does not do: scan demo only (no page has it now). */
  browser?: boolean;
  /** A timeline: each post's verdict, in page order (the badge summarises them; each post that reuses an original gets a mark). */
  units?: Array<{ verdict: string }>;
}

export async function demoBrowserMain(argv: string[]): Promise<number> {
  const { values } = parseOptions({
    args: argv,
    options: { 'no-build': { type: 'boolean', default: false }, headless: { type: 'boolean', default: false }, out: { type: 'string', default: 'demo-output' } },
    strict: true,
  });
  if (!existsSync(CHROMIUM))
    throw new UserError(`Chromium not found at ${CHROMIUM}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH). The scan-only demo needs no browser: npm run demo:scan`, 1);
  const extension = join(PROJECT_ROOT, '.output/chrome-mv3');
  if (!values['no-build']) {
    process.stdout.write('Building the extension…\n');
    const r = spawnSync('npx', ['wxt', 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new UserError('the extension build failed (see above)', 1);
  }
  if (!existsSync(join(extension, 'manifest.json'))) throw new UserError(`no built extension at ${extension}`, 1);
  const demoDir = join(PROJECT_ROOT, 'public/demo');
  const expected: Record<string, Expected> = JSON.parse(readFileSync(join(demoDir, 'expected.json'), 'utf8'));
  const server = await startStaticServer(join(PROJECT_ROOT, 'public'));
  const windowed = !!process.env.DISPLAY && !values.headless;
  const { chromium } = await import('@playwright/test');
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: !windowed,
    viewport: { width: 1280, height: 900 },
    args: chromiumArgs(extension, {
      headless: !windowed,
      // Pages of an original "on its own site" are served under the outlet's host name.
      hostMap: Object.values(expected).flatMap((e) => (e.servedFrom ? [e.servedFrom] : [])),
    }),
  });
  try {
    if (!context.serviceWorkers().length) await context.waitForEvent('serviceworker', { timeout: 30_000 });
    const out = resolve(values.out!);
    mkdirSync(out, { recursive: true });
    process.stdout.write(`Demo pages served at ${server.origin}/demo/ — ${windowed ? 'opening a window' : `headless; screenshots in ${out}`}\n\n`);
    let agree = 0;
    const files = Object.keys(expected).filter((f) => expected[f]!.browser !== false).sort();
    const scanOnly = Object.keys(expected).filter((f) => expected[f]!.browser === false).sort();
    if (scanOnly.length) process.stdout.write(`Left out (scan-only pages; npm run demo:scan shows them): ${scanOnly.join(', ')}\n\n`);
    for (const file of files) {
      const page = await context.newPage();
      const exp = expected[file]!;
      const origin = exp.servedFrom ? `http://${exp.servedFrom}:${new URL(server.origin).port}` : server.origin;
      await page.goto(`${origin}/demo/${file}`);
      // The badge is in a closed shadow root: read through the DevTools protocol, clicked with the real mouse.
      const badge = new ClosedBadge(page);
      let said = await waitUntil(async () => !!(await badge.text('.title')), 'a badge', 6000)
        .then(() => badge.text('.title'))
        .catch(() => undefined);
      const verdict = said ? ((await badge.verdict()) ?? '?') : 'none';
      // A timeline: scrolled end to end, so that every post enters the viewport and gets its mark.
      let marked = '';
      let marksOk = true;
      if (exp.units) {
        const want = exp.units.filter((u) => u.verdict !== 'none').length;
        for (let y = 0; y < 20 && !(await page.evaluate(() => innerHeight + scrollY >= document.body.scrollHeight - 2)); y++) {
          await page.mouse.wheel(0, 400);
          await page.waitForTimeout(200);
        }
        const count = () => page.evaluate(() => document.querySelectorAll('provenance-mark').length);
        await waitUntil(async () => (await count()) >= want, 'the posts’ marks', 6000).catch(() => undefined);
        const got = await count();
        marksOk = got === want;
        marked = `\n    ${got} of ${exp.units.length} posts marked as they scrolled into view (expected ${want})`;
        await page.evaluate(() => scrollTo(0, 0));
        said = (await badge.text('.title')) ?? said; // the summary, now that every post was judged
      }
      if (said) await badge.open();
      if (!windowed) await page.screenshot({ path: join(out, file.replace(/\.html$/, '.png')) });
      // The original on its own site: no badge at all.
      const want = exp.servedFrom ? 'none' : exp.verdict;
      const ok = want === verdict && marksOk;
      if (ok) agree++;
      process.stdout.write(`${ok ? '✓' : '✗'} ${file}: ${said ?? 'no badge'}${ok ? '' : `   [expected ${want}]`}${marked}\n    ${exp.what}\n`);
      if (!windowed) await page.close();
    }
    process.stdout.write(`\n${agree} of ${files.length} demo pages showed the expected badge.\n`);
    if (windowed) {
      process.stdout.write('Close the browser window to end the demo.\n');
      await new Promise<void>((done) => context.on('close', () => done()));
    }
  } finally {
    await context.close().catch(() => undefined);
    await server.close();
  }
  return 0;
}

await runCli('demo', demoBrowserMain);
