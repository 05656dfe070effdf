/**
 * The collation centre's commands on both backends: user add/list/password/
 * disable, case list/merge/split, and their one-line mistakes.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCase } from '../../lib/report-server/cases';
import { verifyPassword, findUser } from '../../lib/report-server/users';
import { startPostgres, type PgCluster } from '../support/postgres';
import { BACKENDS, makeBackend, makeReport } from '../support/report-backends';
import { reportHash } from '../../lib/report-server/schema';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

function cli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', ...args], { env: { ...process.env, ...env } }, (e, stdout, stderr) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

describe.each(BACKENDS)('centre commands on %s', (kind) => {
  it('adds, lists, re-passwords and disables accounts; merges and splits cases with --as', async () => {
    const backend = await makeBackend(kind, cluster);
    const env: Record<string, string> = backend.databaseUrl ? { DATABASE_URL: backend.databaseUrl } : {};
    const data = ['--data', backend.dataDir];
    try {
      const added = await cli(['user', 'add', 'Wang Fang', '--role', 'reviewer', ...data], env);
      expect(added.code).toBe(0);
      const generated = added.stdout.trim();
      expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(added.stderr).toMatch(/^reviewer account Wang Fang stored in .*; its password is shown only now\n$/);
      const fromStdin = await cli(['user', 'add', 'lead', '--role', 'admin', '--password-stdin', ...data], env, 'a passphrase from stdin\nignored\n');
      expect(fromStdin.code).toBe(0);
      expect(fromStdin.stdout).toBe('');
      expect((await cli(['user', 'add', 'short', '--role', 'reviewer', '--password-stdin', ...data], env, 'short\n')).stderr).toMatch(/at least 12 characters/);
      expect((await cli(['user', 'add', 'x', '--role', 'boss', ...data], env)).code).toBe(2);
      const dup = await cli(['user', 'add', 'lead', '--role', 'reviewer', ...data], env);
      expect([dup.code, dup.stderr]).toEqual([1, expect.stringMatching(/account named lead exists already/)]);
      expect((await cli(['user', 'password', 'lead', ...data], env)).code).toBe(0);

      // Cases to merge and split, then check the passwords the commands stored.
      const store = await backend.open();
      try {
        const t = await store.createToken('reader', false, 'h-reader');
        for (const [i, original] of [[1, 'o-1'], [2, 'o-2'], [3, 'o-2']] as const) {
          const r = makeReport(i, { originalId: original, originalUrl: '' });
          await store.insertReport(t.id, `k${i}`, reportHash(r), r, new Date().toISOString());
        }
        expect(await verifyPassword(generated, (await findUser(store.db, 'Wang Fang'))!.passwordHash)).toBe(true);
        expect(await verifyPassword('a passphrase from stdin', (await findUser(store.db, 'lead'))!.passwordHash)).toBe(false);
      } finally {
        await store.close();
      }
      const listed = await cli(['case', 'list', ...data], env);
      expect(listed.stdout.split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 5))).toEqual([
        ['2', 'open', 'xinhua', 'o-2', '2 copies'],
        ['1', 'open', 'xinhua', 'o-1', '1 copies'],
      ]);
      expect((await cli(['case', 'merge', '1', '2', ...data], env)).stderr).toMatch(/needs --as NAME/);
      const notReviewer = await cli(['case', 'merge', '1', '2', '--as', 'nobody', ...data], env);
      expect([notReviewer.code, notReviewer.stderr]).toEqual([1, expect.stringMatching(/--as nobody: no live reviewer or admin account/)]);
      const merged = await cli(['case', 'merge', '1', '2', '--as', 'Wang Fang', ...data], env);
      expect([merged.code, merged.stdout]).toEqual([0, 'merged case 2 into case 1; it is open\n']);
      const again = await cli(['case', 'merge', '1', '2', '--as', 'Wang Fang', ...data], env);
      expect([again.code, again.stderr]).toEqual([1, 'report-server: case 2 was merged into case 1\n']);
      const split = await cli(['case', 'split', '1', 'https://copy.example/article/3', '--as', 'lead', ...data], env);
      expect([split.code, split.stdout]).toEqual([0, 'moved https://copy.example/article/3 out of case 1 into new case 3\n']);
      const s2 = await backend.open();
      try {
        const v = await getCase(s2.db, 1, 2);
        expect(v.copies.map((c) => c.url)).toEqual(['https://copy.example/article/1', 'https://copy.example/article/2']);
        expect(v.audit.slice(-2).map((a) => [a.actor, a.action])).toEqual([
          ['Wang Fang (command line)', 'merge'],
          ['lead (command line)', 'split'],
        ]);
      } finally {
        await s2.close();
      }

      const disabled = await cli(['user', 'disable', 'Wang Fang', ...data], env);
      expect(disabled.code).toBe(0);
      const users = await cli(['user', 'list', ...data], env);
      expect(users.stdout).toMatch(/^Wang Fang\treviewer\tcreated \S+\tdisabled \S+$/m);
      expect(users.stdout).toMatch(/^lead\tadmin\tcreated \S+$/m);
      expect(users.stdout).not.toContain(generated);
      expect((await cli(['user', 'disable', 'Wang Fang', ...data], env)).code).toBe(1);
      expect((await cli(['user', 'frobnicate', ...data], env)).stderr).toMatch(/unknown command user frobnicate/);
      expect((await cli(['--role', 'admin', ...data], env)).code).toBe(2);
    } finally {
      await backend.cleanup();
    }
  });
});
