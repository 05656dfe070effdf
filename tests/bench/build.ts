/**
 * `index build` at publisher scale (npm run bench:build -- --originals 10000000):
 * generates N synthetic originals with text (tests/support/synthetic-text.ts:
 * invented English and Chinese, news-article length, near-copies and
 * boilerplate) as a JSONL file, then times the real command on it under
 * /usr/bin/time -v (wall time, maximum resident set size) and reports the
 * output's size per original.
 *
 *   --originals N    how many (default 1,000,000)
 *   --memory MB      the build's --memory (default: the command's default)
 *   --jobs N         the build's --jobs (default: the command's, one thread per processor)
 *   --no-translate   build without the translation tier
 *   --no-text        build without texts
 *   --dir DIR        where the input and output go (default: a folder under the system's temp folder)
 *   --reuse          reuse DIR/originals-N.jsonl when it exists
 *   --keep           keep the input and the index afterwards
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticLines } from '../support/synthetic-text';

const { values } = parseArgs({
  options: {
    originals: { type: 'string', default: '1000000' },
    memory: { type: 'string' },
    jobs: { type: 'string' },
    'no-translate': { type: 'boolean', default: false },
    'no-text': { type: 'boolean', default: false },
    dir: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.originals);
if (!Number.isInteger(N) || N < 1) throw new Error('--originals must be a positive whole number');
const dir = resolve(values.dir ?? join(tmpdir(), 'bench-build'));
mkdirSync(dir, { recursive: true });
const input = join(dir, `originals-${N}.jsonl`);
const out = join(dir, `index-${N}`);

async function generate(): Promise<number> {
  const t0 = performance.now();
  const w = createWriteStream(input);
  const CHUNK = 1000;
  for (let i = 0; i < N; i += CHUNK) {
    if (!w.write(syntheticLines(i, Math.min(CHUNK, N - i)))) await once(w, 'drain');
    if (process.stderr.isTTY && i % 100_000 === 0) process.stderr.write(`\rgenerating: ${i.toLocaleString('en')}…`);
  }
  w.end();
  await once(w, 'finish');
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  return (performance.now() - t0) / 1000;
}

function du(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, e) => n + du(join(path, e)), 0);
}

const gen = values.reuse && existsSync(input) ? undefined : await generate();
const inputBytes = statSync(input).size;
rmSync(out, { recursive: true, force: true });
const args = ['-v', process.execPath, '--import', 'tsx', 'lib/cli/index-main.ts', 'build', '--in', input, '--out', out, '--created', '2026-12-01T00:00:00.000Z'];
if (values.memory) args.push('--memory', values.memory);
if (values.jobs) args.push('--jobs', values.jobs);
if (values['no-translate']) args.push('--no-translate');
if (values['no-text']) args.push('--no-text');
const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'pipe', 'pipe'] });
let stdout = '';
let stderr = '';
child.stdout.on('data', (d) => (stdout += d));
child.stderr.on('data', (d) => (stderr += d));
const [code] = (await once(child, 'exit')) as [number];
if (code !== 0) {
  process.stderr.write(stdout + stderr);
  throw new Error(`index build exited with ${code}`);
}
const wall = /Elapsed \(wall clock\) time \([^)]*\): (\S+)/.exec(stderr)?.[1] ?? '?';
const seconds = wall.split(':').reduce((s, p) => s * 60 + Number(p), 0);
const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
const user = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
const size = (name: string) => (existsSync(join(out, name)) ? statSync(join(out, name)).size : 0);
const withoutTexts = size('originals.ndjson') + size('postings.bin') + size('postings-rewrite.bin');
const per = (b: number) => (b / N).toFixed(0);
process.stdout.write(stdout.replace(/^/gm, '  | '));
console.log(
  `\n${N.toLocaleString('en')} originals, input ${(inputBytes / 1e9).toFixed(2)} GB (${per(inputBytes)} bytes per original)` +
    (gen !== undefined ? `, generated in ${gen.toFixed(0)} s` : ', reused') +
    `\n| originals | build wall (s) | user+sys (s) | max RSS (MB) | index without texts, bytes/original | translation tier, bytes/original | texts, bytes/original | whole folder (GB) |\n|---|---|---|---|---|---|---|---|\n` +
    `| ${N.toLocaleString('en')} | ${seconds.toFixed(0)} | ${(user + sys).toFixed(0)} | ${(rssKb / 1024).toFixed(0)} | ${per(withoutTexts)} | ${per(size('postings-translate.bin'))} | ${per(size('texts.ndjson'))} | ${(du(out) / 1e9).toFixed(2)} |`,
);
if (!values.keep) {
  rmSync(out, { recursive: true, force: true });
  if (gen !== undefined) rmSync(input, { force: true });
}
