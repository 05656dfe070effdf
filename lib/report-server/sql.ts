/**
 * A small SQL layer shared by both backends, so that the collation centre
 * (cases, reviewers, sessions: centre.ts) is written once. Statements use `?`
 * placeholders (turned into $1, $2 … for PostgreSQL; never put a `?` in SQL
 * text otherwise) and RETURNING for inserts (SQLite ≥ 3.35 has it).
 *
 * Transactions: PostgreSQL takes a pooled connection per transaction. SQLite
 * has one connection, so its transactions run one at a time behind a queue
 * (BEGIN IMMEDIATE … COMMIT): an async transaction must never let another
 * request's statements into it. Every SQLite write goes through tx().
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type Row = Record<string, unknown>;

export interface Sql {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Serialises case assignment, merges and splits between transactions (PostgreSQL: an advisory lock; SQLite: already serial). */
  lockCases(): Promise<void>;
}

export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  /** Statements outside a transaction (reads). */
  readonly read: Sql;
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** An advisory lock key of its own (the schema lock is 610_006). */
const CASE_LOCK = 610_013;

export function sqliteDb(db: Database.Database): Db {
  const cache = new Map<string, Database.Statement>();
  const prep = (s: string) => {
    let st = cache.get(s);
    if (!st) cache.set(s, (st = db.prepare(s)));
    return st;
  };
  const sql: Sql = {
    async all(s, p = []) {
      return prep(s).all(...p) as Row[];
    },
    async get(s, p = []) {
      const st = prep(s);
      return (st.reader ? st.get(...p) : st.all(...p)[0]) as Row | undefined;
    },
    async run(s, p = []) {
      const st = prep(s);
      if (st.reader) return st.all(...p).length;
      return st.run(...p).changes;
    },
    async lockCases() {},
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'sqlite',
    read: sql,
    tx<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
      const run = async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(sql);
          db.exec('COMMIT');
          return out;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      };
      const p = queue.then(run, run);
      queue = p.catch(() => {});
      return p;
    },
  };
}

const numbered = new Map<string, string>();
function dollar(s: string): string {
  let out = numbered.get(s);
  if (out === undefined) {
    let i = 0;
    out = s.replace(/\?/g, () => `$${++i}`);
    numbered.set(s, out);
  }
  return out;
}

/** Statements on one PostgreSQL connection or the pool (the schema migration runs on the connection holding the schema lock). */
export function postgresClientSql(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async all(s, p = []) {
      return (await client.query(dollar(s), p)).rows;
    },
    async get(s, p = []) {
      return (await client.query(dollar(s), p)).rows[0];
    },
    async run(s, p = []) {
      return (await client.query(dollar(s), p)).rowCount ?? 0;
    },
    async lockCases() {
      await client.query('SELECT pg_advisory_xact_lock($1)', [CASE_LOCK]);
    },
  };
}

export function postgresDb(pool: pg.Pool): Db {
  return {
    kind: 'postgres',
    read: postgresClientSql(pool),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(postgresClientSql(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}
