/**
 * Token administration: list and revoke, on both backends, through the store
 * and the command line; a revoked token is refused and its reports stay.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportServer } from '../../lib/report-server/server';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, post, request } from '../support/report-backends';

const run = promisify(execFile);
let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe.each(BACKENDS)('tokens on %s', (kind) => {
  it('a revoked token is refused; its reports stay; list shows both states', async () => {
    const backend = await makeBackend(kind, cluster);
    const store = await backend.open();
    const reader = await addToken(store, 'reader-1');
    const admin = await addToken(store, 'analyst', true);
    const server = await startReportServer({ store, ratePerMinute: 0, tokenCacheMs: 0 });
    try {
      expect((await post(server.origin, reader, 'k1', makeReport(1))).status).toBe(201);
      expect(await store.revokeTokens('reader-1', '2026-11-25T00:00:00.000Z')).toBe(1);
      expect(await store.revokeTokens('reader-1', '2026-11-25T00:00:00.000Z')).toBe(0);
      const refused = await post(server.origin, reader, 'k2', makeReport(2));
      expect(refused.status).toBe(401);
      const list = await request(server.origin, '/api/reports', admin);
      expect((list.body as { reports: unknown[] }).reports).toHaveLength(1);
      const tokens = await store.listTokens();
      expect(tokens.map((t) => [t.name, t.admin, !!t.revokedAt])).toEqual([
        ['reader-1', false, true],
        ['analyst', true, false],
      ]);
    } finally {
      await server.close();
      await store.close();
    }
    // The command line, on the same data.
    const env: Record<string, string> = backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {};
    const listed = await cli(['token', 'list', '--data', backend.dataDir], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^reader-1\treporter\tcreated \S+\trevoked 2026-11-25T00:00:00.000Z$/m);
    expect(listed.stdout).toMatch(/^analyst\tadmin\tcreated \S+$/m);
    expect(listed.stdout).not.toContain(admin);
    const revoked = await cli(['token', 'revoke', 'analyst', '--data', backend.dataDir], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('revoked 1 token of analyst\n');
    const none = await cli(['token', 'revoke', 'nobody', '--data', backend.dataDir], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no live token named nobody/);
    await backend.cleanup();
  });
});
