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
  /**
   * `planEach`: PostgreSQL plans the statement with each call's values (an unnamed statement) instead of
   * preparing it once: for statements whose best plan depends on the values (the word search: a generic
   * plan walks every case by id, 450 ms at 1M, where a plan for the words asks the index, 9 ms).
   */
  all(sql: string, params?: unknown[], planEach?: boolean): Promise<Row[]>;
  get(sql: string, params?: unknown[]): Promise<Row | undefined>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Serialises changes to cases between transactions (SQLite: they are serial already). Without
   * keys: every case, exclusively (merge, split, confirm …). With keys (a report's copy and
   * originals): only those keys, so that reports about different pages and originals are grouped
   * in parallel, while an exclusive lock waits for them all.
   */
  lockCases(keys?: string[]): Promise<void>;
}

/**
 * The index that answers the inbox's search by words (centre-schema.ts): SQLite's FTS5 trigram tables,
 * PostgreSQL's pg_trgm GIN indexes (`unicode`: the database's locale makes letters beyond ASCII, e.g.
 * Chinese, into trigrams; in the C locale only ASCII letters and digits are), or none (a scan).
 */
export type WordIndex = { kind: 'fts5' } | { kind: 'pg_trgm'; unicode: boolean } | null;

export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  /** Set by the store when it opens the database. */
  wordIndex: WordIndex;
  /** Statements outside a transaction (reads). */
  readonly read: Sql;
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** Advisory lock keys of their own (the schema lock is 610_006): all cases, and the space of per-key locks. */
const CASE_LOCK = 610_013;
const CASE_KEY_SPACE = 610_014;

/** FNV-1a, as a signed 32-bit integer: the per-key advisory lock. Collisions only make two keys wait for each other. */
function keyLock(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

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
    wordIndex: null,
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

/**
 * The statement in PostgreSQL's form, as a named prepared statement: each
 * connection parses and plans it once (the centre sends several statements
 * per report). Statements with a literal in their text are few and fixed.
 */
const numbered = new Map<string, { name: string; text: string }>();
function dollar(s: string): { name: string; text: string } {
  let out = numbered.get(s);
  if (out === undefined) {
    let i = 0;
    out = { name: `centre_${numbered.size + 1}`, text: s.replace(/\?/g, () => `$${++i}`) };
    numbered.set(s, out);
  }
  return out;
}

/** Statements on one PostgreSQL connection or the pool (the schema migration runs on the connection holding the schema lock). */
export function postgresClientSql(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async all(s, p = [], planEach = false) {
      return (await client.query(planEach ? { text: dollar(s).text, values: p } : { ...dollar(s), values: p })).rows;
    },
    async get(s, p = []) {
      return (await client.query({ ...dollar(s), values: p })).rows[0];
    },
    async run(s, p = []) {
      return (await client.query({ ...dollar(s), values: p })).rowCount ?? 0;
    },
    async lockCases(keys) {
      if (!keys) {
        await client.query('SELECT pg_advisory_xact_lock($1)', [CASE_LOCK]);
        return;
      }
      // One statement; its locks are taken left to right, the keys in one order everywhere, so that
      // two reports never wait for each other's keys.
      const locks = [...new Set(keys.map(keyLock))].sort((a, b) => a - b);
      await client.query({
        name: `centre_locks_${locks.length}`,
        text: `SELECT pg_advisory_xact_lock_shared($1)${locks.map((_, i) => `, pg_advisory_xact_lock($2, $${i + 3})`).join('')}`,
        values: [CASE_LOCK, CASE_KEY_SPACE, ...locks],
      });
    },
  };
}

export function postgresDb(pool: pg.Pool): Db {
  return {
    kind: 'postgres',
    wordIndex: null,
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
