/**
 * Large lists: the admin list answers a page at a time, and the CSV and JSON
 * downloads stream every report (read from the database in pages), on both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash, reportHash } from '../../lib/report-server/schema';
import { startReportServer } from '../../lib/report-server/server';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, request } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe.each(BACKENDS)('paging on %s', (kind) => {
  it('pages the list and streams whole exports past the page size', async () => {
    const backend = await makeBackend(kind, cluster);
    const store = await backend.open();
    const admin = await addToken(store, 'admin', true);
    const reporter = await store.createToken('reader', false, tokenHash('reader-token-xyz'));
    const N = 2345;
    for (let i = 0; i < N; i++) {
      const r = makeReport(i);
      await store.insertReport(reporter.id, `k${i}`, reportHash(r), r, new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString());
    }
    const server = await startReportServer({ store, ratePerMinute: 0 });
    try {
      const first = await request(server.origin, '/api/reports?limit=1000', admin);
      expect(first.body.reports).toHaveLength(1000);
      expect(first.body.next).toBe(first.body.reports[999].id);
      let seen = first.body.reports.length;
      let next = first.body.next;
      while (next !== undefined) {
        const page = await request(server.origin, `/api/reports?limit=1000&after=${next}`, admin);
        seen += page.body.reports.length;
        next = page.body.next;
      }
      expect(seen).toBe(N);
      expect((await request(server.origin, '/api/reports?limit=0', admin)).status).toBe(400);
      const csv = await request(server.origin, '/api/reports?format=csv', admin);
      expect((csv.body as string).trim().split('\r\n')).toHaveLength(N + 1);
      const all = await request(server.origin, '/api/reports?download=1', admin);
      const ids = (all.body.reports as Array<{ id: number }>).map((r) => r.id);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
    } finally {
      await server.close();
      await store.close();
      await backend.cleanup();
    }
  }, 120_000);
});
