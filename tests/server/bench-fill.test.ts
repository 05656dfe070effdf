/**
 * The benchmarks' set-based fill (tests/bench/bench-fill.ts) gives the tables
 * that storing the same reports through the store, one after the other as the
 * server groups them on arrival, gives: every row of the reports and of the
 * centre's tables, ids included, on both backends (token rows aside: their
 * creation time differs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../lib/report-server/open-store';
import { fillSetBased, fillThroughStore } from '../bench/bench-fill';
import { startPostgres, type PgCluster } from '../support/postgres';
import { BACKENDS, makeBackend, type Backend } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

const TABLES: Array<[string, string]> = [
  ['reports', 'id'],
  ['cases', 'id'],
  ['case_originals', 'key'],
  ['case_copies', 'url'],
  ['case_reports', 'report_id'],
  ['case_audit', 'id'],
  ['case_confirmations', 'case_id, reviewer'],
];

async function dump(b: Backend): Promise<Record<string, unknown[]>> {
  const store = await b.open();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of TABLES) {
      const rows = await store.db.read.all(`SELECT * FROM ${table} ORDER BY ${order}`);
      // Both backends' numbers as numbers (pg gives BIGINT as strings).
      out[table] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^(id|case_id|report_id|token_id|merged_into)$/.test(k) ? Number(v) : v])));
    }
    return out;
  } finally {
    await store.close();
  }
}

describe.each(BACKENDS)('benchmark fill on %s', (kind) => {
  it('set-based gives the rows that storing the reports one by one gives', async () => {
    const viaStore = await makeBackend(kind, cluster);
    const setBased = await makeBackend(kind, cluster);
    try {
      const n = 47; // ten originals, the last with two reports; odd and even originals (accounts differ)
      const a = await fillThroughStore({ dataDir: viaStore.dataDir, databaseUrl: viaStore.databaseUrl || undefined }, n, 1);
      const b = await fillSetBased({ dataDir: setBased.dataDir, databaseUrl: setBased.databaseUrl || undefined }, n);
      expect(b.cases).toBe(10);
      expect([b.cases, b.confirmed]).toEqual([a.cases, a.confirmed]);
      const [x, y] = [await dump(viaStore), await dump(setBased)];
      expect(x.reports).toHaveLength(n);
      expect(x.case_audit!.length).toBeGreaterThan(20);
      for (const [table] of TABLES) expect(y[table], table).toEqual(x[table]);
      // The sequences go on after the filled ids: a report stored afterwards makes the next case.
      const store = await openStore({ dataDir: setBased.dataDir, databaseUrl: setBased.databaseUrl || undefined });
      try {
        const row = await store.db.read.get("SELECT id FROM tokens WHERE name = 'benchmark'");
        const { benchReport } = await import('../bench/bench-fill');
        const r = { ...benchReport(n * 5), originalUrl: 'https://english.news.cn/bench/new.htm', originalId: 'bench-new', url: 'https://copy.example/new' };
        expect((await store.insertReport(Number(row!.id), 'after', 'h', r, '2026-12-02T00:00:00.000Z')).kind).toBe('created');
        expect(Number((await store.db.read.get("SELECT case_id FROM case_copies WHERE url = 'https://copy.example/new'"))!.case_id)).toBe(11);
      } finally {
        await store.close();
      }
    } finally {
      await viaStore.cleanup();
      await setBased.cleanup();
    }
  }, 60_000);
});
