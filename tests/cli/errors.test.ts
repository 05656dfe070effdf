/**
 * Every error path of every command, as one table: bad input → the one line
 * on stderr (a regular expression on the error line) and the exit code. Each
 * case also checks that stderr holds no stack trace and no raw control
 * character (every echoed input string is made printable), and that every
 * line of it is the command's own (prefixed with its name, or a "skipped"
 * record line of index build).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
type Tool = 'scan' | 'index' | 'report-server';

function cli(tool: Tool, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', `lib/cli/${tool}-main.ts`, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 60_000, maxBuffer: 16 << 20 }, (e, stdout, stderr) =>
      done({ code: e ? ((e as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'cli-errors-'));
const at = (name: string) => join(tmp, name);
const FEED_URL = 'https://feeds.example.org/errors/manifest.json';
const STARTER = join(ROOT, 'public/starter/originals-en.jsonl');
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  writeFileSync(at('a-file'), 'just a file\n');
  mkdirSync(at('empty-folder'));
  writeFileSync(at('binary.jsonl'), Buffer.from([0, 1, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x72, 0x65, 0x64, 7, 10, 2, 3]));
  const good = { id: 'e-1', outlet: 'xinhua', url: 'https://english.news.cn/e1.htm', title: 'A title', published: '2026-03-14', lang: 'en', text: 'Some text of an original.' };
  writeFileSync(
    at('bad-fields.jsonl'),
    [{ ...good, published: 'yesterday' }, { ...good, id: 'e-2', lang: 'klingon' }, { ...good, id: 'e-3', published: '2026-02-30' }].map((x) => JSON.stringify(x)).join('\n') + '\n',
  );
  writeFileSync(at('empty.jsonl'), '');
  writeFileSync(at('bad-registry.json'), '{"outlets": [oops');
  writeFileSync(at('page.html'), '<html><body><p>Some words of my own on a page.</p></body></html>');
  for (const k of ['key', 'key2']) expect((await cli('index', ['keygen', '--out', at(k)])).code).toBe(0);
  const built = await cli('index', ['build', '--in', STARTER, '--out', at('feed'), '--key', at('key'), '--url', FEED_URL]);
  expect(built.code, built.stderr).toBe(0);
  busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  busyPort = (busy.address() as { port: number }).port;
}, 120_000);

afterAll(() => {
  busy?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Case {
  tool: Tool;
  args: () => string[];
  env?: Record<string, string>;
  code: 1 | 2;
  /** The error line (the first that is not a "skipped" line), whole. */
  line: () => RegExp;
}

const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ESC = '\x1b[31mred\x07';

const CASES: Record<string, Case> = {
  // scan
  'scan: unknown option': { tool: 'scan', args: () => ['--bogus', at('page.html')], code: 2, line: () => /^scan: unknown option --bogus \(options: --index …, --format …, --sensitivity …, --registry …, --help\)$/ },
  'scan: unknown short option, no unbalanced quote': { tool: 'scan', args: () => ['-x', at('page.html')], code: 2, line: () => /^scan: unknown option -x \(options: /},
  'scan: option without its value': { tool: 'scan', args: () => [at('page.html'), '--format'], code: 2, line: () => /^scan: option --format needs a value$/ },
  'scan: unknown format': { tool: 'scan', args: () => ['--format', 'xml', at('page.html')], code: 2, line: () => /^scan: unknown --format "xml" \(table, json, csv, markdown, html\)$/ },
  'scan: unknown sensitivity': { tool: 'scan', args: () => ['--sensitivity', 'extreme', at('page.html')], code: 2, line: () => /^scan: unknown --sensitivity "extreme" \(low, normal or high\)$/ },
  'scan: no path': { tool: 'scan', args: () => [], code: 2, line: () => /^scan: no PATH to scan \(give saved pages, text files or folders; see --help\)$/ },
  'scan: --index is a file': { tool: 'scan', args: () => ['--index', at('a-file'), at('page.html')], code: 1, line: () => new RegExp(`^scan: --index ${re(at('a-file'))} is a file: give an index folder \\(made by: npm run -s index -- build\\)$`) },
  'scan: --index missing': { tool: 'scan', args: () => ['--index', at('no-such-index'), at('page.html')], code: 1, line: () => new RegExp(`^scan: cannot read the index ${re(at('no-such-index'))}: no such file or folder$`) },
  'scan: --index not an index': { tool: 'scan', args: () => ['--index', at('empty-folder'), at('page.html')], code: 1, line: () => new RegExp(`^scan: index: ${re(join(at('empty-folder'), 'index.json'))}: not found \\(is ${re(at('empty-folder'))} an index folder\\?\\)$`) },
  'scan: --registry missing': { tool: 'scan', args: () => ['--registry', at('no-such.json'), at('page.html')], code: 1, line: () => new RegExp(`^scan: cannot read the outlet registry ${re(at('no-such.json'))}: no such file or folder$`) },
  'scan: --registry not JSON': { tool: 'scan', args: () => ['--registry', at('bad-registry.json'), at('page.html')], code: 1, line: () => new RegExp(`^scan: outlet registry ${re(at('bad-registry.json'))}: .*JSON`) },
  'scan: a mistyped path': { tool: 'scan', args: () => [at('no-such-page.html')], code: 1, line: () => new RegExp(`^scan: cannot read ${re(at('no-such-page.html'))}: no such file or folder$`) },
  'scan: a path with control characters is echoed inert': { tool: 'scan', args: () => [at(`x${ESC}.html`)], code: 1, line: () => new RegExp(`^scan: cannot read ${re(at('x\\x1b[31mred\\x07.html'))}: no such file or folder$`) },
  'scan: an empty folder is no success': { tool: 'scan', args: () => [at('empty-folder')], code: 1, line: () => new RegExp(`^scan: cannot read ${re(at('empty-folder'))}: an empty folder: no saved pages`) },

  // index (any command)
  'index: no command': { tool: 'index', args: () => [], code: 2, line: () => /^index: no command given \(build, keygen, delta, rotate, revoke, verify, serve, outlets; see --help\)$/ },
  'index: unknown command': { tool: 'index', args: () => [`frob${ESC}`], code: 2, line: () => /^index: unknown command "frob\\x1b\[31mred\\x07" \(build, keygen, delta, rotate, revoke, verify, serve, outlets; see --help\)$/ },

  // index build
  'build: unknown option': { tool: 'index', args: () => ['build', '--bogus'], code: 2, line: () => /^index: unknown option --bogus \(see --help for the options\)$/ },
  'build: --in without a value': { tool: 'index', args: () => ['build', '--out', at('x'), '--in'], code: 2, line: () => /^index: option --in needs a value$/ },
  'build: boolean option given a value': { tool: 'index', args: () => ['build', '--no-text=yes'], code: 2, line: () => /^index: option --no-text takes no value$/ },
  'build: no --in': { tool: 'index', args: () => ['build', '--out', at('x')], code: 2, line: () => /^index: build needs --in ORIGINALS\.jsonl, a folder of saved pages, or an RSS\/Atom address$/ },
  'build: no --out': { tool: 'index', args: () => ['build', '--in', STARTER], code: 2, line: () => /^index: build needs --out DIR$/ },
  'build: --in missing': { tool: 'index', args: () => ['build', '--in', at('no-such.jsonl'), '--out', at('out-1')], code: 1, line: () => new RegExp(`^index: cannot read ${re(at('no-such.jsonl'))}: no such file or folder$`) },
  'build: --out is an existing file': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('a-file')], code: 1, line: () => new RegExp(`^index: --out ${re(at('a-file'))} is a file: give a folder \\(it is made when it does not exist\\)$`) },
  'build: --out under a file': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', join(at('a-file'), 'sub')], code: 1, line: () => new RegExp(`^index: cannot create the folder ${re(join(at('a-file'), 'sub'))}: a part of that path is a file, not a folder$`) },
  'build: a binary JSONL is one skipped file, nothing echoed raw': { tool: 'index', args: () => ['build', '--in', at('binary.jsonl'), '--out', at('out-2')], code: 1, line: () => new RegExp(`^index: no originals to index in ${re(at('binary.jsonl'))} \\(1 record skipped, listed above\\)$`) },
  'build: published and lang checked': { tool: 'index', args: () => ['build', '--in', at('bad-fields.jsonl'), '--out', at('out-3')], code: 1, line: () => new RegExp(`^index: no originals to index in ${re(at('bad-fields.jsonl'))} \\(3 records skipped, listed above\\)$`) },
  'build: an empty JSONL': { tool: 'index', args: () => ['build', '--in', at('empty.jsonl'), '--out', at('out-4')], code: 1, line: () => new RegExp(`^index: no originals to index in ${re(at('empty.jsonl'))} \\(no records in it\\)$`) },
  'build: --created not a date': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('out-5'), '--created', 'soon'], code: 2, line: () => /^index: --created must be an ISO date$/ },
  'build: --registry not JSON': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('out-6'), '--registry', at('bad-registry.json')], code: 1, line: () => new RegExp(`^index: outlet registry ${re(at('bad-registry.json'))}: .*JSON`) },
  'build: --key missing': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('out-7'), '--key', at('no-such-key'), '--url', FEED_URL], code: 1, line: () => new RegExp(`^index: cannot read the private key ${re(at('no-such-key'))}: no such file$`) },
  'build: --url not an address': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('out-8'), '--key', at('key'), '--url', 'feeds/manifest.json'], code: 2, line: () => /^index: --url feeds\/manifest\.json is not a web address/ },
  'build: --version not a number': { tool: 'index', args: () => ['build', '--in', STARTER, '--out', at('out-9'), '--key', at('key'), '--url', FEED_URL, '--version', 'two'], code: 2, line: () => /^index: --version must be a positive whole number$/ },

  // index keygen
  'keygen: no --out': { tool: 'index', args: () => ['keygen'], code: 2, line: () => /^index: keygen needs --out KEY$/ },
  'keygen: never overwrites': { tool: 'index', args: () => ['keygen', '--out', at('key')], code: 1, line: () => new RegExp(`^index: ${re(at('key'))} exists; a key is never overwritten \\(move it away first\\)$`) },
  'keygen: under a file': { tool: 'index', args: () => ['keygen', '--out', join(at('a-file'), 'k')], code: 1, line: () => new RegExp(`^index: cannot create the folder ${re(at('a-file'))}: `) },

  // index delta
  'delta: no --from': { tool: 'index', args: () => ['delta', '--out', at('d'), '--key', at('key')], code: 2, line: () => /^index: delta needs --from FEED_DIR \(the previous version\)$/ },
  'delta: --from missing': { tool: 'index', args: () => ['delta', '--from', at('no-such-feed'), '--out', at('d'), '--key', at('key')], code: 1, line: () => new RegExp(`^index: ${re(at('no-such-feed'))}: no such folder$`) },
  'delta: --from not a feed': { tool: 'index', args: () => ['delta', '--from', at('empty-folder'), '--out', at('d'), '--key', at('key')], code: 1, line: () => new RegExp(`^index: ${re(at('empty-folder'))} holds no manifest\\.json \\(is it a feed folder\\?\\)$`) },
  'delta: --remove missing': { tool: 'index', args: () => ['delta', '--from', at('feed'), '--remove', at('no-such-ids.txt'), '--out', at('d'), '--key', at('key')], code: 1, line: () => new RegExp(`^index: cannot read --remove ${re(at('no-such-ids.txt'))}: no such file or folder$`) },
  'delta: --out is a file': { tool: 'index', args: () => ['delta', '--from', at('feed'), '--out', at('a-file'), '--key', at('key')], code: 1, line: () => new RegExp(`^index: --out ${re(at('a-file'))} is a file`) },

  // index rotate and revoke
  'rotate: no --new': { tool: 'index', args: () => ['rotate', '--out', at('feed')], code: 2, line: () => /^index: rotate needs --new NEW_KEY/ },
  'rotate: feed missing': { tool: 'index', args: () => ['rotate', '--out', at('no-such-feed'), '--new', at('key2')], code: 1, line: () => new RegExp(`^index: ${re(at('no-such-feed'))}: no such folder$`) },
  'rotate: without the old key': { tool: 'index', args: () => ['rotate', '--out', at('feed'), '--new', at('key2')], code: 1, line: () => /^index: rotate needs --key OLD_KEY \(the feed's current key, .*\) to sign the hand-over: the feed committed to no next key$/ },
  'revoke: no --key': { tool: 'index', args: () => ['revoke', '--out', at('feed')], code: 2, line: () => /^index: revoke needs --key KEY/ },
  'revoke: feed missing': { tool: 'index', args: () => ['revoke', '--out', at('no-such-feed'), '--key', at('key')], code: 1, line: () => new RegExp(`^index: ${re(at('no-such-feed'))}: no such folder$`) },
  'revoke: not the feed\'s key': { tool: 'index', args: () => ['revoke', '--out', at('feed'), '--key', at('key2')], code: 1, line: () => new RegExp(`^index: ${re(at('key2'))} is not the feed's current key`) },

  // index verify
  'verify: no folder': { tool: 'index', args: () => ['verify', '--pub', `${at('key')}.pub`], code: 2, line: () => /^index: verify needs one feed folder: verify DIR --pub KEY\.pub$/ },
  'verify: missing folder, not "HTTP 404"': { tool: 'index', args: () => ['verify', at('no-such-feed'), '--pub', `${at('key')}.pub`], code: 1, line: () => new RegExp(`^index: cannot read the folder ${re(at('no-such-feed'))}: no such file or folder$`) },
  'verify: a file': { tool: 'index', args: () => ['verify', at('a-file'), '--pub', `${at('key')}.pub`], code: 1, line: () => new RegExp(`^index: ${re(at('a-file'))} is a file, not a folder: verify takes the feed folder \\(where manifest\\.json is\\)$`) },
  'verify: a folder without a feed': { tool: 'index', args: () => ['verify', at('empty-folder'), '--pub', `${at('key')}.pub`], code: 1, line: () => new RegExp(`^index: feed ${re(at('empty-folder'))} is refused: cannot read ${re(join(at('empty-folder'), 'manifest.json'))}: no such file$`) },
  'verify: --pub missing': { tool: 'index', args: () => ['verify', at('feed'), '--pub', at('no-such.pub')], code: 1, line: () => new RegExp(`^index: cannot read --pub ${re(at('no-such.pub'))}: no such file or folder \\(give the KEY\\.pub file`) },
  'verify: --pub is the private key': { tool: 'index', args: () => ['verify', at('feed'), '--pub', at('key')], code: 2, line: () => new RegExp(`^index: ${re(at('key'))} is a private key: give the public one \\(KEY\\.pub\\)$`) },
  'verify: another key': { tool: 'index', args: () => ['verify', at('feed'), '--pub', `${at('key2')}.pub`], code: 1, line: () => new RegExp(`^index: feed ${re(at('feed'))} is refused: .*not signed by this feed`) },

  // index serve
  'serve: no folder': { tool: 'index', args: () => ['serve'], code: 2, line: () => /^index: serve needs one folder: serve DIR \[--port 8080\]$/ },
  'serve: missing folder': { tool: 'index', args: () => ['serve', at('no-such-folder')], code: 1, line: () => new RegExp(`^index: cannot read the folder ${re(at('no-such-folder'))}: no such file or folder$`) },
  'serve: a file': { tool: 'index', args: () => ['serve', at('a-file')], code: 1, line: () => new RegExp(`^index: ${re(at('a-file'))} is a file, not a folder: serve takes the folder to serve$`) },
  'serve: port out of range': { tool: 'index', args: () => ['serve', at('feed'), '--port', '99999'], code: 2, line: () => /^index: --port must be 0–65535$/ },
  'serve: port in use': { tool: 'index', args: () => ['serve', at('feed'), '--port', String(busyPort)], code: 1, line: () => new RegExp(`^index: cannot listen on 127\\.0\\.0\\.1:${busyPort}: the address is already in use$`) },

  // index outlets
  'outlets: unknown format': { tool: 'index', args: () => ['outlets', '--format', 'xml'], code: 2, line: () => /^index: --format must be table or json$/ },
  'outlets: --registry missing': { tool: 'index', args: () => ['outlets', '--registry', at('no-such.json')], code: 1, line: () => new RegExp(`^index: cannot read the outlet registry ${re(at('no-such.json'))}: no such file or folder$`) },
  'outlets: unexpected argument': { tool: 'index', args: () => ['outlets', 'extra'], code: 2, line: () => /^index: unexpected argument extra \(options: --format …, --registry …\)$/ },

  // report-server
  'report-server: unknown option': { tool: 'report-server', args: () => ['--bogus'], code: 2, line: () => /^report-server: unknown option --bogus \(see --help for the options\)$/ },
  'report-server: port out of range': { tool: 'report-server', args: () => ['--port', '99999'], code: 2, line: () => /^report-server: --port must be a whole number from 0 to 65535$/ },
  'report-server: unknown command': { tool: 'report-server', args: () => ['start'], code: 2, line: () => /^report-server: unknown command start \(the server takes options only; token, user and case manage tokens, accounts and cases; publish writes a public report; see --help\)$/ },
  'user add: no role': { tool: 'report-server', args: () => ['user', 'add', 'ana', '--data', at('rs-3')], code: 2, line: () => /^report-server: user add needs --role reporter\|reviewer\|admin$/ },
  'case merge: no --as': { tool: 'report-server', args: () => ['case', 'merge', '1', '2', '--data', at('rs-3')], code: 2, line: () => /^report-server: case merge needs --as NAME: the reviewer or admin account the audit log records$/ },
  'report-server: --confirmations 0': { tool: 'report-server', args: () => ['--confirmations', '0', '--data', at('rs-1')], code: 2, line: () => /^report-server: --confirmations must be a whole number from 1 to 100$/ },
  'report-server: --admin without token create': { tool: 'report-server', args: () => ['--admin', '--data', at('rs-1')], code: 2, line: () => /^report-server: --admin belongs to token create$/ },
  'report-server: --data is a file': { tool: 'report-server', args: () => ['--data', at('a-file'), '--port', '0'], code: 1, line: () => new RegExp(`^report-server: --data ${re(at('a-file'))} is a file: give a folder \\(it is made when it does not exist\\)$`) },
  'report-server: port in use': { tool: 'report-server', args: () => ['--data', at('rs-2'), '--port', String(busyPort)], code: 1, line: () => new RegExp(`^report-server: cannot listen on 127\\.0\\.0\\.1:${busyPort}: the address is already in use$`) },
  'report-server: DATABASE_URL not an address': { tool: 'report-server', args: () => ['token', 'list'], env: { DATABASE_URL: 'my database' }, code: 1, line: () => /^report-server: DATABASE_URL is not a postgres:\/\/user@host:port\/database address$/ },

  // report-server token commands
  'token: no command': { tool: 'report-server', args: () => ['token'], code: 2, line: () => /^report-server: token needs a command: token create NAME \[--admin\], token list, token revoke NAME$/ },
  'token: unknown command': { tool: 'report-server', args: () => ['token', 'frob'], code: 2, line: () => /^report-server: unknown command token frob: token create NAME \[--admin\], token list, token revoke NAME$/ },
  'token create: no name': { tool: 'report-server', args: () => ['token', 'create', '--data', at('rs-3')], code: 2, line: () => /^report-server: token create needs a NAME \(who the token is for\)$/ },
  'token create: two names': { tool: 'report-server', args: () => ['token', 'create', 'a', 'b', '--data', at('rs-3')], code: 2, line: () => /^report-server: unexpected argument b \(token create takes one NAME; quote a name with spaces\)$/ },
  'token create: --data is a file': { tool: 'report-server', args: () => ['token', 'create', 'ana', '--data', at('a-file')], code: 1, line: () => new RegExp(`^report-server: --data ${re(at('a-file'))} is a file`) },
  'token list: extra argument': { tool: 'report-server', args: () => ['token', 'list', 'all', '--data', at('rs-3')], code: 2, line: () => /^report-server: unexpected argument all \(token list takes none\)$/ },
  'token revoke: no name': { tool: 'report-server', args: () => ['token', 'revoke', '--data', at('rs-3')], code: 2, line: () => /^report-server: token revoke needs the NAME the token was created for$/ },
  'token revoke: unknown name': { tool: 'report-server', args: () => ['token', 'revoke', `nobody${ESC}`, '--data', at('rs-3')], code: 1, line: () => /^report-server: no live token named nobody\\x1b\[31mred\\x07 \(token list shows the names\)$/ },
};

describe('every error path: one line naming the file and the reason, the documented exit code', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const r = await cli(c.tool, c.args(), c.env);
      const lines = r.stderr.split('\n').filter(Boolean);
      const errorLine = lines.find((l) => !l.startsWith('skipped ')) ?? '';
      expect(errorLine).toMatch(c.line());
      expect(r.code).toBe(c.code);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      // Nothing raw reaches the terminal: no ESC, BEL, NUL or other control character.
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      for (const l of lines) expect(l).toMatch(new RegExp(`^(?:${c.tool}: |skipped )`));
    });
  }
  it('the skipped records of a bad JSONL say why, each on its own line', async () => {
    const r = await cli('index', ['build', '--in', at('bad-fields.jsonl'), '--out', at('out-10')]);
    expect(r.stderr).toContain(`skipped ${at('bad-fields.jsonl')}:1: published "yesterday" is not an ISO 8601 date (2026-03-14, or 2026-03-14T08:00:00Z; empty when unknown)\n`);
    expect(r.stderr).toContain(`skipped ${at('bad-fields.jsonl')}:2: lang "klingon" is not a language tag (en, zh, zh-Hans, zh-Hant, zh-CN, zh-TW, ru, fa, …; empty when unknown)\n`);
    expect(r.stderr).toContain(`skipped ${at('bad-fields.jsonl')}:3: published "2026-02-30" is not an ISO 8601 date`);
    const b = await cli('index', ['build', '--in', at('binary.jsonl'), '--out', at('out-11')]);
    expect(b.stderr).toContain(`skipped ${at('binary.jsonl')}: a binary file, not UTF-8 text (it holds NUL bytes)\n`);
  });
});
