import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadFixtures, stripSourceTag } from '../support/make-pages';

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
      expect(Object.keys(row)).toEqual(['file', 'verdict', 'outlet', 'originalId', 'originalUrl', 'originalTitle', 'pageCoverage', 'originalCoverage', 'credited', 'passages']);
    expect(rows[0]).toMatchObject({ file: copyFile, verdict: 'uncredited', outlet: o.outlet, originalId: o.id, originalUrl: o.url, originalTitle: o.title, credited: false });
    expect(rows[0].pageCoverage).toBeGreaterThan(0.8);
    expect(rows[1]).toMatchObject({ verdict: 'none', originalId: '', passages: 0 });
  });
  it('prints CSV and a table', async () => {
    const csv = await cli('scan', ['--format', 'csv', copyFile]);
    expect(csv.stdout.split('\r\n')[0]).toBe('file,verdict,outlet,originalId,originalUrl,originalTitle,pageCoverage,originalCoverage,credited,passages');
    const table = await cli('scan', [tmp]);
    expect(table.stdout).toMatch(/uncredited/);
    expect(table.stdout).toMatch(/2 pages: 1 uncredited, 0 partial, 0 credited, 1 none/);
  });
  it('gives one clear line for user errors, never a stack trace', async () => {
    for (const [args, code, msg] of [
      [['--bogus', copyFile], 2, /Unknown option '--bogus'/],
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
  it('fails clearly when nothing can be indexed or an option is missing', async () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"id":"x"}\n');
    const r = await cli('index', ['build', '--in', bad, '--out', join(tmp, 'none')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad.jsonl:1: missing fields outlet, url, title, published, lang, text/);
    expect(r.stderr).toMatch(/no originals to index/);
    expect((await cli('index', ['build', '--in', bad])).stderr).toMatch(/build needs --out DIR/);
    expect((await cli('index', ['frobnicate'])).code).toBe(2);
  });
});
