/**
 * npm run demo — scans the bundled demo pages (public/demo) against the
 * bundled starter index and prints, for each page, what the badge would say
 * and its evidence: outlet, original, shares reused, credit, and the matched
 * passages side by side. Each verdict is checked against public/demo/expected.json.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractSavedPage } from '../extract/parse-html';
import { readIndexDir } from '../index/index-dir';
import { scanPage } from '../scan-page';
import { BUNDLED_INDEX, fsReason, loadRegistry, PROJECT_ROOT, parseOptions, runCli, UserError } from './cli-support';
import { oneLine } from './format-rows';
import { translateOption } from './translate-option';

interface Expected {
  verdict: string;
  originalId: string | null;
  outlet: string | null;
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
    const page = extractSavedPage(new Uint8Array(await readFile(join(dir, file))));
    const v = await scanPage(page, index, registry, translate ? { translate } : {});
    const exp = expected[file];
    const c = v.finding?.candidate;
    const ok = exp && exp.verdict === v.verdict && (exp.originalId ?? '') === (c?.original.id ?? (v.verdict === 'none' ? '' : '?'));
    if (ok) agree++;
    const outlet = c ? registry.displayName(c.original.outlet, values.lang) : '';
    const badge =
      v.verdict === 'uncredited' && c?.translation ? `Likely an uncredited translation of ${outlet} (${c.translation.originalLang} → ${c.translation.pageLang})` :
      v.verdict === 'partial' && c?.translation ? `Partly translates ${outlet} (${c.translation.originalLang} → ${c.translation.pageLang})` :
      v.verdict === 'uncredited' ? `Likely uncredited copy of ${outlet}` :
      v.verdict === 'partial' ? `Partly reuses ${outlet}` :
      v.verdict === 'credited' ? `Credited reuse of ${outlet} (${v.finding!.credit!.kind}: ${oneLine(v.finding!.credit!.evidence, 40)})` :
      'no badge';
    process.stdout.write(`${ok ? '✓' : '✗'} ${file} — ${badge}\n`);
    if (exp) process.stdout.write(`    page: ${exp.what}${ok ? '' : `  [expected ${exp.verdict} ${exp.originalId ?? ''}]`}\n`);
    if (c) {
      process.stdout.write(`    original: “${oneLine(c.original.title, 70)}” ${c.original.published} <${c.original.url}>\n`);
      process.stdout.write(`    reused: ${Math.round(c.pageCoverage * 100)}% of the page, ${Math.round(c.originalCoverage * 100)}% of the original, ${c.passages.length} passage(s), confidence ${v.confidence}\n`);
      const text = await index.text(c.original.doc);
      for (const p of c.passages.slice(0, 2)) {
        process.stdout.write(`      page    : ${oneLine(page.text.slice(p.pageStart, p.pageEnd), 90)}\n`);
        if (text && p.origStart !== undefined) process.stdout.write(`      original: ${oneLine(text.slice(p.origStart, p.origEnd), 90)}\n`);
      }
    }
  }
  process.stdout.write(`\n${agree} of ${files.length} pages got the expected verdict.\n`);
  return 0;
}

await runCli('demo', demoMain);
