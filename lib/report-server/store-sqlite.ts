/**
 * SQLite backend (better-sqlite3): one file DIR/reports.sqlite in WAL mode.
 * Each report is written in one IMMEDIATE transaction that first looks up its
 * (token, key) pair; a UNIQUE constraint on the pair backs the rule up.
 * synchronous=NORMAL: a commit survives a crash of the server process
 * (kill -9); after a power loss the last commits may be missing.
 *
 * Permissions: a data folder that does not exist yet is made with mode 700;
 * the database file is made (or narrowed to) mode 600 before SQLite opens it,
 * and SQLite gives its -wal and -shm files the database file's mode. A folder
 * that exists is left as it is (it may be shared, e.g. /var/lib); the files in
 * it are what hold the reports and the token hashes.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { migrateCentre } from './centre-schema';
import { reportInserter } from './insert-report';
import { sqliteDb } from './sql';
import { filterSql, LIST_SQL_HEAD, rowToReport, UNIT_COLUMN, type ReportFilter, type ReportStore, type Token } from './store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  admin INTEGER NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY,
  token_id INTEGER NOT NULL REFERENCES tokens(id),
  idem_key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'rejected')),
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  platform TEXT NOT NULL,
  created_at TEXT NOT NULL,
  category TEXT NOT NULL,
  note TEXT NOT NULL,
  verdict TEXT NOT NULL,
  outlet TEXT NOT NULL,
  original_id TEXT NOT NULL,
  original_url TEXT NOT NULL,
  score REAL NOT NULL,
  passages TEXT NOT NULL,
  unit_data TEXT,
  UNIQUE (token_id, idem_key)
);
CREATE INDEX IF NOT EXISTS reports_status ON reports (status);
CREATE INDEX IF NOT EXISTS reports_received ON reports (received_at);
`;

export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'reports.sqlite');
}

/** Creates the file with mode 600, or narrows an existing one to 600 (files of an older version were 644). */
function ownerOnly(path: string, create: boolean) {
  if (create) closeSync(openSync(path, 'a', 0o600));
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // not there: nothing to narrow
  }
  if (mode & 0o077) chmodSync(path, mode & 0o700);
}

export async function openSqliteStore(dataDir: string): Promise<ReportStore> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = sqlitePath(dataDir);
  ownerOnly(path, true);
  for (const extra of ['-wal', '-shm', '-journal']) ownerOnly(path + extra, false);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  // Added after the first release: revocation.
  if (!(db.prepare('PRAGMA table_info(tokens)').all() as Array<{ name: string }>).some((c) => c.name === 'revoked_at'))
    db.exec('ALTER TABLE tokens ADD COLUMN revoked_at TEXT');
  // Added after the first release: the platform fields of a report.
  if (!(db.prepare('PRAGMA table_info(reports)').all() as Array<{ name: string }>).some((c) => c.name === UNIT_COLUMN))
    db.exec(`ALTER TABLE reports ADD COLUMN ${UNIT_COLUMN} TEXT`);
  const sdb = sqliteDb(db);
  // The collation centre (schema version 2): its tables, and cases for the reports of an older database;
  // version 3: the word search's FTS5 tables (better-sqlite3's SQLite always has FTS5 and its trigram tokenizer).
  try {
    await sdb.tx((sql) => migrateCentre(sql, 'sqlite'));
    sdb.wordIndex = { kind: 'fts5' };
  } catch (e) {
    db.close();
    throw e;
  }

  const insert = reportInserter(sdb);
  const findToken = db.prepare<[string], { id: number; name: string; admin: number }>('SELECT id, name, admin FROM tokens WHERE hash = ? AND revoked_at IS NULL');
  const listTokens = db.prepare<[], { id: number; name: string; admin: number; created_at: string; revoked_at: string | null }>(
    'SELECT id, name, admin, created_at, revoked_at FROM tokens ORDER BY id',
  );
  const revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL');
  const addToken = db.prepare('INSERT INTO tokens (name, admin, hash, created_at) VALUES (?, ?, ?, ?)');
  const setStatus = db.prepare('UPDATE reports SET status = ? WHERE id = ?');

  return {
    kind: 'sqlite',
    db: sdb,
    async createToken(name, admin, hash): Promise<Token> {
      const info = await sdb.tx(async () => addToken.run(name, admin ? 1 : 0, hash, new Date().toISOString()));
      return { id: Number(info.lastInsertRowid), name, admin };
    },
    async findToken(hash) {
      const row = findToken.get(hash);
      return row && { id: row.id, name: row.name, admin: row.admin === 1 };
    },
    async listTokens() {
      return listTokens.all().map((r) => ({ id: r.id, name: r.name, admin: r.admin === 1, createdAt: r.created_at, ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}) }));
    },
    async revokeTokens(name, at) {
      return sdb.tx(async () => revoke.run(at, name).changes);
    },
    async insertReport(tokenId, key, bodyHash, report, receivedAt) {
      return insert(tokenId, key, bodyHash, report, receivedAt);
    },
    async listReports(filter: ReportFilter) {
      const { where, values } = filterSql(filter, () => '?');
      const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
      const rows = db.prepare(`${LIST_SQL_HEAD} ${where} ORDER BY r.id${limit}`).all(...values) as Record<string, unknown>[];
      return rows.map(rowToReport);
    },
    async setStatus(id, status) {
      return sdb.tx(async () => setStatus.run(status, id).changes > 0);
    },
    async close() {
      await sdb.tx(async () => {}); // waits for transactions in progress
      db.close();
    },
  };
}
