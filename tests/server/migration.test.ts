/**
 * Upgrading a database made by the version before the collation centre, on
 * both backends: every report and token keeps working, the reports are
 * grouped into cases once (as they would have been on arrival), and opening
 * it again changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary, CaseView } from '../../lib/report-server/cases';
import { SCHEMA_VERSION, schemaVersion } from '../../lib/report-server/centre-schema';
import { tokenHash } from '../../lib/report-server/schema';
import { startReportServer } from '../../lib/report-server/server';
import { startPostgres, type PgCluster } from '../support/postgres';
import { BACKENDS, makeBackend, makeReport, post, request } from '../support/report-backends';
import { writeV1Database } from '../support/v1-database';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe.each(BACKENDS)('migration on %s', (kind) => {
  it('keeps an old database’s reports and tokens, and gives its reports cases', async () => {
    const backend = await makeBackend(kind, cluster);
    const O = 'https://www.globaltimes.cn/page/202611/1.shtml';
    await writeV1Database(kind, backend, [
      ['old reader', false, tokenHash('old-reader-token')],
      ['old admin', true, tokenHash('old-admin-token')],
    ], [
      { token: 'old reader', key: 'a', receivedAt: '2026-11-02T00:00:00.000Z', report: makeReport(1, { outlet: 'globaltimes', originalId: '', originalUrl: O }) },
      { token: 'old reader', key: 'b', receivedAt: '2026-11-03T00:00:00.000Z', report: makeReport(2, { outlet: 'globaltimes', originalId: '', originalUrl: O, platform: 'weibo' }) },
      { token: 'old admin', key: 'c', receivedAt: '2026-11-04T00:00:00.000Z', report: makeReport(1, { outlet: 'globaltimes', originalId: '', originalUrl: '', note: 'same page again' }) },
      { token: 'old reader', key: 'd', receivedAt: '2026-11-05T00:00:00.000Z', report: makeReport(3, { outlet: 'cgtn', originalId: 'cg-3' }) },
    ]);
    let store = await backend.open();
    try {
      expect(await schemaVersion(store.db.read)).toBe(SCHEMA_VERSION);
      const server = await startReportServer({ store, ratePerMinute: 0 });
      try {
        const reports = (await request(server.origin, '/api/reports', 'old-admin-token')).body.reports;
        expect(reports.map((r: { reporter: string; url: string }) => [r.reporter, r.url])).toEqual([
          ['old reader', 'https://copy.example/article/1'],
          ['old reader', 'https://copy.example/article/2'],
          ['old admin', 'https://copy.example/article/1'],
          ['old reader', 'https://copy.example/article/3'],
        ]);
        const cases = (await request(server.origin, '/api/cases', 'old-admin-token')).body.cases as CaseSummary[];
        expect(cases.map((c) => [c.outlet, c.copies, c.reports, c.lastReport])).toEqual([
          ['cgtn', 1, 1, '2026-11-05T00:00:00.000Z'],
          ['globaltimes', 2, 3, '2026-11-04T00:00:00.000Z'],
        ]);
        const v = (await request(server.origin, `/api/cases/${cases[1]!.id}`, 'old-admin-token')).body as CaseView;
        expect(v.audit.map((a) => [a.actor, a.action, a.at])).toEqual([
          ['migration', 'created', '2026-11-02T00:00:00.000Z'],
          ['migration', 'copy-added', '2026-11-02T00:00:00.000Z'],
          ['migration', 'copy-added', '2026-11-03T00:00:00.000Z'],
        ]);
        // The old reporter token still posts; the new report joins the old case.
        expect((await post(server.origin, 'old-reader-token', 'e', makeReport(4, { outlet: 'globaltimes', originalId: '', originalUrl: O }))).status).toBe(201);
        expect((await post(server.origin, 'old-reader-token', 'a', makeReport(1, { outlet: 'globaltimes', originalId: '', originalUrl: O }))).status).toBe(422);
        const after = (await request(server.origin, '/api/cases', 'old-admin-token')).body.cases as CaseSummary[];
        expect(after.map((c) => [c.id, c.copies])).toEqual([
          [cases[0]!.id, 1],
          [cases[1]!.id, 3],
        ]);
      } finally {
        await server.close();
      }
    } finally {
      await store.close();
    }
    // Opening again groups nothing twice.
    store = await backend.open();
    try {
      const server = await startReportServer({ store, ratePerMinute: 0 });
      try {
        const cases = (await request(server.origin, '/api/cases', 'old-admin-token')).body.cases as CaseSummary[];
        expect(cases.map((c) => [c.copies, c.reports])).toEqual([
          [1, 1],
          [3, 4],
        ]);
      } finally {
        await server.close();
      }
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
