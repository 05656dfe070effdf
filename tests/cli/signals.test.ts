/**
 * Servers stop with their parent: `npm run -s index -- serve DIR &` then
 * `kill $!` (or the same with the report server, or Ctrl-C's SIGINT) must
 * stop the server, not only npm. Each server is started through npm as a user
 * would, the npm process is signalled, and its port must be free within a
 * few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'cli-signals-'));
const started: ChildProcess[] = [];
afterAll(() => {
  // Only what this file started, should a test have failed half-way: each npm runs in its own process group,
  // which a server left behind by its parent still belongs to.
  for (const c of started) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* the group is gone */
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** Starts `npm run -s SCRIPT -- ARGS` and waits for the port it prints. */
async function startThroughNpm(script: string, args: string[], portLine: RegExp): Promise<{ npm: ChildProcess; port: number; exited: Promise<number | null> }> {
  const npm = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(npm);
  const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(portLine);
  return { npm, port: Number(portLine.exec(out)![1]), exited };
}

const SERVERS = {
  'index serve': () => startThroughNpm('index', ['serve', join(ROOT, 'public/demo'), '--port', '0'], /on http:\/\/127\.0\.0\.1:(\d+)\//),
  'report-server': () => startThroughNpm('report-server', ['--port', '0', '--data', join(tmp, `data-${started.length}`)], /listening on http:\/\/127\.0\.0\.1:(\d+)/),
};

describe('a signal to npm stops the server it runs', () => {
  for (const [name, start] of Object.entries(SERVERS))
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      it(`${name}: ${signal} to npm frees the port within 5 s`, async () => {
        const { npm, port, exited } = await start();
        expect(await listening(port)).toBe(true);
        npm.kill(signal);
        await expect.poll(() => listening(port), { timeout: 5_000, interval: 100 }).toBe(false);
        // npm ends too, with the server's own exit code (0: stopped as asked).
        expect(await exited).toBe(0);
      });
});
