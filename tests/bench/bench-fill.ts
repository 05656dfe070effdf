/**
 * The large database of the publish and review benchmarks (publish-report.ts,
 * review-ui.ts): N reports spread over ten ISO weeks (2026-W40 to W49), 5
 * reports per original about 3 copies, 70% of them with an account out of
 * 2,000, two passages each; every other case confirmed by two reviewers.
 *
 * Two ways to fill it, giving the same tables (tests/server/bench-fill.test.ts
 * compares them on both backends):
 *
 * - fillThroughStore: every report through the store, grouped into its case on
 *   arrival as the server does (one transaction per report on PostgreSQL: with
 *   fsync on about 400 reports/s on this project's machine, 40 minutes for 1M);
 * - fillSetBased (the default): the reports' rows as the store writes them
 *   (reportValues, reportHash), inserted many rows per statement, then grouped
 *   into cases by a few set-based statements (INSERT … SELECT over all the
 *   reports) that give what assignCase gives for this data, where every
 *   original's reports name the same original address and id, no copy is
 *   shared between originals and no address has a #fragment. Not a general
 *   grouping: the server never uses it.
 */
import { openStore, type StoreConfig } from '../../lib/report-server/open-store';
import { reportHash, type ReportInput } from '../../lib/report-server/schema';
import type { Sql } from '../../lib/report-server/sql';
import { REPORT_COLUMNS, reportValues } from '../../lib/report-server/store';

const WEEK0 = Date.parse('2026-09-28T00:00:00.000Z'); // Monday of 2026-W40
const WEEK = 7 * 86_400_000;
export const RECEIVED_AT = '2026-12-01T00:00:00.000Z';

export function benchReport(i: number): ReportInput {
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

export interface Filled {
  seconds: number;
  cases: number;
  confirmed: number;
}

/** Every other case confirmed by two reviewers, in one statement each. */
async function confirmHalf(sql: Sql): Promise<number> {
  await sql.run("INSERT INTO case_confirmations (case_id, reviewer, at) SELECT id, 'bench-a', '2026-12-01T01:00:00.000Z' FROM cases WHERE id % 2 = 0");
  await sql.run("INSERT INTO case_confirmations (case_id, reviewer, at) SELECT id, 'bench-b', '2026-12-01T02:00:00.000Z' FROM cases WHERE id % 2 = 0");
  return sql.run("UPDATE cases SET status = 'confirmed' WHERE id % 2 = 0");
}

const progress = (t0: number, i: number) => process.stderr.write(`  ${i} reports stored (${Math.round((performance.now() - t0) / 1000)} s)\n`);

/**
 * Through the store, as the server stores reports. `parallel` reports at a time (1: one after the
 * other, in order, so that report and case ids follow the reports' order).
 */
export async function fillThroughStore(cfg: StoreConfig, n: number, parallel = 1000): Promise<Filled> {
  const store = await openStore(cfg);
  const t0 = performance.now();
  try {
    const token = await store.createToken('benchmark', false, 'bench-fill-token');
    for (let i = 0; i < n; i += parallel) {
      const jobs: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(n, i + parallel); j++) {
        const r = benchReport(j);
        jobs.push(store.insertReport(token.id, `b-${j}`, reportHash(r), r, RECEIVED_AT));
      }
      await Promise.all(jobs);
      if (i && i % 100_000 === 0) progress(t0, i);
    }
    const confirmed = await store.db.tx(confirmHalf);
    const cases = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM cases'))!.n);
    return { seconds: (performance.now() - t0) / 1000, cases, confirmed };
  } finally {
    await store.close();
  }
}

/** The grouping statements (see the top of this file), in either backend's SQL. */
function groupingSql(kind: 'sqlite' | 'postgres'): string[] {
  const pg = kind === 'postgres';
  const q = (x: string) => (pg ? `to_json(${x})::text` : `json_quote(${x})`);
  const acct = (k: string) => (pg ? `(r.unit_data::jsonb #>> '{account,${k}}')` : `json_extract(r.unit_data, '$.account.${k}')`);
  const overriding = pg ? ' OVERRIDING SYSTEM VALUE' : '';
  const analyze = (t: string) => (pg ? [`ANALYZE ${t}`] : []);
  return [
    // Memory for the sorts of a million rows (this transaction only), and statistics for the temporary tables (which
    // autovacuum never analyzes: without them the planner joins a million rows by nested loops).
    ...(pg ? ["SET LOCAL work_mem = '256MB'"] : []),
    // Each report with the first report of its original (its case) and of its page (its copy).
    `CREATE TEMP TABLE fill_r AS SELECT r.id, r.url, r.title, r.platform, r.created_at, r.received_at, r.outlet, r.original_id, r.original_url,
       ${acct('name')} AS account_name, ${acct('url')} AS account_url,
       MIN(r.id) OVER (PARTITION BY r.original_url) AS case_first, MIN(r.id) OVER (PARTITION BY r.url) AS copy_first
     FROM reports r`,
    'CREATE UNIQUE INDEX fill_r_id ON fill_r (id)',
    ...analyze('fill_r'),
    // Case ids in the order of their first reports, as on arrival.
    `CREATE TEMP TABLE fill_case AS SELECT case_first, ROW_NUMBER() OVER (ORDER BY case_first) AS case_id FROM (SELECT DISTINCT case_first FROM fill_r) x`,
    ...analyze('fill_case'),
    `CREATE TEMP TABLE fill_copy AS SELECT copy_first, MIN(case_first) AS case_first, MIN(created_at) AS first_seen,
       MIN(CASE WHEN account_name IS NOT NULL THEN id END) AS account_report FROM fill_r GROUP BY copy_first`,
    ...analyze('fill_copy'),
    // The case: the first report's original and title; first seen the earliest report; updated when its last report came.
    `INSERT INTO cases (id, status, outlet, original_id, original_url, title, first_seen, created_at, updated_at)${overriding}
     SELECT c.case_id, 'open', f.outlet, f.original_id, f.original_url, f.title, g.first_seen, f.received_at, l.received_at
     FROM fill_case c JOIN fill_r f ON f.id = c.case_first
     JOIN (SELECT case_first, MIN(created_at) AS first_seen, MAX(id) AS last_id FROM fill_r GROUP BY case_first) g ON g.case_first = c.case_first
     JOIN fill_r l ON l.id = g.last_id`,
    `INSERT INTO case_originals (key, case_id) SELECT 'url:' || f.original_url, c.case_id FROM fill_case c JOIN fill_r f ON f.id = c.case_first WHERE f.original_url <> ''`,
    `INSERT INTO case_originals (key, case_id) SELECT 'id:' || f.original_id, c.case_id FROM fill_case c JOIN fill_r f ON f.id = c.case_first WHERE f.original_id <> ''`,
    // The copy: its first report's platform; the account of the first report that carried one.
    `INSERT INTO case_copies (url, case_id, platform, account_name, account_url, first_seen, added_at)
     SELECT f.url, c.case_id, f.platform, a.account_name, a.account_url, k.first_seen, f.received_at
     FROM fill_copy k JOIN fill_r f ON f.id = k.copy_first JOIN fill_case c ON c.case_first = k.case_first LEFT JOIN fill_r a ON a.id = k.account_report`,
    `INSERT INTO case_reports (report_id, copy_url) SELECT id, url FROM fill_r`,
    // The audit log as assignCase writes it: created, then copy-added, per case's first report; copy-added per copy's
    // first report; account-added when a copy's account came with a later report.
    `INSERT INTO case_audit (id, case_id, at, actor, action, detail)${overriding}
     SELECT ROW_NUMBER() OVER (ORDER BY e.report_id, e.seq), e.case_id, e.at, 'system', e.action, e.detail FROM (
       SELECT f.id AS report_id, 0 AS seq, c.case_id, f.received_at AS at, 'created' AS action,
         '{"reportId":' || f.id || ',"url":' || ${q('f.url')} || ',"originalUrl":' || ${q('f.original_url')} || ',"originalId":' || ${q('f.original_id')} || '}' AS detail
       FROM fill_case c JOIN fill_r f ON f.id = c.case_first
       UNION ALL
       SELECT f.id, 1, c.case_id, f.received_at, 'copy-added',
         '{"url":' || ${q('f.url')} || ',"platform":' || ${q('f.platform')} || CASE WHEN f.account_name IS NOT NULL THEN ',"account":' || ${q('f.account_name')} ELSE '' END || ',"reportId":' || f.id || '}'
       FROM fill_copy k JOIN fill_r f ON f.id = k.copy_first JOIN fill_case c ON c.case_first = k.case_first
       UNION ALL
       SELECT a.id, 0, c.case_id, a.received_at, 'account-added',
         '{"url":' || ${q('a.url')} || ',"account":' || ${q('a.account_name')} || ',"reportId":' || a.id || '}'
       FROM fill_copy k JOIN fill_r a ON a.id = k.account_report JOIN fill_case c ON c.case_first = k.case_first WHERE k.account_report <> k.copy_first
     ) e`,
    ...(pg
      ? [
          "SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))",
          "SELECT setval(pg_get_serial_sequence('case_audit', 'id'), (SELECT MAX(id) FROM case_audit))",
        ]
      : []),
    'DROP TABLE fill_r',
    'DROP TABLE fill_case',
    'DROP TABLE fill_copy',
  ];
}

/** The same database in minutes: the reports' rows many at a time, then the cases set-based (see the top of this file). Needs an empty database. */
export async function fillSetBased(cfg: StoreConfig, n: number): Promise<Filled> {
  const store = await openStore(cfg);
  const t0 = performance.now();
  try {
    const have = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM reports'))!.n);
    if (have) throw new Error(`the set-based fill needs an empty database (it holds ${have} reports)`);
    const token = await store.createToken('benchmark', false, 'bench-fill-token');
    const columns = ['token_id', 'idem_key', 'body_hash', 'received_at', ...REPORT_COLUMNS.map(([, c]) => c)];
    const row = (i: number) => {
      const r = benchReport(i);
      return [token.id, `b-${i}`, reportHash(r), RECEIVED_AT, ...reportValues(r)];
    };
    const CHUNK = 5000;
    const confirmed = await store.db.tx(async (sql) => {
      if (store.kind === 'postgres') {
        // One statement per chunk: a column of values each, unnested into rows in order.
        const types = columns.map((c) => (c === 'token_id' ? 'bigint' : c === 'score' ? 'float8' : 'text'));
        const insert = `INSERT INTO reports (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t) => `?::${t}[]`).join(', ')})`;
        for (let i = 0; i < n; i += CHUNK) {
          const cols: unknown[][] = columns.map(() => []);
          for (let j = i; j < Math.min(n, i + CHUNK); j++) row(j).forEach((v, k) => cols[k]!.push(v));
          await sql.run(insert, cols);
          if (i && i % 100_000 === 0) progress(t0, i);
        }
      } else {
        const insert = `INSERT INTO reports (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
        for (let i = 0; i < n; i++) {
          await sql.run(insert, row(i));
          if (i && i % 100_000 === 0) progress(t0, i);
        }
      }
      process.stderr.write(`  ${n} reports stored (${Math.round((performance.now() - t0) / 1000)} s); grouping them into cases …\n`);
      for (const s of groupingSql(store.kind)) await sql.run(s);
      return confirmHalf(sql);
    });
    // Fresh statistics, as autovacuum would gather over a database filled over weeks.
    if (store.kind === 'postgres') await store.db.read.run('ANALYZE');
    const cases = Number((await store.db.read.get('SELECT COUNT(*) AS n FROM cases'))!.n);
    return { seconds: (performance.now() - t0) / 1000, cases, confirmed };
  } finally {
    await store.close();
  }
}
