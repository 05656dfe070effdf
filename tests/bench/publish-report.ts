/**
 * Publishing a week's public report over a database of N reports (issue 13
 * §4: ≤ 30 s over 1M reports). The database (bench-fill.ts) is spread over
 * ten ISO weeks (2026-W40 to W49): 5 reports per original about 3 copies, 70%
 * of them with an account out of 2,000, two passages each; every other case
 * confirmed. Then the real command
 * `report-server publish --period 2026-W45` runs as its own process, twice;
 * the figure is its wall time (Node and tsx start-up included) and the size of
 * what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '../../lib/report-server/open-store';
import { fillSetBased } from './bench-fill';

const ROOT = new URL('../../', import.meta.url).pathname;

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
    filled = await fillSetBased(cfg, n);
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
