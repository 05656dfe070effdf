/**
 * The storage interface of the report server. Two implementations:
 * store-sqlite.ts (embedded, the default) and store-postgres.ts (DATABASE_URL).
 * Both keep the idempotency rule in the database: one row per (token, key),
 * written in one transaction with the report.
 */
import { canonicalUnit, type ReportInput, type Status, type StoredReport, type UnitFields } from './schema';
import type { Db } from './sql';

export interface Token {
  id: number;
  name: string;
  admin: boolean;
}

/** A token as `token list` shows it (never the token itself: only its hash is stored). */
export interface TokenInfo extends Token {
  createdAt: string;
  revokedAt?: string;
}

export type InsertResult =
  | { kind: 'created'; id: number; status: Status }
  | { kind: 'replayed'; id: number; status: Status }
  | { kind: 'conflict' };

export interface ReportFilter {
  status?: Status;
  outlet?: string;
  platform?: string;
  /** ISO time: reports received at or after it. */
  since?: string;
  originalId?: string;
  /** Paging: reports with a larger id than this … */
  afterId?: number;
  /** … at most this many, in id order. */
  limit?: number;
}

export interface ReportStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The database, for the collation centre (cases.ts, users.ts). */
  readonly db: Db;
  createToken(name: string, admin: boolean, hash: string): Promise<Token>;
  /** The token with this hash, unless it was revoked. */
  findToken(hash: string): Promise<Token | undefined>;
  listTokens(): Promise<TokenInfo[]>;
  /** Revokes every live token of that name; returns how many. Their reports stay. */
  revokeTokens(name: string, at: string): Promise<number>;
  /** Stores the report once per (token, key); bodyHash tells a replay from a conflicting reuse of the key. */
  insertReport(tokenId: number, key: string, bodyHash: string, report: ReportInput, receivedAt: string): Promise<InsertResult>;
  listReports(filter: ReportFilter): Promise<StoredReport[]>;
  /** False when no report has that id. */
  setStatus(id: number, status: Status): Promise<boolean>;
  close(): Promise<void>;
}

/** The report columns shared by both schemas, in the order of ReportInput (the platform fields last, in one column). */
export const REPORT_COLUMNS = [
  ['url', 'url'],
  ['title', 'title'],
  ['platform', 'platform'],
  ['createdAt', 'created_at'],
  ['category', 'category'],
  ['note', 'note'],
  ['verdict', 'verdict'],
  ['outlet', 'outlet'],
  ['originalId', 'original_id'],
  ['originalUrl', 'original_url'],
  ['score', 'score'],
  ['passages', 'passages'],
  // The platform fields (account, postedAt, engagement, unitText) as one JSON object; NULL for reports without them.
  ['unit', 'unit_data'],
] as const;

/** Added after the first release: the column that holds the platform fields (both backends add it to an older database). */
export const UNIT_COLUMN = 'unit_data';

export function reportValues(r: ReportInput): unknown[] {
  return REPORT_COLUMNS.map(([k]) => {
    if (k === 'passages') return JSON.stringify(r.passages);
    if (k === 'unit') {
      const unit = canonicalUnit(r);
      return Object.keys(unit).length ? JSON.stringify(unit) : null;
    }
    return r[k];
  });
}

/** Builds WHERE clauses for a filter; `param(i)` renders the i-th placeholder (1-based). */
export function filterSql(f: ReportFilter, param: (i: number) => string): { where: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (column: string, op: string, v: unknown) => {
    values.push(v);
    parts.push(`${column} ${op} ${param(values.length)}`);
  };
  if (f.status) add('r.status', '=', f.status);
  if (f.afterId !== undefined) add('r.id', '>', f.afterId);
  if (f.outlet !== undefined) add('r.outlet', '=', f.outlet);
  if (f.platform) add('r.platform', '=', f.platform);
  if (f.since) add('r.received_at', '>=', f.since);
  if (f.originalId !== undefined) add('r.original_id', '=', f.originalId);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

export const LIST_SQL_HEAD = `SELECT r.id, r.received_at, t.name AS reporter, r.status, ${REPORT_COLUMNS.map(([, c]) => `r.${c}`).join(', ')}
  FROM reports r JOIN tokens t ON t.id = r.token_id`;

export function rowToReport(row: Record<string, unknown>): StoredReport {
  const out: Record<string, unknown> = {
    id: Number(row.id),
    receivedAt: row.received_at,
    reporter: row.reporter,
    status: row.status,
  };
  for (const [k, c] of REPORT_COLUMNS) {
    if (k === 'unit') {
      if (typeof row[c] === 'string') Object.assign(out, JSON.parse(row[c] as string) as UnitFields);
    } else out[k] = k === 'passages' ? JSON.parse(row[c] as string) : k === 'score' ? Number(row[c]) : row[c];
  }
  return out as unknown as StoredReport;
}
