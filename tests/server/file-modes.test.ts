/**
 * The report server's SQLite data is readable by its own user only: a data
 * folder it makes is 700, the database and its WAL and shared-memory files are
 * 600 (also when an older version left them 644), through the store and
 * through the command line.
 */
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenHash } from '../../lib/report-server/schema';
import { openSqliteStore, sqlitePath } from '../../lib/report-server/store-sqlite';
import { makeReport } from '../support/report-backends';

const run = promisify(execFile);
const mode = (path: string) => statSync(path).mode & 0o777;
const roots: string[] = [];
const tempRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'report-modes-'));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('report server file modes', () => {
  it('makes the data folder 700 and the database, WAL and shared-memory files 600, whatever the umask', async () => {
    const dataDir = join(tempRoot(), 'nested', 'report-data');
    const old = process.umask(0o000); // the most permissive umask: the modes must come from the store itself
    let store;
    try {
      store = await openSqliteStore(dataDir);
      const token = await store.createToken('reader', false, tokenHash('t'));
      await store.insertReport(token.id, 'k', 'h', makeReport(1), new Date().toISOString());
      const db = sqlitePath(dataDir);
      for (const f of [db, `${db}-wal`, `${db}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(mode(f).toString(8), f).toBe('600');
      }
      expect(mode(dataDir).toString(8)).toBe('700');
      expect(mode(join(dataDir, '..')).toString(8)).toBe('700'); // every folder it had to make
    } finally {
      process.umask(old);
      await store?.close();
    }
  });

  it('narrows files an older version left readable to others, and leaves an existing folder as it is', async () => {
    const dataDir = join(tempRoot(), 'shared');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await openSqliteStore(dataDir);
    await first.createToken('reader', false, tokenHash('t'));
    await first.close();
    const db = sqlitePath(dataDir);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) {
      if (!existsSync(f)) closeSync(openSync(f, 'a'));
      chmodSync(f, 0o644);
    }
    const again = await openSqliteStore(dataDir);
    try {
      expect(await again.findToken(tokenHash('t'))).toMatchObject({ name: 'reader' });
      for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(mode(f).toString(8), f).toBe('600');
      expect(mode(dataDir).toString(8)).toBe('755');
    } finally {
      await again.close();
    }
  });

  it('the command line makes them so too', async () => {
    const dataDir = join(tempRoot(), 'cli-data');
    const r = await run(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', 'token', 'create', 'someone', '--data', dataDir]);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(sqlitePath(dataDir)).toString(8)).toBe('600');
  });
});
