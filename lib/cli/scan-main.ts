/**
 * npm run -s scan -- [--index DIR] [--format table|json|csv|markdown|html] [--sensitivity low|normal|high] PATH...
 */
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { PageContext } from '../credit/detect-credit';
import type { OutletRegistry } from '../credit/registry';
import { IndexFormatError } from '../index/index-codec';
import { readIndexDir } from '../index/index-dir';
import type { MemoryIndex } from '../index/memory-index';
import { thresholdsFor, type Sensitivity } from '../match/judge';
import type { UnitContext } from '../platforms/contexts';
import { scanPage } from '../scan-page';
import { BUNDLED_INDEX, EXIT, fsReason, loadRegistry, parseOptions, Progress, runCli, UserError } from './cli-support';
import { formatHtml, formatMarkdown } from './format-report';
import { formatRows, type EvidenceItem, type ScanRow } from './format-rows';
import { HTML_EXT, readPageBytes, sniffBinary, TEXT_EXT } from './page-file';
import { printable } from './printable';
import { translateOption } from './translate-option';
import type { Dictionary } from '../translate/dictionary';

const USAGE = `Usage:
  npm run -s scan -- [--index DIR] [--format table|json|csv|markdown|html] [--sensitivity low|normal|high]
                     [--registry FILE] PATH...

Scans saved HTML pages (.html, .htm, .xhtml, .shtml) and text files (.txt, .text,
.md), and folders of them, against an index (default: the bundled starter
index). One row per page: file, verdict, outlet, original id, url and title,
page coverage, original coverage, confidence, credit, number of passages.
Platform pages (WeChat, Weibo, Douyin, Xigua, Bilibili, Toutiao, X) get one row
per post, video or article, with the platform, account, post time and the
engagement figures as shown (file#N in the table; JSON and CSV fields).
--format markdown or html writes a report with the passages side by side.
When the index carries the translation tier (index build makes it unless
--no-translate), pages that translate an original (Chinese ↔ English) are
found too: reuse "translated", the page's and the original's languages, and
the aligned sentence pairs as the passages. An index built with --no-text has
no original texts to align: it gives no verdict on translations.
An input that cannot be read (missing, empty, binary, not a page, no text,
undecodable) is listed with the reason, as verdict "unreadable".
Exit code: 0 every input was scanned, whatever the verdicts; 1 an input or the
index could not be read; 2 a usage error.`;

const FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];
/** Larger files are no saved page. */
const MAX_BYTES = 50 << 20;

/** An input to scan: a file and how to read it, or why it cannot be read. */
type Input = { file: string; kind: 'html' | 'text' | 'unknown' } | { file: string; unreadable: string };

const kindOf = (file: string): 'html' | 'text' | 'unknown' => {
  const ext = extname(file).toLowerCase();
  return HTML_EXT.includes(ext) ? 'html' : TEXT_EXT.includes(ext) ? 'text' : 'unknown';
};

/** Documents an analyst may have collected with the pages: in a folder, listed as unreadable rather than left out. */
const DOCUMENT_EXT = ['.pdf', '.doc', '.docx', '.odt', '.rtf', '.epub', '.mht', '.mhtml', '.webarchive', '.pages', '.wps', '.xps'];

/**
 * A file in a folder that is no page: a document (by its extension or its
 * first bytes) is an input that cannot be read; anything else (images,
 * styles, data files) is left out of the scan and named in one note.
 */
async function otherFile(file: string): Promise<string | undefined> {
  let head: Uint8Array;
  try {
    head = (await readBytes(file, 1024)).bytes;
  } catch (e) {
    return fsReason(e);
  }
  const ext = extname(file).toLowerCase();
  const what = head.length ? sniffBinary(head) : undefined;
  const document = DOCUMENT_EXT.includes(ext) || (what !== undefined && !/image|gzip/.test(what));
  return document ? `${what ? `${what}, ` : ''}not a saved page or text file (${ext || 'no extension'}; scan reads ${[...HTML_EXT, ...TEXT_EXT].join(', ')})` : undefined;
}

/**
 * The inputs under `path`: a file as it is; a folder's files, recursively
 * (hidden ones and a saved page's `NAME_files` folder left out). A path that
 * does not exist and a folder with nothing to scan are inputs that cannot be read.
 */
async function collect(path: string, explicit: boolean, out: Input[], seen: Set<string>, leftOut: string[]): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    out.push({ file: path, unreadable: fsReason(e) });
    return;
  }
  if (st.isDirectory()) {
    const real = await realpath(path).catch(() => path);
    if (seen.has(real)) return; // a symbolic link back up the tree
    seen.add(real);
    let names: string[];
    try {
      names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
    } catch (e) {
      out.push({ file: path, unreadable: `cannot list the folder: ${fsReason(e)}` });
      return;
    }
    // "Save page as… Webpage, Complete" writes NAME.html and its images, styles and scripts in NAME_files/.
    const pages = new Set(names.filter((n) => HTML_EXT.includes(extname(n).toLowerCase())).map((n) => n.slice(0, -extname(n).length)));
    const before = out.length;
    const othersBefore = leftOut.length;
    for (const n of names) {
      if (n.endsWith('_files') && pages.has(n.slice(0, -'_files'.length))) continue;
      await collect(join(path, n), false, out, seen, leftOut);
    }
    if (out.length === before) {
      const others = leftOut.length - othersBefore;
      out.push({
        file: path,
        unreadable: `${others ? 'a folder' : 'an empty folder'}: no saved pages (${HTML_EXT.join(', ')}) or text files (${TEXT_EXT.join(', ')}) in it${others ? ` (${others} other file${others === 1 ? '' : 's'} left out)` : ''}`,
      });
    }
  } else if (st.isFile()) {
    const kind = kindOf(path);
    if (explicit || kind !== 'unknown') out.push({ file: path, kind });
    else {
      const reason = await otherFile(path);
      if (reason) out.push({ file: path, unreadable: reason });
      else leftOut.push(path);
    }
  } else out.push({ file: path, unreadable: 'not a regular file' });
}

async function readBytes(file: string, max: number): Promise<{ bytes: Uint8Array; whole: boolean }> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const n = Math.min(size, max);
    const buf = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const { bytesRead } = await fh.read(buf, at, n - at, at);
      if (!bytesRead) break;
      at += bytesRead;
    }
    return { bytes: buf.subarray(0, at), whole: size <= max };
  } finally {
    await fh.close();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A row for an input that could not be read. */
export function unreadableRow(file: string, reason: string): ScanRow {
  return {
    file, verdict: 'unreadable', outlet: '', originalId: '', originalUrl: '', originalTitle: '',
    pageCoverage: null, originalCoverage: null, credited: null, passages: null, reuse: '', evidence: [], confidence: null, reason, pageLang: '', originalLang: '',
  };
}

/** Scans one file: its rows (one per unit of a platform page, else one), verdict "unreadable" with the reason when it holds no page to judge. */
export async function scanFile(
  file: string,
  index: MemoryIndex,
  registry: OutletRegistry,
  sensitivity: Sensitivity = 'normal',
  kind: 'html' | 'text' | 'unknown' = kindOf(file),
  translate?: { dict: Dictionary },
  now?: string,
): Promise<ScanRow[]> {
  let read;
  try {
    read = await readBytes(file, MAX_BYTES);
  } catch (e) {
    return [unreadableRow(file, fsReason(e))];
  }
  if (!read.whole) return [unreadableRow(file, `larger than ${MAX_BYTES >> 20} MB: not a saved page`)];
  const got = readPageBytes(read.bytes, kind, now);
  if ('unreadable' in got) return [unreadableRow(file, got.unreadable)];
  if (!got.units) return [await scanOne(file, got.page, index, registry, sensitivity, translate)];
  const rows: ScanRow[] = [];
  for (const u of got.units) rows.push({ ...(await scanOne(file, u, index, registry, sensitivity, translate)), ...unitFields(u) });
  return rows;
}

/** The platform fields of a unit's row (lib/platforms): which post, who posted it, when, and its figures as shown. */
function unitFields(u: UnitContext): Partial<ScanRow> {
  const x = u.unit;
  return {
    unit: u.of > 1 ? `${u.index}/${u.of}` : '',
    platform: x.platform,
    unitKind: x.kind,
    account: x.author.name,
    accountUrl: x.author.url ?? '',
    postedAt: x.postedAt?.shown ?? '',
    postedAtIso: x.postedAt?.iso ?? '',
    engagement: x.engagement,
    repostOf: x.repostOf ? { account: x.repostOf.author.name, accountUrl: x.repostOf.author.url ?? '', text: x.repostOf.text, via: x.repostChain ?? [] } : null,
    marks: x.marks.map((m) => `${m.kind}: ${m.text}`),
    unitUrl: x.url ?? '',
    unitSelector: x.selector ?? '',
    unitTitle: x.title ?? '',
    subtitles: (x.subtitles ?? []).length,
  };
}

/** Scans one text (a page, or one unit of a platform page). */
async function scanOne(file: string, page: PageContext, index: MemoryIndex, registry: OutletRegistry, sensitivity: Sensitivity, translate?: { dict: Dictionary }): Promise<ScanRow> {
  const r = await scanPage(page, index, registry, { thresholds: thresholdsFor(sensitivity), ...(translate ? { translate } : {}) });
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
  // Translated passages are aligned sentence pairs (one per pair, in order): their score and shared anchors.
  const pairs = c?.translation?.pairs;
  if (pairs && pairs.length === evidence.length) evidence.forEach((e, i) => Object.assign(e, { score: round(pairs[i]!.score), anchors: pairs[i]!.anchors }));
  const credit = r.finding?.credit;
  const weak = r.finding?.weakCredit;
  const outletName = c ? registry.displayName(c.original.outlet) : '';
  return {
    file,
    verdict: r.verdict,
    outlet: c?.original.outlet ?? '',
    originalId: c?.original.id ?? '',
    originalUrl: c?.original.url ?? '',
    originalTitle: c?.original.title ?? '',
    pageCoverage: round(c?.pageCoverage ?? 0),
    originalCoverage: round(c?.originalCoverage ?? 0),
    credited: !!credit,
    passages: c?.passages.length ?? 0,
    reuse: r.verdict === 'none' || !c ? '' : c.reuse,
    evidence,
    confidence: r.confidence,
    creditKind: credit?.kind ?? '',
    creditEvidence: credit?.evidence ?? '',
    creditStrength: credit?.strength ?? '',
    weakCreditKind: weak?.kind ?? '',
    weakCreditEvidence: weak?.evidence ?? '',
    weakCreditStrength: weak?.strength ?? '',
    creditReason: !c || credit ? '' : creditReasonOf(outletName, weak?.strength),
    reason: '',
    pageLang: r.verdict !== 'none' && c?.translation ? c.translation.pageLang : '',
    originalLang: r.verdict !== 'none' && c?.translation ? c.original.lang || c.translation.originalLang : '',
    outletName,
  };
}

/** Why a page that reuses an original gives it no visible credit. */
function creditReasonOf(outlet: string, weak: string | undefined): string {
  const none = `no source line, link or byline names ${outlet}, its own words do not mention it, and the page is not on its site`;
  if (weak === 'metadata') return `${none}: only the page's metadata names it, which readers do not see`;
  if (weak === 'hidden') return `${none}: only markup that readers cannot see names it`;
  return none;
}

/** The index folder, or a one-line reason it cannot be read. */
async function loadIndex(dir: string, given: boolean): Promise<MemoryIndex> {
  const st = await stat(dir).catch((e: unknown) => {
    throw new UserError(`cannot read the index ${printable(dir)}: ${fsReason(e)}`, EXIT.failed);
  });
  if (!st.isDirectory()) throw new UserError(`${given ? '--index ' : ''}${printable(dir)} is a file: give an index folder (made by: npm run -s index -- build)`, EXIT.failed);
  try {
    return await readIndexDir(dir);
  } catch (e) {
    if (e instanceof IndexFormatError) throw new UserError(`index: ${printable(e.message)}`, EXIT.failed);
    throw e;
  }
}

export async function scanMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args: argv,
    options: {
      index: { type: 'string' },
      format: { type: 'string', default: 'table' },
      sensitivity: { type: 'string', default: 'normal' },
      registry: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UserError(`unknown --format "${printable(values.format!, 40)}" (${FORMATS.join(', ')})`);
  const sensitivity = values.sensitivity as Sensitivity;
  if (!['low', 'normal', 'high'].includes(sensitivity)) throw new UserError(`unknown --sensitivity "${printable(sensitivity, 40)}" (low, normal or high)`);
  if (positionals.length === 0) throw new UserError('no PATH to scan (give saved pages, text files or folders; see --help)');

  const registry = loadRegistry(values.registry);
  const indexDir = values.index ?? BUNDLED_INDEX;
  const index = await loadIndex(indexDir, values.index !== undefined);
  const translate = translateOption(index);
  const inputs: Input[] = [];
  const seen = new Set<string>();
  const leftOut: string[] = [];
  for (const p of positionals) await collect(p, true, inputs, seen, leftOut);
  if (leftOut.length) {
    const shown = leftOut.slice(0, 5).map((f) => printable(f)).join(', ');
    process.stderr.write(`scan: note: left out ${leftOut.length} file${leftOut.length === 1 ? '' : 's'} in folders that are no page or document: ${shown}${leftOut.length > 5 ? `, and ${leftOut.length - 5} more` : ''}\n`);
  }
  const rows: ScanRow[] = [];
  const progress = new Progress(inputs.length, 'scanning');
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    rows.push(...('unreadable' in input ? [unreadableRow(input.file, input.unreadable)] : await scanFile(input.file, index, registry, sensitivity, input.kind, translate)));
    progress.tick(i + 1);
  }
  progress.done();
  const unreadable = rows.filter((r) => r.verdict === 'unreadable');
  for (const r of unreadable) process.stderr.write(`scan: cannot read ${printable(r.file)}: ${printable(r.reason ?? '')}\n`);
  if (unreadable.length) process.stderr.write(`scan: ${unreadable.length} of ${inputs.length} input${inputs.length === 1 ? '' : 's'} could not be read (exit code 1)\n`);
  const info = { date: new Date().toISOString(), index: values.index === undefined ? 'the bundled starter index' : `the index ${indexDir}`, originals: index.header.originals, sensitivity };
  process.stdout.write(format === 'markdown' ? formatMarkdown(rows, info) : format === 'html' ? formatHtml(rows, info) : formatRows(rows, format));
  return unreadable.length ? EXIT.failed : EXIT.ok;
}

await runCli('scan', scanMain);
