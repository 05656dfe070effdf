/**
 * PostgreSQL backend (pg), used when DATABASE_URL is set. A report is written
 * by INSERT … ON CONFLICT (token_id, idem_key) DO NOTHING and grouped into its
 * case in the same transaction (insert-report.ts, cases.ts): a concurrent
 * insert with the same pair waits for the first to commit and then inserts
 * nothing, so the follow-up SELECT sees the winner's row.
 */
import pg from 'pg';
import { migrateCentre, postgresWordIndex } from './centre-schema';
import { reportInserter } from './insert-report';
import { postgresClientSql, postgresDb, type WordIndex } from './sql';
import { filterSql, LIST_SQL_HEAD, rowToReport, UNIT_COLUMN, type ReportStore, type Token } from './store';

const SCHEMA = `
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
  unit_data TEXT,
  UNIQUE (token_id, idem_key)
);
CREATE INDEX IF NOT EXISTS reports_status ON reports (status);
CREATE INDEX IF NOT EXISTS reports_received ON reports (received_at);
`;
/** Serialises schema creation between processes starting at once. */
const SCHEMA_LOCK = 610_006;

export async function openPostgresStore(connectionString: string, poolSize = 10): Promise<ReportStore> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  pool.on('error', (e) => process.stderr.write(`report-server: idle database connection failed: ${e.message}\n`));
  const client = await pool.connect();
  let wordIndex: WordIndex;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
    // Added after the first release: revocation.
    await client.query('ALTER TABLE tokens ADD COLUMN IF NOT EXISTS revoked_at TEXT');
    // Added after the first release: the platform fields of a report.
    await client.query(`ALTER TABLE reports ADD COLUMN IF NOT EXISTS ${UNIT_COLUMN} TEXT`);
    // The collation centre (schema version 2): its tables, and cases for the reports of an older database.
    await migrateCentre(postgresClientSql(client), 'postgres');
    // Version 3: the word search's trigram indexes, when pg_trgm can be had (else a scan, said once here).
    wordIndex = await postgresWordIndex(postgresClientSql(client), (line) => process.stderr.write(`${line}\n`));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    await pool.end();
    throw e;
  }
  client.release();

  const db = postgresDb(pool);
  db.wordIndex = wordIndex;
  const insert = reportInserter(db);
  return {
    kind: 'postgres',
    db,
    async createToken(name, admin, hash): Promise<Token> {
      const r = await pool.query('INSERT INTO tokens (name, admin, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [name, admin, hash, new Date().toISOString()]);
      return { id: Number(r.rows[0].id), name, admin };
    },
    async findToken(hash) {
      const r = await pool.query('SELECT id, name, admin FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [hash]);
      const row = r.rows[0];
      return row && { id: Number(row.id), name: row.name, admin: row.admin };
    },
    async listTokens() {
      const r = await pool.query('SELECT id, name, admin, created_at, revoked_at FROM tokens ORDER BY id');
      return r.rows.map((x) => ({ id: Number(x.id), name: x.name, admin: x.admin, createdAt: x.created_at, ...(x.revoked_at ? { revokedAt: x.revoked_at } : {}) }));
    },
    async revokeTokens(name, at) {
      const r = await pool.query('UPDATE tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [at, name]);
      return r.rowCount ?? 0;
    },
    async insertReport(tokenId, key, bodyHash, report, receivedAt) {
      return insert(tokenId, key, bodyHash, report, receivedAt);
    },
    async listReports(filter) {
      const { where, values } = filterSql(filter, (i) => `$${i}`);
      const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
      const r = await pool.query(`${LIST_SQL_HEAD} ${where} ORDER BY r.id${limit}`, values);
      return r.rows.map(rowToReport);
    },
    async setStatus(id, status) {
      const r = await pool.query('UPDATE reports SET status = $1 WHERE id = $2', [status, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async close() {
      await pool.end();
    },
  };
}
