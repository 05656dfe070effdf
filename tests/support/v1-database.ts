/**
 * A report-server database as the version before the collation centre made
 * it (schema version 1: tokens, with revocation, and reports), for the
 * migration tests: the DDL exactly as that version ran it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { sqlitePath } from '../../lib/report-server/store-sqlite';
import { REPORT_COLUMNS, reportValues, UNIT_COLUMN } from '../../lib/report-server/store';
import type { ReportInput } from '../../lib/report-server/schema';

export const V1_SQLITE = `
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
  UNIQUE (token_id, idem_key)
);
CREATE INDEX IF NOT EXISTS reports_status ON reports (status);
CREATE INDEX IF NOT EXISTS reports_received ON reports (received_at);
`;

export const V1_POSTGRES = `
CREATE TABLE IF NOT EXISTS tokens (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  admin BOOLEAN NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_id BIGINT NOT NULL REFERENCES tokens(id),
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
  score DOUBLE PRECISION NOT NULL,
  passages TEXT NOT NULL,
  UNIQUE (token_id, idem_key)
);
CREATE INDEX IF NOT EXISTS reports_status ON reports (status);
CREATE INDEX IF NOT EXISTS reports_received ON reports (received_at);
`;

export interface OldReport {
  token: string;
  key: string;
  receivedAt: string;
  report: ReportInput;
}

/** The report columns a version-1 database had (the platform fields' column came later). */
const V1_COLUMNS = REPORT_COLUMNS.filter(([, c]) => c !== UNIT_COLUMN);
const v1Values = (r: ReportInput) => reportValues(r).filter((_, i) => REPORT_COLUMNS[i]![1] !== UNIT_COLUMN);
const COLUMNS = `token_id, idem_key, body_hash, received_at, ${V1_COLUMNS.map(([, c]) => c).join(', ')}`;

/** Writes a version-1 database with these tokens (name → admin) and reports. */
export async function writeV1Database(kind: 'sqlite' | 'postgres', where: { dataDir: string; databaseUrl: string }, tokens: Array<[string, boolean, string]>, reports: OldReport[]) {
  const tokenIds = new Map<string, number>();
  if (kind === 'sqlite') {
    mkdirSync(where.dataDir, { recursive: true });
    const db = new Database(sqlitePath(where.dataDir));
    db.exec(V1_SQLITE);
    db.exec('ALTER TABLE tokens ADD COLUMN revoked_at TEXT');
    for (const [name, admin, hash] of tokens) tokenIds.set(name, Number(db.prepare('INSERT INTO tokens (name, admin, hash, created_at) VALUES (?, ?, ?, ?)').run(name, admin ? 1 : 0, hash, '2026-11-01T00:00:00.000Z').lastInsertRowid));
    const ins = db.prepare(`INSERT INTO reports (${COLUMNS}) VALUES (${Array(4 + V1_COLUMNS.length).fill('?').join(', ')})`);
    for (const r of reports) ins.run(tokenIds.get(r.token), r.key, `hash-${r.key}`, r.receivedAt, ...v1Values(r.report));
    db.close();
    return;
  }
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: where.databaseUrl });
  await c.connect();
  try {
    await c.query(V1_POSTGRES);
    await c.query('ALTER TABLE tokens ADD COLUMN IF NOT EXISTS revoked_at TEXT');
    for (const [name, admin, hash] of tokens)
      tokenIds.set(name, Number((await c.query('INSERT INTO tokens (name, admin, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [name, admin, hash, '2026-11-01T00:00:00.000Z'])).rows[0].id));
    for (const r of reports)
      await c.query(`INSERT INTO reports (${COLUMNS}) VALUES (${Array.from({ length: 4 + V1_COLUMNS.length }, (_, i) => `$${i + 1}`).join(', ')})`, [
        tokenIds.get(r.token),
        r.key,
        `hash-${r.key}`,
        r.receivedAt,
        ...v1Values(r.report),
      ]);
  } finally {
    await c.end();
  }
}
