/**
 * The collation centre's tables (schema version 2), added to a database of
 * either backend when it is opened: reviewer accounts and their sessions,
 * cases with their originals, copies, reports, notes, confirmations and
 * audit log. A database made before (version 1: tokens and reports only)
 * keeps every report and token; its reports are grouped into cases once, in
 * id order, exactly as they would have been on arrival (cases.ts).
 */
import { assignCase, type CaseReport } from './cases';
import type { Db, Sql } from './sql';

export const SCHEMA_VERSION = 2;

function ddl(kind: 'sqlite' | 'postgres'): string {
  const id = kind === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const ref = kind === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id ${id},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('reporter', 'reviewer', 'admin')),
  password_hash TEXT,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  hash TEXT PRIMARY KEY,
  user_id ${ref} NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
  id ${id},
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
  outlet TEXT NOT NULL,
  original_id TEXT NOT NULL,
  original_url TEXT NOT NULL,
  title TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  merged_into ${ref} REFERENCES cases(id)
);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, id);
CREATE INDEX IF NOT EXISTS cases_first_seen ON cases (first_seen);
CREATE INDEX IF NOT EXISTS cases_outlet ON cases (outlet, status, id);
CREATE TABLE IF NOT EXISTS case_originals (
  key TEXT PRIMARY KEY,
  case_id ${ref} NOT NULL REFERENCES cases(id)
);
CREATE INDEX IF NOT EXISTS case_originals_case ON case_originals (case_id);
CREATE TABLE IF NOT EXISTS case_copies (
  url TEXT PRIMARY KEY,
  case_id ${ref} NOT NULL REFERENCES cases(id),
  platform TEXT NOT NULL,
  account_name TEXT,
  account_url TEXT,
  first_seen TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_copies_case ON case_copies (case_id);
CREATE INDEX IF NOT EXISTS case_copies_platform ON case_copies (platform, case_id);
CREATE INDEX IF NOT EXISTS case_copies_account ON case_copies (account_name, case_id);
CREATE TABLE IF NOT EXISTS case_reports (
  report_id ${ref} PRIMARY KEY REFERENCES reports(id),
  copy_url TEXT NOT NULL REFERENCES case_copies(url)
);
CREATE INDEX IF NOT EXISTS case_reports_copy ON case_reports (copy_url);
CREATE TABLE IF NOT EXISTS case_notes (
  id ${id},
  case_id ${ref} NOT NULL REFERENCES cases(id),
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_notes_case ON case_notes (case_id, id);
CREATE TABLE IF NOT EXISTS case_confirmations (
  case_id ${ref} NOT NULL REFERENCES cases(id),
  reviewer TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (case_id, reviewer)
);
CREATE TABLE IF NOT EXISTS case_audit (
  id ${id},
  case_id ${ref} NOT NULL REFERENCES cases(id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_audit_case ON case_audit (case_id, id);
`;
}

/** The statements of the DDL one by one (better-sqlite3's exec takes them all; pg too, but one by one keeps errors clear). */
export function centreDdl(kind: 'sqlite' | 'postgres'): string[] {
  return ddl(kind)
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The schema version recorded in the database (1: made before the centre). */
export async function schemaVersion(sql: Sql): Promise<number> {
  const row = await sql.get("SELECT value FROM meta WHERE key = 'schema'");
  return row ? Number(row.value) : 1;
}

/**
 * Brings the database to SCHEMA_VERSION inside the caller's transaction
 * (which, for PostgreSQL, holds the schema lock): creates the centre's tables
 * and groups every report that has no case yet, in id order.
 */
export async function migrateCentre(sql: Sql, kind: 'sqlite' | 'postgres'): Promise<{ from: number; grouped: number }> {
  for (const s of centreDdl(kind)) await sql.run(s);
  const from = await schemaVersion(sql);
  let grouped = 0;
  if (from < 2) {
    let after = 0;
    for (;;) {
      const rows = await sql.all(
        `SELECT r.id, r.url, r.title, r.platform, r.created_at, r.outlet, r.original_id, r.original_url, r.received_at FROM reports r
         WHERE r.id > ? AND NOT EXISTS (SELECT 1 FROM case_reports cr WHERE cr.report_id = r.id) ORDER BY r.id LIMIT 1000`,
        [after],
      );
      for (const r of rows) {
        const report: CaseReport = {
          url: String(r.url),
          title: String(r.title),
          platform: String(r.platform),
          createdAt: String(r.created_at),
          outlet: String(r.outlet),
          originalId: String(r.original_id),
          originalUrl: String(r.original_url),
        };
        await assignCase(sql, Number(r.id), report, String(r.received_at), 'migration');
        grouped++;
      }
      if (rows.length < 1000) break;
      after = Number(rows[rows.length - 1]!.id);
    }
    await sql.run("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(SCHEMA_VERSION)]);
  }
  return { from, grouped };
}
