/**
 * Page-per-folder suite: every tests/fixtures/pages/<slug>/{page.html, expected.json}
 * and every demo page in public/demo (with public/demo/expected.json) is
 * decoded, extracted and scanned against the bundled starter index as the
 * scan command reads it (a platform page unit by unit: a post, a video's
 * caption and subtitles); one test per expected field. A page of several
 * posts (a timeline) lists each post's expected verdict in `units`; its own
 * verdict is the most serious of them (what the badge summarises). Adding a
 * case is adding a folder.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_INDEX, loadRegistry, PROJECT_ROOT } from '../../lib/cli/cli-support';
import { readPageBytes } from '../../lib/cli/page-file';
import { extractSavedPage } from '../../lib/extract/parse-html';
import type { PageContext } from '../../lib/credit/detect-credit';
import { readIndexDir } from '../../lib/index/index-dir';
import { scanPage } from '../../lib/scan-page';
import { translateOption } from '../../lib/cli/translate-option';

interface Judged {
  verdict: 'uncredited' | 'credited' | 'partial' | 'none';
  originalId: string | null;
  outlet: string | null;
}
interface Expected extends Judged {
  what?: string;
  /** A page of several posts: each post's verdict, in page order. */
  units?: Judged[];
}
const SERIOUS = ['none', 'credited', 'partial', 'uncredited'];

const cases: Array<{ name: string; file: string; expected: Expected }> = [];
const pagesDir = join(PROJECT_ROOT, 'tests/fixtures/pages');
for (const slug of existsSync(pagesDir) ? readdirSync(pagesDir).sort() : []) {
  const dir = join(pagesDir, slug);
  cases.push({ name: `fixture ${slug}`, file: join(dir, 'page.html'), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) });
}
const demoDir = join(PROJECT_ROOT, 'public/demo');
const demoExpected: Record<string, Expected> = JSON.parse(readFileSync(join(demoDir, 'expected.json'), 'utf8'));
for (const [file, expected] of Object.entries(demoExpected)) cases.push({ name: `demo ${file}`, file: join(demoDir, file), expected });

const registry = loadRegistry();
const index = await readIndexDir(BUNDLED_INDEX);
// As the scan command does: the bundled index carries the translation tier, so translated copies are judged too.
const translate = translateOption(index);

it('bundles an index with the translation tier (npm run index:starter builds it)', () => {
  expect(index.translate).toBeDefined();
  expect(translate).toBeDefined();
});

it('has the demo pages and fixture pages the suite expects', () => {
  expect(Object.keys(demoExpected).length).toBeGreaterThanOrEqual(12);
  for (const c of cases) expect(existsSync(c.file), c.file).toBe(true);
  expect(readdirSync(demoDir).filter((f) => f.endsWith('.html')).sort()).toEqual(Object.keys(demoExpected).sort());
});

describe.each(cases)('$name', ({ file, expected }) => {
  const result = (async () => {
    const bytes = new Uint8Array(readFileSync(file));
    const got = readPageBytes(bytes, 'html');
    // A page with no text (which the scan command calls unreadable) is still judged: nothing found.
    const contexts: PageContext[] = 'unreadable' in got ? [extractSavedPage(bytes)] : (got.units ?? [got.page]);
    const scans = [];
    for (const page of contexts) scans.push({ page, scan: await scanPage(page, index, registry, translate ? { translate } : {}) });
    // The page's verdict: its one unit's, or the most serious of its posts' (the first post with it).
    const top = scans.reduce((a, b) => (SERIOUS.indexOf(b.scan.verdict) > SERIOUS.indexOf(a.scan.verdict) ? b : a));
    return { ...top, all: scans };
  })();
  if (expected.units)
    it('each post', async () => {
      const { all } = await result;
      const got = all.map(({ scan }) => ({ verdict: scan.verdict, originalId: scan.finding?.candidate.original.id ?? null, outlet: scan.finding?.candidate.original.outlet ?? null }));
      expect(got).toEqual(expected.units);
    });
  it('verdict', async () => {
    expect((await result).scan.verdict).toBe(expected.verdict);
  });
  it('original', async () => {
    const c = (await result).scan.finding?.candidate;
    expect(c?.original.id ?? null).toBe(expected.verdict === 'none' ? null : expected.originalId);
  });
  it('outlet', async () => {
    const c = (await result).scan.finding?.candidate;
    expect(c?.original.outlet ?? null).toBe(expected.verdict === 'none' ? null : expected.outlet);
  });
  it('evidence', async () => {
    const { scan, page } = await result;
    if (expected.verdict === 'none') return expect(scan.finding).toBeUndefined();
    const c = scan.finding!.candidate;
    expect(c.passages.length).toBeGreaterThan(0);
    for (const p of c.passages) expect(page.text.slice(p.pageStart, p.pageEnd).length).toBeGreaterThan(0);
  });
});
