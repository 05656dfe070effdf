/**
 * The README's quick starts, run as a user runs them.
 *
 * Each code block marked `<!-- quickstart:NAME -->` in README.md is read from
 * the README itself and run, exactly as written, in a fresh copy of the project
 * (the files git tracks or would track — nothing git ignores, nothing an
 * earlier step made — with node_modules and .wxt linked, as `npm ci` leaves
 * them). One bash per block is fed one command at a time, the way a user types
 * them: each must exit 0, and a command started with `&` (a server) must print
 * its first line before the next one is typed. The test then checks what each
 * quick start promises. Servers a block starts are stopped by killing the
 * block's process group, whatever happens.
 *
 * The reader's quick start (loading the built extension in a browser) is what
 * the end-to-end suites do: tests/e2e (Chromium) and tests/e2e-firefox.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The body of the ```sh block that follows `<!-- quickstart:NAME -->`. */
export function quickstartBlock(readme: string, name: string): string {
  const marker = `<!-- quickstart:${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md: no ${marker}`);
  if (readme.indexOf(marker, at + 1) >= 0) throw new Error(`README.md: ${marker} appears twice`);
  const m = /^\s*```sh\n([\s\S]*?)\n```/.exec(readme.slice(at + marker.length));
  if (!m) throw new Error(`README.md: ${marker} is not followed by a \`\`\`sh block`);
  return m[1]!;
}

/** Splits a block into the commands bash reads: continued lines and here-documents stay with their command. */
export function commandsOf(block: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let heredoc: string | null = null;
  for (const line of block.split('\n')) {
    cur.push(line);
    if (heredoc !== null) {
      if (line === heredoc) heredoc = null;
      else continue;
    } else {
      const h = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
      if (h) {
        heredoc = h[2]!;
        continue;
      }
      if (line.endsWith('\\')) continue;
    }
    const cmd = cur.join('\n');
    cur = [];
    if (cmd.trim() && !/^\s*#/.test(cmd)) out.push(cmd);
  }
  if (heredoc !== null || cur.some((l) => l.trim())) throw new Error(`unfinished command at the end of the block: ${cur.join('\n')}`);
  return out;
}

const MADE_BY_NPM_CI = ['node_modules', '.wxt'];

/** A fresh copy of the project as a clone has it after `npm ci`. */
function freshCopy(): string {
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error(`git ls-files failed in ${ROOT}: ${ls.stderr || ls.error}`);
  const dir = mkdtempSync(join(tmpdir(), 'quickstart-'));
  for (const f of ls.stdout.split('\0')) {
    // Left out: files deleted in the working tree, and what `npm ci` makes (linked below) when a
    // checkout holds it as a link, which a directory pattern in .gitignore does not match.
    if (!f || MADE_BY_NPM_CI.includes(f) || !existsSync(join(ROOT, f)) || statSync(join(ROOT, f)).isDirectory()) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  if (!existsSync(join(ROOT, 'node_modules'))) throw new Error('node_modules is missing: run npm ci first');
  for (const made of MADE_BY_NPM_CI) {
    if (existsSync(join(ROOT, made))) symlinkSync(realpathSync(join(ROOT, made)), join(dir, made));
  }
  return dir;
}

/** The environment of a user's terminal: nothing that npm, npx or Vitest set for this run. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|INIT_CWD$|NODE_ENV$|TEST$)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

async function until<T>(what: string, check: () => T | undefined | null | false, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Step {
  cmd: string;
  code: number;
  output: string;
}

/** One bash, fed a command at a time; stderr joins stdout so that output stays in order. */
class Session {
  private proc: ChildProcess;
  private out = '';
  private n = 0;
  exited = false;

  constructor(readonly cwd: string) {
    this.proc = spawn('bash', ['--noprofile', '--norc'], { cwd, env: userEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString('utf8')));
    this.proc.stderr!.on('data', (d: Buffer) => (this.out += d.toString('utf8')));
    this.proc.on('exit', () => (this.exited = true));
    this.proc.stdin!.write('exec 2>&1\n');
  }

  get output(): string {
    return this.out;
  }

  async run(cmd: string): Promise<Step> {
    const tag = `__quickstart_${++this.n}__`;
    const start = this.out.length;
    this.proc.stdin!.write(`${cmd}\nprintf '\\n${tag} %s\\n' "$?"\n`);
    const re = new RegExp(`\\n?${tag} (\\d+)\\n`);
    const m = await until(`the end of: ${cmd}`, () => {
      if (this.exited) throw new Error(`bash exited during: ${cmd}\n${this.out.slice(start)}`);
      return re.exec(this.out.slice(start));
    }, 45_000);
    const output = this.out.slice(start, start + m.index);
    const step = { cmd, code: Number(m[1]), output };
    if (/&\s*(#.*)?$/.test(cmd.split('\n').pop()!)) {
      // A server started in the background: the user waits for its first line.
      const after = this.out.length;
      await until(`the first line of: ${cmd}`, () => /\n/.test(this.out.slice(after)), 30_000);
      step.output = this.out.slice(after);
    }
    return step;
  }

  /** Stops the shell and everything it started (its process group). */
  kill(): void {
    try {
      process.kill(-this.proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function runBlock(name: string, session: Session): Promise<Step[]> {
  const steps: Step[] = [];
  for (const cmd of commandsOf(quickstartBlock(README, name))) {
    const step = await session.run(cmd);
    expect(step.code, `README quick start "${name}": \`${cmd}\` exited ${step.code}:\n${step.output}`).toBe(0);
    steps.push(step);
  }
  return steps;
}

function stepOf(steps: Step[], start: string): Step {
  const s = steps.find((x) => x.cmd.startsWith(start));
  if (!s) throw new Error(`the quick start has no command starting with ${start}`);
  return s;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Per quick start: each takes 2–15 s alone; the margin is for a full parallel run on two shared cores. */
const SLOW = 120_000;

let dir: string;
let session: Session | undefined;

beforeAll(() => {
  dir = freshCopy();
});
afterEach(() => {
  session?.kill();
  session = undefined;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the README's quick starts, run as written in a fresh copy of the project", () => {
  it('the blocks are marked and split into commands', () => {
    for (const name of ['analyst', 'publisher', 'centre']) expect(commandsOf(quickstartBlock(README, name)).length).toBeGreaterThan(2);
    expect(commandsOf('a \\\n  b\ncat > f <<\'EOF\'\nx\nEOF\n# note\nc &   # server')).toEqual(['a \\\n  b', "cat > f <<'EOF'\nx\nEOF", 'c &   # server']);
  });

  it('the analyst scans a saved page and a folder, and writes JSON and an HTML report', async () => {
    session = new Session(dir);
    const steps = await runBlock('analyst', session);
    const one = stepOf(steps, 'npm run -s scan -- public/demo/en-copy-verbatim.html').output;
    expect(one).toMatch(/en-copy-verbatim\.html\s+uncredited\s+chinanews\s+en-007/);

    const pages = readdirSync(join(dir, 'public/demo')).filter((f) => f.endsWith('.html'));
    type Judged = { verdict: string; outlet?: string; originalId?: string };
    const expected = JSON.parse(readFileSync(join(dir, 'public/demo/expected.json'), 'utf8')) as Record<string, Judged & { units?: Judged[] }>;
    const folder = stepOf(steps, 'npm run -s scan -- public/demo ').output;
    expect(folder).toMatch(new RegExp(`${pages.length} pages(: |, \\d+ rows )`));
    for (const p of pages) expect(folder).toContain(`public/demo/${p}`);

    const rows = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as { file: string; unit: string; verdict: string; outlet: string; originalId: string; evidence: { pageText: string }[] }[];
    // One row per page, and one per post on a page of several posts (a timeline: its `units`).
    expect(rows.length).toBe(pages.reduce((n, p) => n + (expected[p]?.units?.length ?? 1), 0));
    for (const row of rows) {
      const page = expected[basename(row.file)];
      expect(page, `${row.file} is in public/demo/expected.json`).toBeDefined();
      const want = page?.units ? page.units[Number(row.unit.split('/')[0]) - 1] : page;
      expect(want, `${row.file} ${row.unit}`).toBeDefined();
      expect(row.verdict, row.file).toBe(want!.verdict);
      if (want!.verdict !== 'none') expect([row.outlet, row.originalId], row.file).toEqual([want!.outlet, want!.originalId]);
    }
    const verbatim = rows.find((r) => r.file.endsWith('en-copy-verbatim.html'))!;
    expect(verbatim.evidence[0]!.pageText.length).toBeGreaterThan(100);

    const html = readFileSync(join(dir, 'scan.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('public/demo/en-copy-verbatim.html');
    expect(html).toContain('https://www.ecns.cn/');
  }, SLOW);

  it("the publisher builds an index from its own JSONL that finds the copy, and publishes a feed that verifies and is served", async () => {
    expect(await portFree(8080), 'port 8080 (the publisher quick start serves its feed there) is in use').toBe(true);
    session = new Session(dir);
    const steps = await runBlock('publisher', session);
    expect(stepOf(steps, 'npm run -s index -- build --in my-originals.jsonl --out my-index').output).toMatch(/indexed 1 original/);
    expect(stepOf(steps, 'npm run -s scan -- --index my-index my-copy.txt').output).toMatch(/my-copy\.txt\s+uncredited\s+xinhua\s+my-0001/);
    expect(readFileSync(join(dir, 'my.key.pub'), 'utf8')).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=\s*$/);
    expect(stepOf(steps, 'npm run -s index -- verify').output).toMatch(/version 1 is good/);
    expect(stepOf(steps, 'npm run -s index -- serve').output).toContain('http://127.0.0.1:8080');

    // The served feed is the verified folder, byte for byte, open to the extension (CORS).
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:8080/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      return Buffer.from(await res.arrayBuffer());
    };
    const manifest = await get('manifest.json');
    expect(manifest.equals(readFileSync(join(dir, 'my-feed/manifest.json')))).toBe(true);
    expect((await get('manifest.json.sig')).equals(readFileSync(join(dir, 'my-feed/manifest.json.sig')))).toBe(true);
    const m = JSON.parse(manifest.toString('utf8')) as { urls: string[]; full: { originals: number; shards: { path: string }[] } };
    expect(m.urls).toEqual(['http://127.0.0.1:8080/manifest.json']);
    expect(m.full.originals).toBe(1);
    for (const s of m.full.shards) expect((await get(s.path)).equals(readFileSync(join(dir, 'my-feed', s.path))), s.path).toBe(true);
  }, SLOW);

  it('the centre makes tokens, receives a report, lists it, confirms it and stops the server', async () => {
    expect(spawnSync('curl', ['--version']).status, "the centre's quick start uses curl: install it (apt-get install -y curl)").toBe(0);
    expect(await portFree(8787), 'port 8787 (the report server quick start listens there) is in use').toBe(true);
    session = new Session(dir);
    const steps = await runBlock('centre', session);
    expect(stepOf(steps, 'npm run -s report-server -- --data report-data &').output).toContain('listening on http://127.0.0.1:8787');
    const posts = steps.filter((s) => s.cmd.startsWith('curl -s http://127.0.0.1:8787/api/reports '));
    expect(posts.length).toBe(1);
    expect(JSON.parse(posts[0]!.output.trim())).toEqual({ id: 1, status: 'new' });
    const list = JSON.parse(stepOf(steps, 'curl -s "http://127.0.0.1:8787/api/reports?status=new"').output.trim()) as { reports: { id: number; url: string; reporter: string; status: string }[] };
    expect(list.reports.map((r) => [r.id, r.url, r.reporter, r.status])).toEqual([[1, 'https://example.com/velmora-tidal-power', 'reader-1', 'new']]);
    expect(stepOf(steps, 'curl -s -X PATCH').output).toContain('confirmed');
    // `kill $!` stopped the server: the port is free again.
    await expect.poll(() => portFree(8787), { timeout: 10_000 }).toBe(true);
  }, SLOW);
});
