/**
 * The collation centre's tables (schema version 2), added to a database of
 * either backend when it is opened: reviewer accounts and their sessions,
 * cases with their originals, copies, reports, notes, confirmations and
 * audit log. A database made before (version 1: tokens and reports only)
 * keeps every report and token; its reports are grouped into cases once, in
 * id order, exactly as they would have been on arrival (cases.ts).
 *
 * Schema version 3: the index of the inbox's search by words (cases.ts,
 * listCases). SQLite: two FTS5 tables with the trigram tokenizer, one row per
 * case (title, original address, original id; rowid = the case's id) and one
 * per copy (its address), kept in step with `cases` and `case_copies` by
 * triggers and filled once from the rows a version-2 database holds.
 * PostgreSQL: pg_trgm GIN indexes on the same four lower-cased columns,
 * created when the database is opened without them (postgresWordIndex); when
 * the extension cannot be created the search scans as before, with a log line.
 */
import { assignCase, type CaseReport } from './cases';
import type { Db, Sql, WordIndex } from './sql';

export const SCHEMA_VERSION = 3;

/** SQLite's word tables and their triggers (statements with BEGIN … END: not split on ';'). */
const SQLITE_WORDS = [
  "CREATE VIRTUAL TABLE IF NOT EXISTS case_words USING fts5(title, original_url, original_id, tokenize = 'trigram')",
  "CREATE VIRTUAL TABLE IF NOT EXISTS copy_words USING fts5(url, tokenize = 'trigram')",
  `CREATE TRIGGER IF NOT EXISTS case_words_insert AFTER INSERT ON cases BEGIN
     INSERT INTO case_words (rowid, title, original_url, original_id) VALUES (new.id, new.title, new.original_url, new.original_id); END`,
  `CREATE TRIGGER IF NOT EXISTS case_words_update AFTER UPDATE OF id, title, original_url, original_id ON cases BEGIN
     DELETE FROM case_words WHERE rowid = old.id;
     INSERT INTO case_words (rowid, title, original_url, original_id) VALUES (new.id, new.title, new.original_url, new.original_id); END`,
  'CREATE TRIGGER IF NOT EXISTS case_words_delete AFTER DELETE ON cases BEGIN DELETE FROM case_words WHERE rowid = old.id; END',
  // A copy's row is found again by its address (through the index: a phrase of the whole address), not by
  // case_copies' implicit rowid, which VACUUM may renumber.
  'CREATE TRIGGER IF NOT EXISTS copy_words_insert AFTER INSERT ON case_copies BEGIN INSERT INTO copy_words (url) VALUES (new.url); END',
  `CREATE TRIGGER IF NOT EXISTS copy_words_update AFTER UPDATE OF url ON case_copies BEGIN
     DELETE FROM copy_words WHERE rowid IN (SELECT rowid FROM copy_words WHERE copy_words MATCH '"' || replace(old.url, '"', '""') || '"') AND url = old.url;
     INSERT INTO copy_words (url) VALUES (new.url); END`,
  `CREATE TRIGGER IF NOT EXISTS copy_words_delete AFTER DELETE ON case_copies BEGIN
     DELETE FROM copy_words WHERE rowid IN (SELECT rowid FROM copy_words WHERE copy_words MATCH '"' || replace(old.url, '"', '""') || '"') AND url = old.url; END`,
];

/** PostgreSQL's trigram indexes, one per searched column (the expressions the search's LIKEs use). */
const TRIGRAM_INDEXES: Array<[string, string, string]> = [
  ['cases_title_trgm', 'cases', 'LOWER(title)'],
  ['cases_original_url_trgm', 'cases', 'LOWER(original_url)'],
  ['cases_original_id_trgm', 'cases', 'LOWER(original_id)'],
  ['case_copies_url_trgm', 'case_copies', 'LOWER(url)'],
];

/**
 * PostgreSQL: makes sure the trigram indexes exist (inside the caller's schema-locked transaction, in a
 * savepoint, so that a failure leaves the rest of the opening intact) and says which index the search
 * has. Building them at 1M reports takes seconds, once; writes wait for it.
 */
export async function postgresWordIndex(sql: Sql, log: (line: string) => void): Promise<WordIndex> {
  const names = TRIGRAM_INDEXES.map(([n]) => n);
  const have = Number(
    (await sql.get(`SELECT COUNT(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (${names.map(() => '?').join(', ')})`, names))!.n,
  );
  await sql.run('SAVEPOINT word_index');
  try {
    if (have < names.length) {
      await sql.run('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      for (const [name, table, expr] of TRIGRAM_INDEXES) await sql.run(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} USING gin (${expr} gin_trgm_ops)`);
    }
    // In the C locale pg_trgm takes only ASCII letters and digits for words: Chinese gives no trigram.
    const probe = await sql.get("SELECT array_length(show_trgm('新华社'), 1) AS n");
    await sql.run('RELEASE SAVEPOINT word_index');
    return { kind: 'pg_trgm', unicode: Number(probe?.n ?? 0) > 0 };
  } catch (e) {
    await sql.run('ROLLBACK TO SAVEPOINT word_index');
    log(
      `report-server: search by words without an index: the pg_trgm extension or its indexes could not be created or used (${(e as Error).message}); searches by words scan the cases as before`,
    );
    return null;
  }
}

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
  }
  if (from < 3 && kind === 'sqlite') {
    // After the grouping above (the triggers would have filled the tables as it went; this fills them once).
    for (const s of SQLITE_WORDS) await sql.run(s);
    await sql.run('INSERT INTO case_words (rowid, title, original_url, original_id) SELECT id, title, original_url, original_id FROM cases');
    await sql.run('INSERT INTO copy_words (url) SELECT url FROM case_copies');
  }
  if (from < SCHEMA_VERSION)
    await sql.run("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(SCHEMA_VERSION)]);
  return { from, grouped };
}
