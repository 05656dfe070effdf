import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { articlesNotInIndex, loadFixtures, stripSourceTag } from '../support/make-pages';
import { loadRewriteCorpus } from '../support/rewrite-generator';
import { syntheticLines } from '../support/synthetic-text';
import { startReportServer } from '../../lib/report-server/server';
import { PoliteFetcher } from '../../lib/cli/read-rss';
import { addToken, makeBackend, makeReport, post, request } from '../support/report-backends';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
async function cli(tool: 'scan' | 'index', args: string[]) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', `lib/cli/${tool}-main.ts`, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const fx = loadFixtures();
const tmp = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const o = fx.originals.en[3]!;
const copyFile = join(tmp, 'copy.html');
writeFileSync(copyFile, `<html><head><title>Re-post</title><link rel="canonical" href="https://copy.test/a"></head><body><article><h1>Re-post</h1>${stripSourceTag(o.text).split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`);
const textFile = join(tmp, 'note.txt');
writeFileSync(textFile, fx.filler.en.slice(0, 3).join('\n\n'));

describe('scan', () => {
  it('prints one JSON object per page with exactly the documented fields', async () => {
    const r = await cli('scan', ['--format', 'json', copyFile, textFile]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(Object.keys(row)).toEqual([
        'file', 'verdict', 'outlet', 'originalId', 'originalUrl', 'originalTitle', 'pageCoverage', 'originalCoverage', 'credited', 'passages', 'reuse', 'evidence',
        'confidence', 'creditKind', 'creditEvidence', 'creditStrength', 'weakCreditKind', 'weakCreditEvidence', 'weakCreditStrength', 'creditReason', 'reason',
        'unit', 'platform', 'unitKind', 'account', 'accountUrl', 'postedAt', 'postedAtIso', 'engagement', 'repostOf', 'marks', 'unitUrl', 'unitSelector', 'unitTitle', 'subtitles',
        'pageLang', 'originalLang',
      ]);
    expect(rows[0]).toMatchObject({ file: copyFile, verdict: 'uncredited', outlet: o.outlet, originalId: o.id, originalUrl: o.url, originalTitle: o.title, credited: false, reuse: 'verbatim' });
    expect(rows[0].pageCoverage).toBeGreaterThan(0.8);
    // The evidence: each passage's text on the page and in the original, with offsets into both.
    expect(rows[0].evidence.length).toBe(rows[0].passages);
    for (const e of rows[0].evidence) {
      expect(e.kind).toBe('verbatim');
      expect(o.text.slice(e.originalStart, e.originalEnd)).toBe(e.originalText);
      expect(e.pageText.length).toBeGreaterThan(20);
    }
    // Why no credit: named, with the confidence.
    expect(rows[0]).toMatchObject({ creditKind: '', creditReason: expect.stringMatching(/^no source line, link or byline names .+, its own words do not mention it, and the page is not on its site$/), reason: '' });
    expect(rows[0].confidence).toBeGreaterThan(0.5);
    expect(rows[1]).toMatchObject({ verdict: 'none', originalId: '', passages: 0, reuse: '', evidence: [], confidence: 0, creditReason: '', reason: '' });
    expect(rows[0]).toMatchObject({ pageLang: '', originalLang: '' });
  });
  it('finds a translated copy with the bundled index (translation tier): languages and aligned sentence pairs in JSON, CSV and the reports', async () => {
    const file = join(ROOT, 'public/demo/en-translated-uncredited.html');
    const [row] = JSON.parse((await cli('scan', ['--format', 'json', file])).stdout);
    expect(row).toMatchObject({ verdict: 'uncredited', originalId: 'zh-016', outlet: 'cgtn', reuse: 'translated', pageLang: 'en', originalLang: 'zh-Hans', credited: false });
    expect(row.evidence.length).toBeGreaterThanOrEqual(3);
    const original = readFileSync(join(ROOT, 'public/starter/originals-zh.jsonl'), 'utf8').split('\n').map((l) => (l.trim() ? JSON.parse(l) : {})).find((o) => o.id === 'zh-016').text as string;
    for (const e of row.evidence) {
      expect(e.kind).toBe('translated');
      expect(e.score).toBeGreaterThanOrEqual(0.55);
      expect(original.slice(e.originalStart, e.originalEnd)).toBe(e.originalText);
      expect(/[\u4e00-\u9fff]/.test(e.originalText) && !/[\u4e00-\u9fff]/.test(e.pageText)).toBe(true);
      expect(e.pageShared.length).toBeGreaterThan(0);
      expect(e.originalShared.length).toBeGreaterThan(0);
    }
    // The first pair carries the record count both ways: "187,000" and "18.7万".
    expect(row.evidence.some((e: { anchors: string[] }) => e.anchors.includes('n:187000'))).toBe(true);
    const csv = (await cli('scan', ['--format', 'csv', file])).stdout.split('\r\n');
    expect(csv[0]!.endsWith(',pageLang,originalLang')).toBe(true);
    expect(csv[1]).toMatch(/,translated,.*,en,zh-Hans$/);
    expect((await cli('scan', [file])).stdout).toMatch(/uncredited \(translated\)\s+cgtn\s+zh-016/);
    const md = (await cli('scan', ['--format', 'markdown', file])).stdout;
    expect(md).toContain('likely uncredited translation of CGTN');
    expect(md).toContain('**Languages:** the page is in English, the original in Chinese (Simplified)');
    expect(md).toMatch(/### Passage 1 \(translated sentence pair, score 0\.\d\d\)/);
    const html = (await cli('scan', ['--format', 'html', file])).stdout;
    expect(html).toContain('<dt>Languages</dt><dd>the page is in English, the original in Chinese (Simplified)</dd>');
    expect(html).toMatch(/<mark>[^<]*18\.7万[^<]*<\/mark>/);
  });
  it('gives the aligned sentence pairs of a rewritten copy, with the shared words of both sides', async () => {
    // A rewrite of the corpus (every sentence reworded), scanned as a text file against the bundled index.
    const rw = loadRewriteCorpus().find((p) => p.id === 'rw-en-037')!;
    mkdirSync(join(tmp, 'rewrites'), { recursive: true });
    const file = join(tmp, 'rewrites', 'rewritten.txt');
    writeFileSync(file, rw.text);
    const [row] = JSON.parse((await cli('scan', ['--format', 'json', file])).stdout);
    expect(row).toMatchObject({ verdict: 'uncredited', originalId: rw.source });
    expect(['rewritten', 'mixed']).toContain(row.reuse); // a medium rewrite keeps a few runs word for word
    const rewritten = row.evidence.filter((e: { kind: string }) => e.kind === 'rewritten');
    expect(rewritten.length).toBeGreaterThan(3);
    const original = fx.originals.en.find((o) => o.id === rw.source)!.text;
    for (const e of rewritten) {
      expect(rw.text.slice(e.pageStart, e.pageEnd)).toBe(e.pageText);
      expect(original.slice(e.originalStart, e.originalEnd)).toBe(e.originalText);
      const pageWords = e.pageShared.map(([a, b]: [number, number]) => e.pageText.slice(a, b).toLowerCase());
      const origWords = e.originalShared.map(([a, b]: [number, number]) => e.originalText.slice(a, b).toLowerCase());
      expect(pageWords.length).toBeGreaterThan(1);
      // Every marked page word has a marked counterpart in the original sentence (same stem).
      for (const w of pageWords) expect(origWords.some((o: string) => o.slice(0, 4) === w.slice(0, 4))).toBe(true);
    }
  });
  it('prints CSV and a table', async () => {
    const csv = await cli('scan', ['--format', 'csv', copyFile]);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'file,verdict,outlet,originalId,originalUrl,originalTitle,pageCoverage,originalCoverage,credited,passages,reuse,' +
        'confidence,creditKind,creditEvidence,creditStrength,weakCreditKind,weakCreditEvidence,weakCreditStrength,creditReason,reason,' +
        'unit,platform,unitKind,account,accountUrl,postedAt,postedAtIso,engagement,repostOf,marks,unitUrl,unitSelector,unitTitle,subtitles,pageLang,originalLang',
    );
    const table = await cli('scan', [copyFile, textFile]);
    expect(table.stdout).toMatch(/uncredited/);
    expect(table.stdout).toMatch(/2 pages: 1 uncredited, 0 partial, 0 credited, 1 none/);
  });
  it('gives one clear line for user errors, never a stack trace', async () => {
    for (const [args, code, msg] of [
      [['--bogus', copyFile], 2, /^scan: unknown option --bogus \(options: --index …, --format …, --sensitivity …, --registry …, --help\)\n$/],
      [['--format', 'xml', copyFile], 2, /unknown --format "xml"/],
      [[], 2, /no PATH to scan/],
      [['/nonexistent/file.html'], 1, /cannot read \/nonexistent\/file.html: no such file or folder/],
      [['--index', tmp, copyFile], 1, /index: .*index.json: not found/],
    ] as const) {
      const r = await cli('scan', [...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('scan: inputs that cannot be read are listed, never judged', () => {
  it('lists each unreadable input with its reason on stderr and as a row, and exits 1', async () => {
    const dir = join(tmp, 'unreadable');
    mkdirSync(join(dir, 'folder', 'saved_files'), { recursive: true });
    mkdirSync(join(dir, 'empty-folder'), { recursive: true });
    const bin = Buffer.alloc(2000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const files: Record<string, Buffer | string> = {
      'binary.html': bin,
      'empty.html': '',
      'no-text.html': '<html><head><title>x</title><script>document.write("later")</script></head><body><div id="app"></div></body></html>',
      'report.pdf': '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n',
      'blank.txt': ' \n\n \t\n',
      // Declares UTF-8, is GB18030: decodes to replacement characters.
      'wrong-charset.html': Buffer.concat([Buffer.from('<html><head><meta charset="utf-8"></head><body><p>'), Buffer.from(new TextEncoder().encode('x')), Buffer.from([0xd6, 0xd0, 0xb9, 0xfa, 0xc8, 0xcb, 0xc3, 0xf1].concat(...Array(60).fill([0xd6, 0xd0, 0xb9, 0xfa]))), Buffer.from('</p></body></html>')]),
      'utf16.txt': Buffer.from('A page saved in UTF-16 without its byte-order mark. '.repeat(10), 'utf16le'),
      'folder/saved.html': readFileSync(copyFile),
      'folder/saved_files/style.css': 'p{color:red}',
      'folder/notes.docx': Buffer.from('PK\x03\x04rest of a zip', 'latin1'),
      // Neither page nor document: left out, named in one note.
      'folder/data.json': '{"a": 1}',
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    const inputs = [...Object.keys(files).filter((f) => !f.startsWith('folder/')).map((f) => join(dir, f)), join(dir, 'folder'), join(dir, 'empty-folder'), join(dir, 'no-such-file.html')];
    const r = await cli('scan', ['--format', 'json', ...inputs]);
    expect(r.code).toBe(1);
    const rows: Array<Record<string, unknown>> = JSON.parse(r.stdout);
    const byFile = Object.fromEntries(rows.map((row) => [String(row.file).slice(dir.length + 1), row]));
    const expected: Record<string, RegExp> = {
      'binary.html': /^a binary file, not text \(it holds NUL bytes\)$/,
      'empty.html': /^empty file$/,
      'no-text.html': /^no text found in the page/,
      'report.pdf': /^a PDF document, not a saved page or text file$/,
      'blank.txt': /^no text \(only blank space\)$/,
      'wrong-charset.html': /^the text does not decode as utf-8, the charset it declares: \d+% of its characters are unreadable/,
      'utf16.txt': /UTF-16 without a byte-order mark/,
      'folder/notes.docx': /^a ZIP archive .*, not a saved page or text file \(\.docx; scan reads \.html/,
      'empty-folder': /^an empty folder: no saved pages/,
      'no-such-file.html': /^no such file or folder$/,
    };
    for (const [name, reason] of Object.entries(expected)) {
      const row = byFile[name]!;
      expect([name, row?.verdict]).toEqual([name, 'unreadable']);
      expect([name, row.reason]).toEqual([name, expect.stringMatching(reason)]);
      // Nothing that could read as "checked and found clean".
      expect([name, row.pageCoverage, row.credited, row.passages, row.confidence]).toEqual([name, null, null, null, null]);
      expect(r.stderr).toContain(`scan: cannot read ${join(dir, name)}: ${row.reason}\n`);
    }
    // The saved page's own folder of images and styles is not an input; the page is scanned.
    expect(byFile['folder/saved.html']).toMatchObject({ verdict: 'uncredited', reason: '' });
    expect(Object.keys(byFile).sort()).toEqual([...Object.keys(expected), 'folder/saved.html'].sort());
    expect(r.stderr).toMatch(/^scan: 10 of 11 inputs could not be read \(exit code 1\)$/m);
    expect(r.stderr).toContain(`scan: note: left out 1 file in folders that are no page or document: ${join(dir, 'folder', 'data.json')}\n`);
    // CSV: the same rows, the reason in the last column.
    const csv = (await cli('scan', ['--format', 'csv', join(dir, 'empty.html')])).stdout.split('\r\n');
    expect(csv[1]).toBe(`${join(dir, 'empty.html')},unreadable,,,,,,,,,,,,,,,,,,empty file,,,,,,,,,,,,,,,,`);
    // The table: listed, counted, exit 1.
    const table = await cli('scan', [join(dir, 'empty-folder')]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/empty-folder +unreadable .* an empty folder/);
    expect(table.stdout).toMatch(/1 page: 0 uncredited, 0 partial, 0 credited, 0 none, 1 unreadable/);
  });
  it('reads an explicitly named page whatever its extension', async () => {
    const php = join(tmp, 'article.php');
    writeFileSync(php, readFileSync(copyFile));
    const r = await cli('scan', ['--format', 'json', php]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ verdict: 'uncredited', originalId: o.id });
  });
});

describe('scan: the evidence', () => {
  const reg = JSON.parse(readFileSync(join(ROOT, 'public/outlets.json'), 'utf8')) as { outlets: Array<{ id: string; names: Record<string, string>; domains: string[] }> };
  const outlet = reg.outlets.find((x) => x.id === o.outlet)!;
  const body = stripSourceTag(o.text).split('\n\n').map((p) => `<p>${p}</p>`).join('');
  it('names the credit found, the weak signal, or why there is none', async () => {
    const credited = join(tmp, 'credited.html');
    writeFileSync(credited, `<html><body><article><h1>Re-post</h1>${body}<p>Source: ${outlet.names.en}</p></article></body></html>`);
    const weak = join(tmp, 'weak.html');
    writeFileSync(weak, `<html><head><link rel="canonical" href="https://${outlet.domains[0]}/a/1.html"></head><body><article><h1>Re-post</h1>${body}</article></body></html>`);
    const rows = JSON.parse((await cli('scan', ['--format', 'json', credited, weak, copyFile])).stdout);
    expect(rows[0]).toMatchObject({ verdict: 'credited', credited: true, creditKind: 'source-line', creditEvidence: expect.stringContaining(outlet.names.en!), creditStrength: 'visible', weakCreditKind: '', creditReason: '' });
    expect(rows[1]).toMatchObject({ verdict: 'uncredited', credited: false, creditKind: '', weakCreditKind: 'canonical', weakCreditStrength: 'metadata', weakCreditEvidence: `https://${outlet.domains[0]}/a/1.html` });
    expect(rows[1].creditReason).toMatch(/only the page's metadata names it, which readers do not see$/);
    expect(rows[2].creditReason).toBe(`no source line, link or byline names ${outlet.names.en}, its own words do not mention it, and the page is not on its site`);
    // The table prints addresses whole: no "…" in the row.
    const table = (await cli('scan', [weak])).stdout;
    const line = table.split('\n').find((l) => l.includes('weak.html'))!;
    expect(line).toContain(`<${o.url}>`);
    expect(line).toContain(`no (metadata canonical: https://${outlet.domains[0]}/a/1.html)`);
  });
  it('writes Markdown and HTML reports: one section per page, passages side by side, shared words marked, every string inert', async () => {
    // An index whose original carries markup and Markdown in its title and text, and a page that copies it.
    const hostile = {
      id: 'hx-1',
      outlet: o.outlet,
      url: `${o.url}?q=<b>"x"`,
      title: '<script>alert(1)</script> **Bold** [link](javascript:alert(2)) | cell',
      published: '2026-03-01',
      lang: 'en',
      text: `${stripSourceTag(o.text)}\n\nSee <img src=x onerror=alert(3)> and [click](https://evil.example) or www.evil.example | next.`,
    };
    const src = join(tmp, 'hostile.jsonl');
    writeFileSync(src, JSON.stringify(hostile) + '\n');
    const idx = join(tmp, 'hostile-idx');
    expect((await cli('index', ['build', '--in', src, '--out', idx])).code).toBe(0);
    const page = join(tmp, 'hostile-copy.txt');
    writeFileSync(page, hostile.text);
    const rw = loadRewriteCorpus().find((p) => p.id === 'rw-en-037')!;
    const rewritten = join(tmp, 'rewritten-report.txt');
    writeFileSync(rewritten, rw.text);

    const md = await cli('scan', ['--index', idx, '--format', 'markdown', page, join(tmp, 'no-such.html')]);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^# Scan report\n/);
    expect(md.stdout).toMatch(/^## 1\. .*hostile-copy\.txt — likely uncredited copy of /m);
    expect(md.stdout).toMatch(/^## 2\. .*no-such\.html — could not be read$/m);
    expect(md.stdout).toMatch(/^- \*\*Could not be read:\*\* no such file or folder$/m);
    expect(md.stdout).toMatch(/^\| Page \| Original \|$/m);
    // No raw HTML, no link or emphasis from the strings.
    expect(md.stdout).not.toMatch(/<script|<img|(?<!\\)\]\((?:javascript|https:\/\/evil)/);
    expect(md.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*Bold\\*\\* \\[link\\](javascript:alert(2)) \\| cell');
    expect(md.stdout).toContain('\\[click\\](https:\\/\\/evil.example) or www\\.evil.example \\| next');
    // The address is a link only as the URL parser writes it (encoded).
    expect(md.stdout).toContain(`<${new URL(hostile.url).href}>`);

    const mdRw = (await cli('scan', ['--format', 'markdown', rewritten])).stdout;
    expect(mdRw).toMatch(/^### Passage \d+ \(rewritten\) — page \d+–\d+, original \d+–\d+$/m);
    expect(mdRw).toMatch(/^\| .*\*\*[^*]+\*\*.* \| .*\*\*[^*]+\*\*.* \|$/m);

    const html = await cli('scan', ['--index', idx, '--format', 'html', page]);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html.stdout).not.toMatch(/<script|<img|href="javascript/i);
    expect(html.stdout).toContain('&lt;img src=x onerror=alert(3)&gt;');
    expect(html.stdout).toContain(`<a href="${new URL(hostile.url).href.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" rel="noopener noreferrer">`);
    expect(html.stdout.match(/<section>/g)).toHaveLength(1);
    const htmlRw = (await cli('scan', ['--format', 'html', rewritten])).stdout;
    expect(htmlRw).toMatch(/<td>[^]*?<mark>[^<]+<\/mark>[^]*?<\/td><td>[^]*?<mark>[^<]+<\/mark>/);
  });
});

describe('index build', () => {
  it('builds from JSONL and saved pages, reports every skipped record with its line, and the index scans', async () => {
    const src = join(tmp, 'src');
    mkdirSync(src, { recursive: true });
    const lines = [
      JSON.stringify(fx.originals.zh[2]),
      '{not json',
      JSON.stringify({ ...fx.originals.zh[3], title: undefined }),
      '',
      JSON.stringify({ ...fx.originals.zh[4], url: 'javascript:alert(1)' }),
      JSON.stringify(fx.originals.zh[5]),
      JSON.stringify(fx.originals.zh[2]),
    ];
    writeFileSync(join(src, 'originals.jsonl'), lines.join('\n'));
    const e = fx.originals.en[7]!;
    writeFileSync(join(src, 'saved.html'), `<html><head><link rel="canonical" href="${e.url}"><title>${e.title}</title></head><body><article>${e.text.split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`);
    writeFileSync(join(src, 'elsewhere.html'), `<html><head><link rel="canonical" href="https://blog.test/x"></head><body><p>${e.text}</p></body></html>`);
    const out = join(tmp, 'idx');
    const r = await cli('index', ['build', '--in', src, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/indexed 3 originals/);
    expect(r.stdout).toMatch(/originals.jsonl:2: not valid JSON/);
    expect(r.stdout).toMatch(/originals.jsonl:3: missing field title/);
    expect(r.stdout).toMatch(/originals.jsonl:5: url must be http\(s\)/);
    expect(r.stdout).toMatch(/id zh-003: duplicate id/);
    expect(r.stdout).toMatch(/elsewhere.html: domain blog.test is not an outlet/);
    const page = join(tmp, 'zhcopy.txt');
    writeFileSync(page, stripSourceTag(fx.originals.zh[5]!.text));
    const s = JSON.parse((await cli('scan', ['--index', out, '--format', 'json', page])).stdout);
    expect(s[0]).toMatchObject({ verdict: 'uncredited', originalId: fx.originals.zh[5]!.id });
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toMatch(/"originals": 3/);
  });
  it('builds the translation tier unless --no-translate; without texts it finds no translated copy, and says so', async () => {
    const src = join(tmp, 'tr-src.jsonl');
    writeFileSync(src, readFileSync(join(ROOT, 'public/starter/originals-zh.jsonl'), 'utf8'));
    const page = join(ROOT, 'public/demo/en-translated-uncredited.html');
    const scanWith = async (dir: string) => JSON.parse((await cli('scan', ['--index', dir, '--format', 'json', page])).stdout)[0];
    const withTier = join(tmp, 'idx-tr');
    const a = await cli('index', ['build', '--in', src, '--out', withTier]);
    expect(a.stdout).toMatch(/translation tier: \d+ bytes \(\d+ per original\)\n/);
    expect(statSync(join(withTier, 'postings-translate.bin')).size).toBeGreaterThan(24 * 50);
    expect(await scanWith(withTier)).toMatchObject({ verdict: 'uncredited', reuse: 'translated', originalId: 'zh-016' });
    const without = join(tmp, 'idx-notr');
    const b = await cli('index', ['build', '--in', src, '--out', without, '--no-translate']);
    expect(b.stdout).toContain('translation tier: left out (--no-translate)');
    expect(readdirSync(without)).not.toContain('postings-translate.bin');
    expect(await scanWith(without)).toMatchObject({ verdict: 'none', reuse: '' });
    const noText = join(tmp, 'idx-notext');
    const c = await cli('index', ['build', '--in', src, '--out', noText, '--no-text']);
    expect(c.stdout).toMatch(/without texts it finds no translated copy/);
    expect(await scanWith(noText)).toMatchObject({ verdict: 'none' });
    expect((await cli('index', ['build', '--help'])).stdout).toMatch(/--no-translate[\s\S]*no translated copies are judged/);
  });
  it('the bundled starter index is exactly what `npm run index:starter` builds from its originals (nothing stale ships)', async () => {
    const out = join(tmp, 'starter');
    const args = ['build', '--in', 'public/starter/originals-en.jsonl', '--in', 'public/starter/originals-zh.jsonl', '--out', out, '--created', '2026-10-31T00:00:00.000Z'];
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['index:starter']).toContain(args.slice(0, 5).join(' '));
    const r = await cli('index', args);
    expect(r.code, r.stderr).toBe(0);
    const shipped = readdirSync(join(ROOT, 'public/starter/index')).sort();
    expect(readdirSync(out).sort()).toEqual(shipped);
    for (const f of shipped) expect(readFileSync(join(out, f)).equals(readFileSync(join(ROOT, 'public/starter/index', f))), f).toBe(true);
  });

  it('fingerprints on worker threads (--jobs) with the same output and the same skipped lines as on one thread', async () => {
    const src = join(tmp, 'jobs.jsonl');
    // More than the few hundred a build fingerprints on its own thread before it starts others.
    const lines = syntheticLines(0, 400, 3).split('\n').filter(Boolean);
    lines.splice(40, 0, lines[7]!); // a duplicate id, while the first is still on its way through a thread
    lines.splice(90, 0, '{"id":"broken"');
    writeFileSync(src, lines.join('\n') + '\n');
    const outs = [1, 3].map((j) => join(tmp, `jobs-${j}`));
    const runs = [];
    for (const [i, j] of [1, 3].entries()) {
      runs.push(await cli('index', ['build', '--in', src, '--out', outs[i]!, '--created', '2026-11-01T00:00:00.000Z', '--jobs', String(j)]));
      expect(runs[i]!.code, runs[i]!.stderr).toBe(0);
    }
    expect(runs[0]!.stdout).toMatch(/indexed 400 originals[\s\S]*skipped: 2\n {2}skipped id syn-3-7: duplicate id \(first one kept\)\n {2}skipped .*jobs.jsonl:91: not valid JSON/);
    expect(runs[1]!.stdout.replaceAll(outs[1]!, outs[0]!)).toBe(runs[0]!.stdout);
    const files = readdirSync(outs[0]!).sort();
    expect(readdirSync(outs[1]!).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(outs[1]!, f)).equals(readFileSync(join(outs[0]!, f))), f).toBe(true);
    for (const bad of ['0', '1.5', 'many']) expect((await cli('index', ['build', '--in', src, '--out', join(tmp, 'jobs-bad'), '--jobs', bad])).stderr).toMatch(/--jobs must be a whole number from 1 to 256/);
  });

  it('fails clearly when nothing can be indexed or an option is missing', async () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"id":"x"}\n');
    const r = await cli('index', ['build', '--in', bad, '--out', join(tmp, 'none')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad.jsonl:1: missing fields url, title, published, lang, text/);
    expect(r.stderr).toMatch(/no originals to index/);
    expect((await cli('index', ['build', '--in', bad])).stderr).toMatch(/build needs --out DIR/);
    expect((await cli('index', ['frobnicate'])).code).toBe(2);
  });
  it('resolves outlets written as names in any script, so that credit lines in every script are found', async () => {
    // Issue 10: `"outlet": "Global Times"` used to be kept as a new outlet named "Global Times",
    // and then "来源：环球时报" on a page was not recognised as credit.
    const zh = fx.originals.zh.find((x) => x.outlet === 'global-times')!;
    const en = fx.originals.en.find((x) => x.outlet === 'xinhua')!;
    const src = join(tmp, 'names.jsonl');
    writeFileSync(
      src,
      [
        JSON.stringify({ ...zh, outlet: 'Global Times' }),
        JSON.stringify({ ...en, outlet: '新華社' }),
        JSON.stringify({ ...fx.originals.en[0], outlet: 'globaltimes' }),
        JSON.stringify({ ...fx.originals.en[2], outlet: undefined }),
        JSON.stringify({ ...fx.originals.en[4], outlet: 'Lanmere Gazette' }),
      ].join('\n'),
    );
    const out = join(tmp, 'names-idx');
    const r = await cli('index', ['build', '--in', src, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/indexed 4 originals from 4 outlets/);
    expect(r.stdout).toMatch(/names.jsonl:3: outlet "globaltimes" is not in the registry; did you mean "global-times" \(Global Times\)\?/);
    expect(r.stdout).toMatch(/outlets not in the registry \(kept as given\): Lanmere Gazette/);
    const metas = readFileSync(join(out, 'originals.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metas.map((m) => m.outlet)).toEqual(['global-times', 'xinhua', fx.originals.en[2]!.outlet, 'Lanmere Gazette']);
    const credited = join(tmp, 'zh-credited.txt');
    writeFileSync(credited, `${stripSourceTag(zh.text)}\n\n来源：环球时报`);
    const creditedEn = join(tmp, 'en-credited.txt');
    writeFileSync(creditedEn, `${stripSourceTag(en.text)}\n\nSource: Xinhua`);
    const uncredited = join(tmp, 'zh-uncredited.txt');
    writeFileSync(uncredited, stripSourceTag(zh.text));
    const rows = JSON.parse((await cli('scan', ['--index', out, '--format', 'json', credited, creditedEn, uncredited])).stdout);
    expect(rows.map((x: { verdict: string; outlet: string }) => [x.verdict, x.outlet])).toEqual([
      ['credited', 'global-times'],
      ['credited', 'xinhua'],
      ['uncredited', 'global-times'],
    ]);
  });
  it('lists the outlet registry as a table and as JSON', async () => {
    const table = await cli('index', ['outlets']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^global-times +Global Times, 环球时报, 環球時報/m);
    const json = JSON.parse((await cli('index', ['outlets', '--format', 'json'])).stdout);
    expect(json.find((o: { id: string }) => o.id === 'xinhua')).toMatchObject({ names: { en: 'Xinhua', 'zh-Hans': '新华社' }, domains: expect.arrayContaining(['news.cn']) });
    expect((await cli('index', ['--help'])).stdout).toMatch(/outlets +lists the outlet registry/);
  });
});

const FEED_URL = 'https://feeds.example.org/analyst/manifest.json';

describe('feed publisher commands', () => {
  const starter = ['--in', 'public/starter/originals-en.jsonl', '--in', 'public/starter/originals-zh.jsonl'];
  it('keygen writes a private key only its owner can read, and never overwrites it', async () => {
    const key = join(tmp, 'keys', 'pub.key');
    const r = await cli('index', ['keygen', '--out', key]);
    expect(r.code).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${key}.pub`, 'utf8')).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=\n$/);
    expect(r.stdout).toContain(readFileSync(`${key}.pub`, 'utf8').trim());
    const again = await cli('index', ['keygen', '--out', key]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/never overwritten/);
  });
  it('build --key makes a feed that verify accepts; byte-identical shards on a rebuild; a tampered feed is refused with the reason', async () => {
    const key = join(tmp, 'feed.key');
    await cli('index', ['keygen', '--out', key]);
    const a = join(tmp, 'feed-a');
    const b = join(tmp, 'feed-b');
    const built = await cli('index', ['build', ...starter, '--out', a, '--key', key, '--url', FEED_URL, '--feed', 'starter', '--shard-originals', '20']);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/feed "starter" version 1: 48 originals in 3 shard\(s\)/);
    await cli('index', ['build', ...starter, '--out', b, '--key', key, '--url', FEED_URL, '--feed', 'starter', '--shard-originals', '20']);
    const shards = readdirSync(join(a, 'shards')).sort();
    expect(readdirSync(join(b, 'shards')).sort()).toEqual(shards);
    for (const s of shards) expect(readFileSync(join(a, 'shards', s)).equals(readFileSync(join(b, 'shards', s)))).toBe(true);
    const ok = await cli('index', ['verify', a, '--pub', `${key}.pub`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/feed "starter" version 1 is good/);
    // Tampered shard: refused, exit 1, reason named.
    const victim = join(a, 'shards', shards[1]!);
    const bytes = readFileSync(victim);
    bytes[bytes.length - 20]! ^= 0xff;
    writeFileSync(victim, bytes);
    const bad = await cli('index', ['verify', a, '--pub', `${key}.pub`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused: shard shards\/[0-9a-f]+\.gz does not match its SHA-256/);
    // Another key: refused.
    const other = join(tmp, 'other.key');
    await cli('index', ['keygen', '--out', other]);
    const wrong = await cli('index', ['verify', b, '--pub', `${other}.pub`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not signed by this feed/);
  });
  it('delta adds, replaces and removes originals and verify checks the chain', async () => {
    const key = join(tmp, 'delta.key');
    await cli('index', ['keygen', '--out', key]);
    const dir = join(tmp, 'feed-d');
    await cli('index', ['build', ...starter, '--out', dir, '--key', key, '--url', FEED_URL]);
    const extra = join(tmp, 'extra.jsonl');
    const neg = articlesNotInIndex().slice(0, 2).map((o) => ({ ...o, outlet: 'cgtn' }));
    writeFileSync(extra, neg.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const ids = join(tmp, 'remove.txt');
    writeFileSync(ids, `${fx.originals.en[0]!.id}\n`);
    const r = await cli('index', ['delta', '--from', dir, '--in', extra, '--remove', ids, '--out', dir, '--key', key]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/version 2: 49 originals/);
    expect(r.stdout).toMatch(/delta 1→2: \+2 originals, −1/);
    const v = await cli('index', ['verify', dir, '--pub', `${key}.pub`]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/delta 1→2: \+2 originals, −1: ok/);
    const missing = await cli('index', ['delta', '--from', dir, '--remove', ids, '--out', dir, '--key', key]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot remove ids that the feed does not hold/);
  });
  it('builds from an RSS feed, fetching each page politely with its User-Agent', async () => {
    const o2 = fx.originals.en[5]!;
    const seen: Array<{ path: string; ua: string; at: number }> = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', ua: String(req.headers['user-agent']), at: Date.now() });
      if (req.url === '/robots.txt') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('# test site\nUser-agent: somebot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n');
      } else if (req.url === '/rss.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>${o2.title}</title><link>http://127.0.0.1:${port}/a1</link><pubDate>Tue, 10 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Private page</title><link>http://127.0.0.1:${port}/private/p1</link><description>${fx.originals.en[7]!.text.split('\n\n')[0]}</description></item>
<item><title>Missing page</title><link>http://127.0.0.1:${port}/gone</link><description><![CDATA[<p>${fx.originals.en[6]!.text.split('\n\n').join('</p><p>')}</p>]]></description></item>
</channel></rss>`);
      } else if (req.url === '/a1') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><head><title>${o2.title}</title></head><body><article><h1>${o2.title}</h1>${o2.text.split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    // The registry maps the loopback host to an outlet for this test.
    const reg = JSON.parse(readFileSync('public/outlets.json', 'utf8'));
    reg.outlets.push({ id: 'loopback-wire', names: { en: 'Loopback Wire', 'zh-Hans': '环回通讯社', 'zh-Hant': '環回通訊社' }, aliases: [], domains: ['127.0.0.1'], partners: [] });
    const regFile = join(tmp, 'reg.json');
    writeFileSync(regFile, JSON.stringify(reg));
    const out = join(tmp, 'rss-index');
    const r = await cli('index', ['build', '--in', `http://127.0.0.1:${port}/rss.xml`, '--out', out, '--registry', regFile]);
    server.close();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/indexed 3 originals/);
    expect(r.stdout).toMatch(/gone: page not read \(HTTP 404\); the feed's own content is used/);
    expect(r.stdout).toMatch(/private\/p1: page not read \(disallowed by the site’s robots.txt\); the feed's own content is used/);
    // robots.txt read once per site, and the disallowed page never requested.
    expect(seen.map((s) => s.path)).toEqual(['/robots.txt', '/rss.xml', '/a1', '/gone']);
    for (const s of seen) expect(s.ua).toMatch(/^provenance-badges-index\//);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(900);
  });
});

describe('the publisher\'s fetcher', () => {
  it('stops reading a page at the size limit while it streams, and refuses a larger declared length before reading', async () => {
    const sent = new Map<string, number>();
    const server = createServer((req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(50 << 20) });
        res.write(Buffer.alloc(1024, 65));
        return; // never sends the rest
      }
      // An endless body, no length.
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 66);
      let n = 0;
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) n += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => sent.set(req.url!, n));
      pump();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const fetcher = new PoliteFetcher({ maxBytes: 256 * 1024, timeoutMs: 15_000, intervalMs: 0 });
    const t0 = Date.now();
    await expect(fetcher.get(`${base}/endless`)).rejects.toThrow(/^larger than 262144 bytes$/);
    await expect(fetcher.get(`${base}/declared`)).rejects.toThrow(/^larger than 262144 bytes$/);
    // Well before the time limit (reading the whole body first would never end).
    expect(Date.now() - t0).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 200));
    server.closeAllConnections();
    server.close();
    expect(sent.get('/endless')!).toBeLessThan(64 << 20);
  });
});

describe('from reports back into the index', () => {
  it('a confirmed report of an original the index lacks becomes part of the next feed version', async () => {
    // The original, on its outlet's site (here 127.0.0.1, mapped to an outlet by a registry file).
    const neg = articlesNotInIndex()[3]!;
    const site = createServer((req, res) => {
      if (req.url === '/news/2026/scoop.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html lang="en"><head><title>${neg.title}</title></head><body><article><h1>${neg.title}</h1>${neg.text.split('\n\n').map((p: string) => `<p>${p}</p>`).join('')}</article></body></html>`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    const originalUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/news/2026/scoop.html`;
    const reg = JSON.parse(readFileSync('public/outlets.json', 'utf8'));
    reg.outlets.push({ id: 'loopback-daily', names: { en: 'Loopback Daily' }, aliases: [], domains: ['127.0.0.1'], partners: [] });
    const regFile = join(tmp, 'reg-loop.json');
    writeFileSync(regFile, JSON.stringify(reg));

    // A reader reported a copy and pasted the original's address; an analyst confirmed it.
    const backend = await makeBackend('sqlite');
    const store = await backend.open();
    const admin = await addToken(store, 'analyst', true);
    const reader = await addToken(store, 'reader');
    const server = await startReportServer({ store, ratePerMinute: 0 });
    const sent = await post(server.origin, reader, 'r-1', makeReport(1, { originalId: '', originalUrl, outlet: '', passages: [] }));
    await request(server.origin, `/api/reports/${sent.body.id}`, admin, { method: 'PATCH', body: JSON.stringify({ status: 'confirmed' }) });
    const urls = join(tmp, 'confirmed.txt');
    writeFileSync(urls, (await request(server.origin, '/api/originals.txt', admin)).body as string);
    await server.close();
    await store.close();

    // The publisher: the next version of the feed, with the article fetched from its site.
    const key = join(tmp, 'loop.key');
    await cli('index', ['keygen', '--out', key]);
    const feed = join(tmp, 'feed-loop');
    await cli('index', ['build', '--in', 'public/starter/originals-en.jsonl', '--out', feed, '--key', key, '--url', FEED_URL, '--registry', regFile]);
    const d = await cli('index', ['delta', '--from', feed, '--in', urls, '--out', feed, '--key', key, '--registry', regFile]);
    site.close();
    await backend.cleanup();
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/delta 1→2: \+1 originals, −0/);
    expect((await cli('index', ['verify', feed, '--pub', `${key}.pub`])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(feed, 'manifest.json'), 'utf8'));
    expect(manifest.full.originals).toBe(fx.originals.en.length + 1);
  });
});

describe('publisher mistakes get a clear answer', () => {
  it('build over an existing feed only goes forward; serve and verify explain wrong arguments', async () => {
    const key = join(tmp, 'fwd.key');
    await cli('index', ['keygen', '--out', key]);
    const dir = join(tmp, 'feed-fwd');
    const src = ['--in', 'public/starter/originals-en.jsonl'];
    expect((await cli('index', ['build', ...src, '--out', dir, '--key', key, '--url', FEED_URL])).code).toBe(0);
    const again = await cli('index', ['build', ...src, '--out', dir, '--key', key, '--url', FEED_URL]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds feed "feed-fwd" version 1: use `delta --from .*` for the next version, or build --version 2/);
    expect((await cli('index', ['build', ...src, '--out', dir, '--key', key, '--url', FEED_URL, '--version', '2'])).code).toBe(0);
    // verify takes the key text too, and says so when given the private key.
    const pub = readFileSync(`${key}.pub`, 'utf8').trim();
    expect((await cli('index', ['verify', dir, '--pub', pub])).stdout).toMatch(/version 2 is good/);
    const priv = await cli('index', ['verify', dir, '--pub', key]);
    expect(priv.code).toBe(2);
    expect(priv.stderr).toMatch(/is a private key: give the public one/);
    const missing = await cli('index', ['serve', join(tmp, 'no-such-folder')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the folder .*no-such-folder: no such file or folder/);
    expect((await cli('index', ['constructor'])).code).toBe(2);
  });
  it('a new feed needs --url; versions and lifetimes beyond the limits are refused with the remedy', async () => {
    const key = join(tmp, 'lim.key');
    await cli('index', ['keygen', '--out', key]);
    const src = ['--in', 'public/starter/originals-en.jsonl'];
    const noUrl = await cli('index', ['build', ...src, '--out', join(tmp, 'feed-nourl'), '--key', key]);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/a new feed needs --url: the address of manifest.json where it will be published/);
    const high = await cli('index', ['build', ...src, '--out', join(tmp, 'feed-high'), '--key', key, '--url', FEED_URL, '--version', '9007199254740991']);
    expect(high.code).toBe(1);
    expect(high.stderr).toMatch(/version 9007199254740991 is more than a manifest created .* may carry: at most \d+ \(1,000 versions a day since 2026-01-01; subscribers refuse more/);
    const long = await cli('index', ['build', ...src, '--out', join(tmp, 'feed-long'), '--key', key, '--url', FEED_URL, '--expires-days', '90']);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/--expires-days 90 is more than 60/);
  });
  it('rotate hands the feed to a new key that verify follows; revoke makes every subscriber refuse it; verify --url checks the address', async () => {
    const [k1, k2, k3] = ['r1.key', 'r2.key', 'r3.key'].map((f) => join(tmp, f));
    for (const k of [k1, k2, k3]) await cli('index', ['keygen', '--out', k!]);
    const dir = join(tmp, 'feed-rot');
    expect((await cli('index', ['build', '--in', 'public/starter/originals-en.jsonl', '--out', dir, '--key', k1!, '--url', FEED_URL])).code).toBe(0);
    expect((await cli('index', ['verify', dir, '--pub', `${k1}.pub`, '--url', FEED_URL])).stdout).toMatch(/published at https:\/\/feeds\.example\.org\/analyst\/manifest\.json: ok/);
    const wrong = await cli('index', ['verify', dir, '--pub', `${k1}.pub`, '--url', 'https://mirror.example/manifest.json']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not at https:\/\/mirror\.example\/manifest\.json where you subscribed/);
    // Without the old key the hand-over cannot be signed (no next key committed).
    const lone = await cli('index', ['rotate', '--out', dir, '--new', k2!]);
    expect(lone.code).toBe(1);
    expect(lone.stderr).toMatch(/rotate needs --key OLD_KEY/);
    const rot = await cli('index', ['rotate', '--out', dir, '--new', k2!, '--key', k1!, '--next', `${k3}.pub`]);
    expect(rot.code).toBe(0);
    expect(rot.stdout).toMatch(/rotation of the feed's key recorded/);
    // The old key may not publish any more; the new one does, and verify follows the hand-over from the old key.
    const old = await cli('index', ['delta', '--from', dir, '--out', dir, '--key', k1!]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/old key, replaced on/);
    const renewed = await cli('index', ['delta', '--from', dir, '--out', dir, '--key', k2!]);
    expect(renewed.code).toBe(0);
    expect(renewed.stdout).toMatch(/delta 1→2: \+0 originals, −0/);
    const v = await cli('index', ['verify', dir, '--pub', `${k1}.pub`]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/key ed25519:.* rotated to ed25519:.* on \d{4}-\d\d-\d\d: ok/);
    // Revoked: every subscriber refuses it; the committed next key can take over.
    const rev = await cli('index', ['revoke', '--out', dir, '--key', k2!, '--reason', 'laptop lost']);
    expect(rev.code).toBe(0);
    expect(rev.stdout).toMatch(/continue the feed with the committed next key/);
    const refused = await cli('index', ['verify', dir, '--pub', `${k1}.pub`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/revoked this feed's key .*\(“laptop lost”\)/);
    expect((await cli('index', ['delta', '--from', dir, '--out', dir, '--key', k2!])).stderr).toMatch(/cannot be published with it any more; rotate to the committed next key/);
    expect((await cli('index', ['rotate', '--out', dir, '--new', k3!])).code).toBe(0);
    expect((await cli('index', ['delta', '--from', dir, '--out', dir, '--key', k3!])).code).toBe(0);
    expect((await cli('index', ['verify', dir, '--pub', `${k1}.pub`])).stdout).toMatch(/version 3 is good/);
  });
  it('serve says when the manifest does not name the address it serves', async () => {
    const key = join(tmp, 'srv.key');
    await cli('index', ['keygen', '--out', key]);
    const dir = join(tmp, 'feed-srv');
    await cli('index', ['build', '--in', 'public/starter/originals-en.jsonl', '--out', dir, '--key', key, '--url', FEED_URL]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/index-main.ts', 'serve', dir, '--port', '0'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 15_000 }).toMatch(/note: the manifest names https:\/\/feeds\.example\.org\/analyst\/manifest\.json, not http:\/\/127\.0\.0\.1:\d+\/manifest\.json: subscribers at this address will refuse it/);
    child.kill('SIGTERM');
  });
});
