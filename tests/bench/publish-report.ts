/**
 * Publishing a week's public report over a database of N reports (issue 13
 * §4: ≤ 30 s over 1M reports). The database is filled in-process through the
 * store (reports grouped into cases as on arrival), spread over ten ISO weeks
 * (2026-W40 to W49): 5 reports per original about 3 copies, 70% of them with an
 * account out of 2,000, two passages each; every other case confirmed (in one
 * transaction, as two reviewers would). Then the real command
 * `report-server publish --period 2026-W45` runs as its own process, twice;
 * the figure is its wall time (Node and tsx start-up included) and the size of
 * what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type StoreConfig } from '../../lib/report-server/open-store';
import { reportHash, type ReportInput } from '../../lib/report-server/schema';

const ROOT = new URL('../../', import.meta.url).pathname;
const WEEK0 = Date.parse('2026-09-28T00:00:00.000Z'); // Monday of 2026-W40
const WEEK = 7 * 86_400_000;

function benchReport(i: number): ReportInput {
  const o = Math.floor(i / 5);
  const copy = o * 3 + ((i % 5) % 3);
  const week = o % 10;
  const at = WEEK0 + week * WEEK + ((o * 7919) % (WEEK - 86_400_000)) + (i % 5) * 600_000;
  const account = i % 10 < 7 ? { account: { name: `acct-${(copy * 31) % 2000}`, url: `https://weibo.com/u/${(copy * 31) % 2000}` } } : {};
  return {
    url: `https://copy.example/${copy}`,
    title: `Benchmark copy ${copy}`,
    platform: i % 10 < 7 ? 'weibo' : 'news',
    createdAt: new Date(at).toISOString(),
    category: 'uncredited',
    note: '',
    verdict: 'copy',
    outlet: ['xinhua', 'people', 'cgtn', 'chinadaily'][o % 4]!,
    originalId: `bench-${o}`,
    originalUrl: `https://english.news.cn/bench/${o}.htm`,
    score: 0.9,
    passages: [
      { pageText: `Benchmark passage one of original ${o}, as the copy printed it, long enough to look like a sentence.`, originalText: `Benchmark passage one of original ${o}, as the outlet printed it, long enough to look like a sentence.` },
      { pageText: `A second passage of original ${o}, copy ${copy}.`, originalText: `A second passage of original ${o}.` },
    ],
    ...account,
  };
}

export async function fill(cfg: StoreConfig, n: number): Promise<{ seconds: number; cases: number; confirmed: number }> {
  const store = await openStore(cfg);
  const t0 = performance.now();
  try {
    const token = await store.createToken('benchmark', false, `bench-${Date.now()}`);
    const receivedAt = '2026-12-01T00:00:00.000Z';
    const BATCH = 1000;
    for (let i = 0; i < n; i += BATCH) {
      const jobs: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(n, i + BATCH); j++) {
        const r = benchReport(j);
        jobs.push(store.insertReport(token.id, `b-${j}`, reportHash(r), r, receivedAt));
      }
      await Promise.all(jobs);
      if (i && i % 100_000 === 0) process.stderr.write(`  ${i} reports stored (${Math.round((performance.now() - t0) / 1000)} s)\n`);
    }
    // Every other case confirmed by two reviewers, in one transaction.
    const confirmed = await store.db.tx(async (sql) => {
      await sql.run("INSERT INTO case_confirmations (case_id, reviewer, at) SELECT id, 'bench-a', '2026-12-01T01:00:00.000Z' FROM cases WHERE id % 2 = 0");
      await sql.run("INSERT INTO case_confirmations (case_id, reviewer, at) SELECT id, 'bench-b', '2026-12-01T02:00:00.000Z' FROM cases WHERE id % 2 = 0");
      return sql.run("UPDATE cases SET status = 'confirmed' WHERE id % 2 = 0");
    });
    const cases = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM cases'))!.n);
    return { seconds: (performance.now() - t0) / 1000, cases, confirmed };
  } finally {
    await store.close();
  }
}

function publish(cfg: StoreConfig, out: string): Promise<{ seconds: number; stdout: string }> {
  const env = { ...process.env };
  if (cfg.databaseUrl) env.DATABASE_URL = cfg.databaseUrl;
  else delete env.DATABASE_URL;
  const t = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', 'publish', '--period', '2026-W45', '--out', out, '--data', cfg.dataDir], { cwd: ROOT, env, maxBuffer: 1 << 20 }, (e, stdout, stderr) =>
      e ? reject(new Error(`publish failed: ${stderr}`)) : resolve({ seconds: (performance.now() - t) / 1000, stdout }),
    ),
  );
}

export interface PublishResult {
  backend: string;
  reports: number;
  fillSeconds: number | null;
  cases: number;
  confirmed: number;
  publishSeconds: number[];
  weekCases: number;
  bytes: number;
}

export async function benchPublish(backend: string, cfg: StoreConfig, n: number, prefilled?: { seconds: number | null; cases: number; confirmed: number }): Promise<PublishResult> {
  let filled = prefilled;
  if (!filled) {
    process.stderr.write(`${backend}: storing ${n} reports for the publish benchmark …\n`);
    filled = await fill(cfg, n);
  }
  const out = mkdtempSync(join(tmpdir(), 'bench-publish-'));
  try {
    const runs: number[] = [];
    let stdout = '';
    for (let i = 0; i < 2; i++) {
      const r = await publish(cfg, out);
      runs.push(r.seconds);
      stdout = r.stdout;
    }
    const bytes = readdirSync(out).reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
    const weekCases = Number(/: (\d+) confirmed case/.exec(stdout)?.[1] ?? NaN);
    return { backend, reports: n, fillSeconds: filled.seconds, cases: filled.cases, confirmed: filled.confirmed, publishSeconds: runs, weekCases, bytes };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
