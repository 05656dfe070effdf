/**
 * Stores a report once per (token, key) and puts it into its case, in one
 * transaction, on either backend. INSERT … ON CONFLICT (token_id, idem_key)
 * DO NOTHING: on PostgreSQL a concurrent insert with the same pair waits for
 * the first to commit and then inserts nothing, so the follow-up SELECT sees
 * the winner's row; on SQLite transactions run one at a time anyway.
 */
import { assignCase } from './cases';
import type { ReportInput, Status } from './schema';
import type { Db, Sql } from './sql';
import { REPORT_COLUMNS, reportValues, type InsertResult } from './store';

const INSERT_SQL = `INSERT INTO reports (token_id, idem_key, body_hash, received_at, ${REPORT_COLUMNS.map(([, c]) => c).join(', ')})
  VALUES (${Array(4 + REPORT_COLUMNS.length).fill('?').join(', ')})
  ON CONFLICT (token_id, idem_key) DO NOTHING
  RETURNING id, status`;

/** One report, inside the caller's transaction. */
async function insertOne(sql: Sql, tokenId: number, key: string, bodyHash: string, report: ReportInput, receivedAt: string): Promise<InsertResult> {
  const ins = await sql.get(INSERT_SQL, [tokenId, key, bodyHash, receivedAt, ...reportValues(report)]);
  if (ins) {
    await assignCase(sql, Number(ins.id), report, receivedAt);
    return { kind: 'created', id: Number(ins.id), status: ins.status as Status };
  }
  const row = await sql.get('SELECT id, status, body_hash FROM reports WHERE token_id = ? AND idem_key = ?', [tokenId, key]);
  if (!row) throw new Error(`report (${tokenId}, ${key}) conflicted but cannot be read`);
  return row.body_hash === bodyHash ? { kind: 'replayed', id: Number(row.id), status: row.status as Status } : { kind: 'conflict' };
}

export type InsertReport = (tokenId: number, key: string, bodyHash: string, report: ReportInput, receivedAt: string) => Promise<InsertResult>;

/**
 * PostgreSQL: one transaction per report (connections work in parallel).
 * SQLite: one writer, and a commit costs about as much as the report's own
 * statements, so the reports whose requests finish in the same turn of the
 * event loop (or while a transaction waits) are written together in one, each in a savepoint of its own (one report's
 * failure does not touch the others); each answer waits for the commit.
 */
export function reportInserter(db: Db): InsertReport {
  if (db.kind === 'postgres') return (...args) => db.tx((sql) => insertOne(sql, ...args));
  type Item = { args: Parameters<InsertReport>; resolve: (r: InsertResult) => void; reject: (e: unknown) => void };
  let pending: Item[] = [];
  let scheduled = false;
  const flush = () => {
    let batch: Item[] = [];
    const outcomes: Array<() => void> = [];
    db.tx(async (sql) => {
      scheduled = false;
      batch = pending;
      pending = [];
      for (const item of batch) {
        await sql.run('SAVEPOINT report');
        try {
          const out = await insertOne(sql, ...item.args);
          await sql.run('RELEASE report');
          outcomes.push(() => item.resolve(out));
        } catch (e) {
          await sql.run('ROLLBACK TO report');
          await sql.run('RELEASE report');
          outcomes.push(() => item.reject(e));
        }
      }
    }).then(
      () => outcomes.forEach((f) => f()),
      (e) => batch.forEach((item) => item.reject(e)), // the commit failed: no report of the batch is stored
    );
  };
  return (...args) =>
    new Promise<InsertResult>((resolve, reject) => {
      pending.push({ args, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // After this turn's I/O: the reports whose requests finished in the same turn share a commit.
        setImmediate(flush);
      }
    });
}
