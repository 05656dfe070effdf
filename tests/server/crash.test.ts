/**
 * kill -9 of the server process during a stream of writes, then a restart on
 * the same data: every acknowledged report is there, none twice, and
 * replaying every key sent (acknowledged or not) leaves exactly one report
 * per key. The server runs as a child process, started by the real CLI, which
 * also creates the tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { StoredReport } from '../../lib/report-server/schema';
import { startPostgres, type PgCluster } from '../support/postgres';
import { BACKENDS, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const MAIN = 'lib/cli/report-server-main.ts';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

function env(b: Backend): NodeJS.ProcessEnv {
  const e = { ...process.env };
  if (b.databaseUrl) e.DATABASE_URL = b.databaseUrl;
  else delete e.DATABASE_URL;
  return e;
}

async function createToken(b: Backend, name: string, admin: boolean): Promise<string> {
  const r = await run(process.execPath, ['--import', 'tsx', MAIN, 'token', 'create', name, ...(admin ? ['--admin'] : []), '--data', b.dataDir], { cwd: ROOT, env: env(b) });
  expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
  expect(r.stderr).toContain(admin ? 'admin token' : 'reporter token');
  return r.stdout.trim();
}

async function startChild(b: Backend): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--rate', '0', '--data', b.dataDir], { cwd: ROOT, env: env(b), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) clearTimeout(timer), resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
  return { child, origin };
}

describe.each(BACKENDS)('kill -9 of the %s server during writes', (kind) => {
  let backend: Backend;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await backend?.cleanup();
  });

  it('loses no acknowledged report and doubles none', async () => {
    const reporter = await createToken(backend, 'crash reporter', false);
    const admin = await createToken(backend, 'crash admin', true);
    const first = await startChild(backend);
    children.push(first.child);

    const attempted = new Set<number>();
    const acked = new Map<number, number>();
    let failures = 0;
    let next = 0;
    const writer = async () => {
      for (;;) {
        const n = next++;
        attempted.add(n);
        let r;
        try {
          r = await post(first.origin, reporter, `crash-${n}`, makeReport(n));
        } catch {
          failures++;
          return; // the server is gone
        }
        expect(r.status).toBe(201);
        acked.set(n, r.body.id);
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    const deadline = Date.now() + 30_000;
    while (acked.size < 300) {
      if (Date.now() > deadline) throw new Error(`only ${acked.size} reports acknowledged in 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await Promise.all(writers);
    await exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(failures).toBe(8); // every writer was cut off mid-stream
    expect(attempted.size).toBeGreaterThan(acked.size);

    const second = await startChild(backend);
    children.push(second.child);
    const list = async () => (await request(second.origin, '/api/reports', admin)).body.reports as StoredReport[];
    const urlOf = (n: number) => makeReport(n).url;

    const stored = await list();
    const byUrl = new Map<string, StoredReport[]>();
    for (const r of stored) byUrl.set(r.url, [...(byUrl.get(r.url) ?? []), r]);
    for (const [n, id] of acked) {
      expect(byUrl.get(urlOf(n))?.map((r) => r.id), `report ${n}`).toEqual([id]);
    }
    for (const [url, rs] of byUrl) expect(rs.length, url).toBe(1);
    const attemptedUrls = new Set([...attempted].map(urlOf));
    for (const r of stored) expect(attemptedUrls.has(r.url)).toBe(true);
    // At most the requests in flight at the kill can be stored without an acknowledgement.
    expect(stored.length - acked.size).toBeLessThanOrEqual(8);

    // The outbox retries every key it has not seen acknowledged (and may retry acknowledged ones).
    for (const n of attempted) {
      const r = await post(second.origin, reporter, `crash-${n}`, makeReport(n));
      if (acked.has(n)) expect([r.status, r.body.id]).toEqual([200, acked.get(n)]);
      else expect([200, 201]).toContain(r.status);
    }
    const after = await list();
    expect(after).toHaveLength(attempted.size);
    expect(new Set(after.map((r) => r.url))).toEqual(attemptedUrls);

    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
  });
});
