/**
 * npm run -s scan -- [--index DIR] [--format table|json|csv] [--sensitivity low|normal|high] PATH...
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { OutletRegistry } from '../credit/registry';
import { extractSavedPage } from '../extract/parse-html';
import { IndexFormatError } from '../index/index-codec';
import { readIndexDir } from '../index/index-dir';
import type { MemoryIndex } from '../index/memory-index';
import { thresholdsFor, type Sensitivity } from '../match/judge';
import { scanPage } from '../scan-page';
import { BUNDLED_INDEX, loadRegistry, Progress, runCli, UserError } from './cli-support';
import { formatRows, type EvidenceItem, type ScanRow } from './format-rows';

const USAGE = `Usage:
  npm run -s scan -- [--index DIR] [--format table|json|csv] [--sensitivity low|normal|high] PATH...

Scans saved HTML pages (.html, .htm) and text files (.txt, .md) and folders of
them against an index (default: the bundled starter index). One row per page:
file, verdict, outlet, original id, url and title, page coverage, original
coverage, credited, number of passages. Exit code 0 whatever it finds.`;

const PAGE_EXT = new Set(['.html', '.htm', '.xhtml', '.txt', '.text', '.md']);

async function collect(path: string, explicit: boolean, out: string[]): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`, 1);
  }
  if (st.isDirectory()) {
    const entries = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
    for (const e of entries) await collect(join(path, e), false, out);
  } else if (explicit || PAGE_EXT.has(extname(path).toLowerCase())) out.push(path);
}

export async function scanFile(
  file: string,
  index: MemoryIndex,
  registry: OutletRegistry,
  sensitivity: Sensitivity = 'normal',
): Promise<ScanRow> {
  const bytes = new Uint8Array(await readFile(file));
  const ext = extname(file).toLowerCase();
  const isText = ext === '.txt' || ext === '.text' || ext === '.md';
  const page = isText
    ? { text: new TextDecoder('utf-8').decode(bytes), links: [], bylines: [] as string[] }
    : extractSavedPage(bytes);
  const r = await scanPage(page, index, registry, { thresholds: thresholdsFor(sensitivity) });
  const c = r.finding?.candidate;
  const origText = c ? await index.text(c.original.doc) : undefined;
  const rel = (marks: Array<[number, number]> | undefined, base: number) => marks?.map(([a, b]) => [a - base, b - base] as [number, number]);
  const evidence: EvidenceItem[] = (c?.passages ?? []).map((p) => ({
    kind: p.kind,
    pageStart: p.pageStart,
    pageEnd: p.pageEnd,
    pageText: page.text.slice(p.pageStart, p.pageEnd),
    ...(origText !== undefined && p.origStart !== undefined
      ? { originalStart: p.origStart, originalEnd: p.origEnd, originalText: origText.slice(p.origStart, p.origEnd) }
      : {}),
    ...(p.pageMarks ? { pageShared: rel(p.pageMarks, p.pageStart) } : {}),
    ...(p.origMarks && p.origStart !== undefined ? { originalShared: rel(p.origMarks, p.origStart) } : {}),
  }));
  return {
    file,
    verdict: r.verdict,
    outlet: c?.original.outlet ?? '',
    originalId: c?.original.id ?? '',
    originalUrl: c?.original.url ?? '',
    originalTitle: c?.original.title ?? '',
    pageCoverage: round(c?.pageCoverage ?? 0),
    originalCoverage: round(c?.originalCoverage ?? 0),
    credited: !!r.finding?.credit,
    passages: c?.passages.length ?? 0,
    reuse: r.verdict === 'none' || !c ? '' : c.reuse,
    evidence,
    creditedBy: r.finding?.credit ? `${r.finding.credit.kind}: ${r.finding.credit.evidence}` : '',
    weakCredit: r.finding?.weakCredit ? `${r.finding.weakCredit.strength} ${r.finding.weakCredit.kind}: ${r.finding.weakCredit.evidence}` : '',
    confidence: r.confidence,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function scanMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      index: { type: 'string' },
      format: { type: 'string', default: 'table' },
      sensitivity: { type: 'string', default: 'normal' },
      registry: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = values.format!;
  if (!['table', 'json', 'csv'].includes(format)) throw new UserError(`unknown --format "${format}" (table, json or csv)`);
  const sensitivity = values.sensitivity as Sensitivity;
  if (!['low', 'normal', 'high'].includes(sensitivity)) throw new UserError(`unknown --sensitivity "${sensitivity}" (low, normal or high)`);
  if (positionals.length === 0) throw new UserError(`no PATH to scan\n${USAGE}`);

  const registry = loadRegistry(values.registry);
  let index: MemoryIndex;
  try {
    index = await readIndexDir(values.index ?? BUNDLED_INDEX);
  } catch (e) {
    if (e instanceof IndexFormatError) throw new UserError(`index: ${e.message}`, 1);
    throw e;
  }
  const files: string[] = [];
  for (const p of positionals) await collect(p, true, files);
  const rows: ScanRow[] = [];
  let failed = 0;
  const progress = new Progress(files.length, 'scanning');
  for (let i = 0; i < files.length; i++) {
    try {
      rows.push(await scanFile(files[i]!, index, registry, sensitivity));
    } catch (e) {
      failed++;
      process.stderr.write(`scan: ${files[i]}: ${(e as Error).message}\n`);
    }
    progress.tick(i + 1);
  }
  progress.done();
  process.stdout.write(formatRows(rows, format as 'table' | 'json' | 'csv'));
  return failed ? 1 : 0;
}

await runCli('scan', scanMain);
