/**
 * npm run demo — scans the bundled demo pages (public/demo) against the
 * bundled starter index and prints, for each page, what the badge would say
 * and its evidence: outlet, original, shares reused, credit, and the matched
 * passages side by side. Each verdict is checked against public/demo/expected.json.
 * A platform page is read as the scan command reads it (lib/platforms): a
 * video by its caption and subtitles, a timeline post by post (each post is
 * checked against the page's `units`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageContext } from '../credit/detect-credit';
import { extractSavedPage } from '../extract/parse-html';
import { readPageBytes } from './page-file';
import { readIndexDir } from '../index/index-dir';
import { scanPage } from '../scan-page';
import { BUNDLED_INDEX, fsReason, loadRegistry, PROJECT_ROOT, parseOptions, runCli, UserError } from './cli-support';
import { oneLine } from './format-rows';
import { translateOption } from './translate-option';

interface Expected {
  verdict: string;
  originalId: string | null;
  outlet: string | null;
  /** A page of several posts: each post's verdict, in page order. */
  units?: Array<{ verdict: string; originalId: string | null }>;
  what: string;
}

export async function demoMain(argv: string[]): Promise<number> {
  const { values } = parseOptions({ args: argv, options: { dir: { type: 'string' }, lang: { type: 'string', default: 'en' } } });
  const dir = values.dir ?? join(PROJECT_ROOT, 'public/demo');
  let expected: Record<string, Expected>;
  try {
    expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read ${join(dir, 'expected.json')}: ${fsReason(e)}`, 1);
  }
  const registry = loadRegistry();
  const index = await readIndexDir(BUNDLED_INDEX);
  const translate = translateOption(index);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.html')).sort();
  let agree = 0;
  process.stdout.write(`Demo: ${files.length} pages scanned against the bundled starter index (${index.header.originals} fictional originals).\n\n`);
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(join(dir, file)));
    const got = readPageBytes(bytes, 'html');
    const contexts: Array<PageContext & { account?: string }> =
      'unreadable' in got ? [extractSavedPage(bytes)] : got.units ? got.units.map((u) => ({ ...u, account: u.unit.author.name })) : [got.page];
    const exp = expected[file];
    const several = contexts.length > 1;
    let pageOk = !!exp;
    if (several) process.stdout.write(`${file} — ${contexts.length} posts, each judged on its own\n`);
    for (const [i, page] of contexts.entries()) {
      const want = several ? exp?.units?.[i] : exp;
      const v = await scanPage(page, index, registry, translate ? { translate } : {});
      const c = v.finding?.candidate;
      const ok = !!want && want.verdict === v.verdict && (want.originalId ?? '') === (c?.original.id ?? (v.verdict === 'none' ? '' : '?'));
      if (!ok) pageOk = false;
      const outlet = c ? registry.displayName(c.original.outlet, values.lang) : '';
      const badge =
        v.verdict === 'uncredited' && c?.translation ? `Likely an uncredited translation of ${outlet} (${c.translation.originalLang} → ${c.translation.pageLang})` :
        v.verdict === 'partial' && c?.translation ? `Partly translates ${outlet} (${c.translation.originalLang} → ${c.translation.pageLang})` :
        v.verdict === 'uncredited' ? `Likely uncredited copy of ${outlet}` :
        v.verdict === 'partial' ? `Partly reuses ${outlet}` :
        v.verdict === 'credited' ? `Credited reuse of ${outlet} (${v.finding!.credit!.kind}: ${oneLine(v.finding!.credit!.evidence, 40)})` :
        'no badge';
      const indent = several ? '    ' : '';
      process.stdout.write(several ? `  ${ok ? '✓' : '✗'} post ${i + 1} (${page.account ?? '?'}) — ${badge}\n` : `${ok ? '✓' : '✗'} ${file} — ${badge}\n`);
      if (exp && !several) process.stdout.write(`    page: ${exp.what}${ok ? '' : `  [expected ${exp.verdict} ${exp.originalId ?? ''}]`}\n`);
      if (several && !ok) process.stdout.write(`${indent}  [expected ${want?.verdict ?? '?'} ${want?.originalId ?? ''}]\n`);
      if (c) {
        process.stdout.write(`${indent}    original: “${oneLine(c.original.title, 70)}” ${c.original.published} <${c.original.url}>\n`);
        process.stdout.write(`${indent}    reused: ${Math.round(c.pageCoverage * 100)}% of the page, ${Math.round(c.originalCoverage * 100)}% of the original, ${c.passages.length} passage(s), confidence ${v.confidence}\n`);
        const text = await index.text(c.original.doc);
        for (const p of c.passages.slice(0, several ? 1 : 2)) {
          process.stdout.write(`${indent}      page    : ${oneLine(page.text.slice(p.pageStart, p.pageEnd), 90)}\n`);
          if (text && p.origStart !== undefined) process.stdout.write(`${indent}      original: ${oneLine(text.slice(p.origStart, p.origEnd), 90)}\n`);
        }
      }
    }
    if (several && exp) process.stdout.write(`    page: ${exp.what}\n`);
    if (pageOk) agree++;
  }
  process.stdout.write(`\n${agree} of ${files.length} pages got the expected verdict.\n`);
  return 0;
}

await runCli('demo', demoMain);
