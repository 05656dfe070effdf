/**
 * Stores a report once per (token, key) and puts it into its case, in one
 * transaction, on either backend. INSERT … ON CONFLICT (token_id, idem_key)
 * DO NOTHING: on PostgreSQL a concurrent insert with the same pair waits for
 * the first to commit and then inserts nothing, so the follow-up SELECT sees
 * the winner's row; on SQLite transactions run one at a time anyway.
 */
import { assignCase } from './cases';
import type { ReportInput, Status } from './schema';
import type { Db } from './sql';
import { REPORT_COLUMNS, reportValues, type InsertResult } from './store';

const INSERT_SQL = `INSERT INTO reports (token_id, idem_key, body_hash, received_at, ${REPORT_COLUMNS.map(([, c]) => c).join(', ')})
  VALUES (${Array(4 + REPORT_COLUMNS.length).fill('?').join(', ')})
  ON CONFLICT (token_id, idem_key) DO NOTHING
  RETURNING id, status`;

export function insertReport(db: Db, tokenId: number, key: string, bodyHash: string, report: ReportInput, receivedAt: string): Promise<InsertResult> {
  return db.tx(async (sql) => {
    const ins = await sql.get(INSERT_SQL, [tokenId, key, bodyHash, receivedAt, ...reportValues(report)]);
    if (ins) {
      await assignCase(sql, Number(ins.id), report, receivedAt);
      return { kind: 'created', id: Number(ins.id), status: ins.status as Status };
    }
    const row = await sql.get('SELECT id, status, body_hash FROM reports WHERE token_id = ? AND idem_key = ?', [tokenId, key]);
    if (!row) throw new Error(`report (${tokenId}, ${key}) conflicted but cannot be read`);
    return row.body_hash === bodyHash ? { kind: 'replayed', id: Number(row.id), status: row.status as Status } : { kind: 'conflict' };
  });
}
