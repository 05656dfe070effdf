/**
 * The review application's requests over a large database (issue 13 §4: the
 * inbox and a case view ≤ 200 ms p95 at 1M reports on PostgreSQL). The
 * database is the publish benchmark's (bench-fill.ts:
 * 5 reports per original about 3 copies, 70% with one of 2,000 accounts,
 * ten ISO weeks, every other case confirmed), unless it already holds at least
 * N reports (a database filled by an earlier run, through DATABASE_URL, is
 * reused as it is). Then the real server runs as its own process and one
 * client asks, one request at a time over keep-alive, what the application
 * asks: the inbox (open cases, 50 a page) with each filter, the next page, and
 * case views (the case and its timeline, as the page loads them together) of
 * random cases. Wall time per request from the client, server included.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { openStore, type StoreConfig } from '../../lib/report-server/open-store';
import { tokenHash } from '../../lib/report-server/schema';
import { fillSetBased, fillThroughStore } from './bench-fill';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ReviewResult {
  backend: string;
  reports: number;
  cases: number;
  fillSeconds: number | null;
  rows: Array<{ what: string; n: number; p50: number; p95: number; max: number }>;
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
      if (m) resolve({ origin: m[1]!, stop: () => new Promise<void>((ok) => (child.once('exit', () => ok()), child.kill('SIGTERM'))) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function getJson(agent: http.Agent, url: string, token: string): Promise<{ ms: number; body: any }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode} ${text.slice(0, 200)}`));
          resolve({ ms: performance.now() - t, body: JSON.parse(text) });
        });
      })
      .on('error', reject);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/** Fills an empty database with n reports (publish-report.ts), or takes one that already holds at least n as it is (fill time null). */
export async function prepareDatabase(backend: string, cfg: StoreConfig, n: number, how: 'set' | 'store' = 'set'): Promise<{ seconds: number | null; cases: number; confirmed: number; reports: number }> {
  const store = await openStore(cfg);
  let have: number;
  try {
    have = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM reports'))!.n);
    if (have >= n) {
      const cases = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM cases'))!.n);
      const confirmed = Number((await store.db.read.get("SELECT COUNT(*) AS n FROM cases WHERE status = 'confirmed'"))!.n);
      process.stderr.write(`${backend}: the database already holds ${have} reports; taken as it is\n`);
      return { seconds: null, cases, confirmed, reports: have };
    }
  } finally {
    await store.close();
  }
  if (have) throw new Error(`${backend}: the database holds ${have} reports, fewer than ${n}: give an empty one`);
  process.stderr.write(`${backend}: storing ${n} reports (${how === 'set' ? 'set-based' : 'through the store'}) …\n`);
  return { ...(await (how === 'set' ? fillSetBased(cfg, n) : fillThroughStore(cfg, n))), reports: n };
}

export async function benchReview(backend: string, cfg: StoreConfig, db: { seconds: number | null; reports: number; cases: number }, samples = 100): Promise<ReviewResult> {
  const n = db.reports;
  const store = await openStore(cfg);
  const token = randomBytes(32).toString('base64url');
  await store.createToken(`review-bench-${Date.now()}`, true, tokenHash(token));
  await store.close();
  const server = await startServer(cfg);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const rows: ReviewResult['rows'] = [];
  try {
    const o = server.origin;
    const first = await getJson(agent, `${o}/api/cases?limit=1`, token);
    const top = first.body.cases[0].id as number;
    const account = 'acct-1234';
    const variants: Array<[string, () => string]> = [
      ['inbox: open cases, first page', () => '/api/cases?status=open&limit=50'],
      ['inbox: a later page', () => `/api/cases?status=open&limit=50&before=${1 + Math.floor(Math.random() * top)}`],
      ['inbox: platform', () => '/api/cases?status=open&platform=weibo&limit=50'],
      ['inbox: outlet', () => '/api/cases?status=open&outlet=people&limit=50'],
      ['inbox: account', () => `/api/cases?account=${account}&limit=50`],
      ['inbox: period (a week)', () => '/api/cases?status=confirmed&from=2026-11-02T00:00:00Z&to=2026-11-09T00:00:00Z&limit=50'],
      ['inbox: search, a copy\'s address', () => `/api/cases?q=${encodeURIComponent(`https://copy.example/${Math.floor(Math.random() * (n / 5)) * 3}`)}&limit=50`],
      // Words (the index, or a scan without one: cases.ts): a few cases have "copy 123"; every case has "benchmark".
      ['inbox: search, words few cases have', () => `/api/cases?q=${encodeURIComponent(`copy ${Math.floor(Math.random() * (n / 5)) * 3}`)}&limit=50`],
      ['inbox: search, a word every case has', () => `/api/cases?q=benchmark&limit=50`],
      ['inbox: search, a word every case has, a later page', () => `/api/cases?q=benchmark&limit=50&before=${1 + Math.floor(Math.random() * top)}`],
      ['inbox: search, a word no case has', () => `/api/cases?q=${encodeURIComponent(`zebra${Math.floor(Math.random() * 1000)}`)}&limit=50`],
    ];
    for (const [what, path] of variants) {
      for (let i = 0; i < 3; i++) await getJson(agent, o + path(), token);
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push((await getJson(agent, o + path(), token)).ms);
      times.sort((a, b) => a - b);
      rows.push({ what, n: samples, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times[times.length - 1]! });
    }
    // A case view: the case and its timeline, asked together as the page does.
    const views: number[] = [];
    for (let i = 0; i < samples + 3; i++) {
      const id = 1 + Math.floor(Math.random() * top);
      const t = performance.now();
      await Promise.all([getJson(agent, `${o}/api/cases/${id}`, token), getJson(agent, `${o}/api/cases/${id}/timeline`, token)]);
      if (i >= 3) views.push(performance.now() - t);
    }
    views.sort((a, b) => a - b);
    rows.push({ what: 'case view (case + timeline)', n: samples, p50: quantile(views, 0.5), p95: quantile(views, 0.95), max: views[views.length - 1]! });
    return { backend, reports: n, cases: db.cases, fillSeconds: db.seconds, rows };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
