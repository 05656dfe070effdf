/**
 * Report server throughput: the server runs as its own process (the real CLI,
 * rate limit off); N concurrent clients over loopback keep-alive connections
 * post distinct reports for a few seconds. Prints reports/s accepted and
 * p50/p99 latency per backend.
 *
 *   npm run -s bench:server -- [--seconds 10] [--clients 10] [--postgres]
 *                              [--publish-reports 100000] [--only throughput|publish|review] [--postgres-only]
 *                              [--fill set|store]
 *
 * SQLite always; PostgreSQL too with --postgres (a throwaway cluster with
 * default durability: fsync on) or with DATABASE_URL set (that database).
 * Then, over a database of --publish-reports reports (0 skips them): publishing
 * a week's public report (publish-report.ts) and the review application's
 * requests, inbox and case view (review-ui.ts). The database is a fresh one,
 * filled first; with DATABASE_URL it is that database, filled when empty and
 * taken as it is when it holds enough reports already (fill once, measure
 * again); --only throughput|publish|review runs one part, --postgres-only
 * leaves SQLite out. --fill store stores the large database's reports through
 * the store one by one as the server does (grouped on arrival; slow: about
 * 400 reports/s on PostgreSQL with fsync on) instead of the default set-based
 * fill that gives the same tables (bench-fill.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type StoreConfig } from '../../lib/report-server/open-store';
import { tokenHash } from '../../lib/report-server/schema';
import { startPostgres } from '../support/postgres';
import { makeReport } from '../support/report-backends';
import { benchPublish, type PublishResult } from './publish-report';
import { benchReview, prepareDatabase, type ReviewResult } from './review-ui';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Result {
  backend: string;
  seconds: number;
  accepted: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function startServer(cfg: StoreConfig): Promise<{ origin: string; stop(): Promise<void> }> {
  const env = { ...process.env };
  if (cfg.databaseUrl) env.DATABASE_URL = cfg.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', '--port', '0', '--rate', '0', '--data', cfg.dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m)
        resolve({
          origin: m[1]!,
          stop: () => new Promise<void>((ok) => (child.once('exit', () => ok()), child.kill('SIGTERM'))),
        });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function postOnce(agent: http.Agent, origin: string, token: string, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${origin}/api/reports`,
      { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(origin: string, token: string, clients: number, ms: number, prefix: string, latencies: number[] | null): Promise<{ accepted: number; failed: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let n = 0;
  let accepted = 0;
  let failed = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const body = JSON.stringify(makeReport(i, { note: `benchmark report ${prefix}-${i}` }));
        const t = performance.now();
        const status = await postOnce(agent, origin, token, `${prefix}-${i}`, body);
        latencies?.push(performance.now() - t);
        if (status === 201) accepted++;
        else failed++;
      }
    }),
  );
  agent.destroy();
  return { accepted, failed };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function bench(backend: string, cfg: StoreConfig, clients: number, seconds: number): Promise<Result> {
  const store = await openStore(cfg);
  const token = randomBytes(32).toString('base64url');
  await store.createToken('benchmark', false, tokenHash(token));
  await store.close();
  const server = await startServer(cfg);
  try {
    await load(server.origin, token, clients, 1000, 'warm', null);
    const latencies: number[] = [];
    const t = performance.now();
    const { accepted, failed } = await load(server.origin, token, clients, seconds * 1000, 'run', latencies);
    const elapsed = (performance.now() - t) / 1000;
    latencies.sort((a, b) => a - b);
    return { backend, seconds: elapsed, accepted, failed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies[latencies.length - 1] ?? NaN };
  } finally {
    await server.stop();
  }
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '10' },
    postgres: { type: 'boolean' },
    'postgres-only': { type: 'boolean' },
    'publish-reports': { type: 'string', default: '100000' },
    only: { type: 'string' },
    fill: { type: 'string', default: 'set' },
  },
});
const publishReports = Number(values['publish-reports']);
if (values.fill !== 'set' && values.fill !== 'store') throw new Error('--fill: set or store');
if (values.only && !['throughput', 'publish', 'review'].includes(values.only)) throw new Error('--only: throughput, publish or review');
const runThroughput = !values.only || values.only === 'throughput';
const runPublish = (!values.only || values.only === 'publish') && publishReports > 0;
const runReview = (!values.only || values.only === 'review') && publishReports > 0;
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const cpu = cpus();
console.log(`report server benchmark, ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model ?? '?'}, Node ${process.version}; ${clients} clients, ${seconds} s, keep-alive, distinct reports`);

const results: Result[] = [];
const published: PublishResult[] = [];
const reviewed: ReviewResult[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
const publishDir = mkdtempSync(join(tmpdir(), 'bench-publish-db-'));
/** Publishing and the review application's requests over one large database. */
async function large(backend: string, cfg: StoreConfig) {
  if (!runPublish && !runReview) return;
  const db = await prepareDatabase(backend, cfg, publishReports, values.fill as 'set' | 'store');
  if (runPublish) published.push(await benchPublish(backend, cfg, db.reports, db));
  if (runReview) reviewed.push(await benchReview(backend, cfg, db));
}
try {
  if (!values['postgres-only']) {
    if (runThroughput) results.push(await bench('SQLite (WAL, synchronous=NORMAL)', { dataDir: dir }, clients, seconds));
    await large('SQLite', { dataDir: publishDir });
  }
  if (process.env.DATABASE_URL) {
    if (runThroughput) results.push(await bench('PostgreSQL (DATABASE_URL)', { dataDir: dir, databaseUrl: process.env.DATABASE_URL }, clients, seconds));
    await large('PostgreSQL (DATABASE_URL)', { dataDir: publishDir, databaseUrl: process.env.DATABASE_URL });
  } else if (values.postgres) {
    const cluster = await startPostgres({ fast: false });
    try {
      if (runThroughput) results.push(await bench('PostgreSQL (throwaway cluster, fsync on)', { dataDir: dir, databaseUrl: cluster.url }, clients, seconds));
      if (runPublish || runReview) {
        const { createDatabase } = await import('../support/postgres');
        await large('PostgreSQL (throwaway cluster)', { dataDir: publishDir, databaseUrl: await createDatabase(cluster, 'bench_publish') });
      }
    } finally {
      await cluster.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(publishDir, { recursive: true, force: true });
}

if (results.length) {
  console.log('| backend | reports/s accepted | p50 (ms) | p99 (ms) | max (ms) | accepted | failed |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(`| ${r.backend} | ${Math.round(r.accepted / r.seconds)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.accepted} | ${r.failed} |`);
  const miss = results.filter((r) => r.accepted / r.seconds < 1000 || r.p99 > 50 || r.failed);
  console.log(miss.length ? `target (≥ 1000 reports/s, p99 ≤ 50 ms, no failures) not met by: ${miss.map((r) => r.backend).join(', ')}` : 'target met: ≥ 1000 reports/s with p99 ≤ 50 ms');
}

if (published.length) {
  console.log('\npublishing one week (2026-W45) of a database spread over ten weeks: `report-server publish` as its own process, wall time of two runs');
  console.log('| backend | reports in the database | cases (confirmed) | filled in (s) | confirmed cases in the week | publish (s) | files (bytes) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of published)
    console.log(`| ${p.backend} | ${p.reports} | ${p.cases} (${p.confirmed}) | ${p.fillSeconds === null ? 'taken as it was' : p.fillSeconds.toFixed(1)} | ${p.weekCases} | ${p.publishSeconds.map((s) => s.toFixed(2)).join(' / ')} | ${p.bytes} |`);
  const slow = published.filter((p) => Math.min(...p.publishSeconds) > 30);
  console.log(slow.length ? `publish target (≤ 30 s) not met by: ${slow.map((p) => p.backend).join(', ')}` : `publish target (≤ 30 s; set for 1M reports) met at ${published.map((p) => p.reports).join(' / ')} reports`);
}

if (reviewed.length) {
  console.log('\nthe review application\'s requests (one client, one request at a time, keep-alive; ms, wall time at the client)');
  console.log('| backend | reports | cases | request | samples | p50 | p95 | max |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of reviewed) for (const x of r.rows) console.log(`| ${r.backend} | ${r.reports} | ${r.cases} | ${x.what} | ${x.n} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.max.toFixed(1)} |`);
  const slow = reviewed.flatMap((r) => r.rows.filter((x) => x.p95 > 200).map((x) => `${r.backend}: ${x.what} (${x.p95.toFixed(0)} ms)`));
  console.log(slow.length ? `review target (≤ 200 ms p95; set for 1M reports) not met by: ${slow.join('; ')}` : `review target (≤ 200 ms p95; set for 1M reports) met at ${reviewed.map((r) => r.reports).join(' / ')} reports`);
}
