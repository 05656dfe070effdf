/**
 * Cases: the unit reviewers work on. A report joins a case when it arrives,
 * in the same transaction that stores it:
 *
 *   1. the case that already holds its page (the copy: same url, without
 *      its #fragment), else
 *   2. the case that holds its original (same original url, or same original
 *      id in the index), else
 *   3. a new case with this original and this copy.
 *
 * A case holds its originals (keys "url:…" and "id:…"), its copies (page,
 * platform, account when a report carries one, first seen), the reports about
 * each copy, reviewers' notes, confirmations and an audit log. Reviewers merge
 * two cases and split a copy out of a case by hand.
 *
 * Four-eyes rule: a case becomes confirmed when `needed` different reviewers
 * (by name) have confirmed it; a reviewer who confirms twice counts once.
 * Dismissing or reopening clears the confirmations, and so does a merge (the
 * merged case is open again: the earlier confirmations did not see the copies
 * it gained). A copy that joins a confirmed or dismissed case later leaves the
 * status as it is and is written in the audit log.
 */
import { LIST_SQL_HEAD, rowToReport } from './store';
import type { StoredReport } from './schema';
import type { Db, Row, Sql } from './sql';

export const CASE_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The report fields grouping reads; account comes with the platform fields of reports when a report has them. */
export interface CaseReport {
  url: string;
  title: string;
  platform: string;
  createdAt: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  account?: { name?: unknown; url?: unknown } | unknown;
}

export class CentreError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

/** A page address as cases compare it: without its #fragment. */
export function caseUrl(u: string): string {
  try {
    const x = new URL(u);
    x.hash = '';
    return x.href;
  } catch {
    return u;
  }
}

function iso(s: string): string {
  const t = Date.parse(s);
  return Number.isNaN(t) ? s : new Date(t).toISOString();
}

function accountOf(r: CaseReport): { name: string; url?: string } | undefined {
  const a = r.account as { name?: unknown; url?: unknown } | undefined;
  if (!a || typeof a !== 'object' || typeof a.name !== 'string' || !a.name) return undefined;
  return typeof a.url === 'string' && a.url ? { name: a.name, url: a.url } : { name: a.name };
}

function originalKeys(r: { originalUrl: string; originalId: string }): string[] {
  const keys: string[] = [];
  if (r.originalUrl) keys.push(`url:${caseUrl(r.originalUrl)}`);
  if (r.originalId) keys.push(`id:${r.originalId}`);
  return keys;
}

async function audit(sql: Sql, caseId: number, actor: string, action: string, detail: Record<string, unknown>, at: string) {
  await sql.run('INSERT INTO case_audit (case_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)', [caseId, at, actor, action, JSON.stringify(detail)]);
}

const EARLIER = 'first_seen = CASE WHEN first_seen > ? THEN ? ELSE first_seen END';

/** Puts a stored report into its case (see the top of this file); returns the case id. Runs inside the report's transaction. */
export async function assignCase(sql: Sql, reportId: number, r: CaseReport, at: string, actor = 'system'): Promise<number> {
  const url = caseUrl(r.url);
  const seen = iso(r.createdAt);
  const account = accountOf(r);
  const keys = originalKeys(r);
  await sql.lockCases([`copy:${url}`, ...keys]);
  // Few statements per report (each is a round trip on PostgreSQL): one lookup of the copy and the originals.
  const found = (await sql.get(
    `SELECT (SELECT case_id FROM case_copies WHERE url = ?) AS copy_case, (SELECT account_name FROM case_copies WHERE url = ?) AS copy_account${keys
      .map((_, i) => `, (SELECT case_id FROM case_originals WHERE key = ?) AS o${i}`)
      .join('')}`,
    [url, url, ...keys],
  ))!;
  let caseId: number | undefined;
  let created = false;
  const entries: Array<[string, Record<string, unknown>]> = [];
  if (found.copy_case != null) {
    caseId = Number(found.copy_case);
    const addAccount = !!account && found.copy_account == null;
    await sql.run(
      `UPDATE case_copies SET ${EARLIER}${addAccount ? ', account_name = ?, account_url = ?' : ''} WHERE url = ?`,
      addAccount ? [seen, seen, account!.name, account!.url ?? null, url] : [seen, seen, url],
    );
    if (addAccount) entries.push(['account-added', { url, account: account!.name, reportId }]);
    if (r.originalUrl) await sql.run("UPDATE cases SET original_url = ?, original_id = ?, outlet = ? WHERE id = ? AND original_url = '' AND original_id = ''", [r.originalUrl, r.originalId, r.outlet, caseId]);
  } else {
    const known = keys.map((_, i) => found[`o${i}`]).find((v) => v != null);
    if (known != null) caseId = Number(known);
    else {
      const row = await sql.get(
        "INSERT INTO cases (status, outlet, original_id, original_url, title, first_seen, created_at, updated_at) VALUES ('open', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [r.outlet, r.originalId, r.originalUrl, r.title, seen, at, at],
      );
      caseId = Number(row!.id);
      created = true;
      entries.push(['created', { reportId, url, originalUrl: r.originalUrl, originalId: r.originalId }]);
    }
    await sql.run('INSERT INTO case_copies (url, case_id, platform, account_name, account_url, first_seen, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      url,
      caseId,
      r.platform,
      account?.name ?? null,
      account?.url ?? null,
      seen,
      at,
    ]);
    entries.push(['copy-added', { url, platform: r.platform, ...(account ? { account: account.name } : {}), reportId }]);
  }
  const unclaimed = keys.filter((_, i) => found[`o${i}`] == null);
  if (unclaimed.length)
    await sql.run(`INSERT INTO case_originals (key, case_id) VALUES ${unclaimed.map(() => '(?, ?)').join(', ')} ON CONFLICT (key) DO NOTHING`, unclaimed.flatMap((k) => [k, caseId]));
  if (entries.length)
    await sql.run(
      `INSERT INTO case_audit (case_id, at, actor, action, detail) VALUES ${entries.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      entries.flatMap(([action, detail]) => [caseId, at, actor, action, JSON.stringify(detail)]),
    );
  await sql.run('INSERT INTO case_reports (report_id, copy_url) VALUES (?, ?)', [reportId, url]);
  if (!created) await sql.run(`UPDATE cases SET ${EARLIER}, updated_at = ? WHERE id = ?`, [seen, seen, at, caseId]);
  return caseId;
}

// ---- reading ----

export interface CaseFilter {
  status?: CaseStatus;
  outlet?: string;
  platform?: string;
  /** a copy posted by this account (its name, on any platform) */
  account?: string;
  /** an address (a copy's or the original's, exactly), else words in the title, the original's address or id, or a copy's address (case-insensitive) */
  search?: string;
  /** first seen at or after (ISO) */
  from?: string;
  /** first seen before (ISO) */
  to?: string;
  /** paging: cases with a smaller id (newest first) */
  before?: number;
  limit: number;
}

export interface CaseSummary {
  id: number;
  status: CaseStatus;
  outlet: string;
  originalId: string;
  originalUrl: string;
  title: string;
  firstSeen: string;
  createdAt: string;
  updatedAt: string;
  copies: number;
  reports: number;
  lastReport: string | null;
  platforms: string[];
  confirmations: number;
  mergedInto?: number;
}

function caseRow(c: Row): Omit<CaseSummary, 'copies' | 'reports' | 'lastReport' | 'platforms' | 'confirmations'> {
  return {
    id: Number(c.id),
    status: c.status as CaseStatus,
    outlet: String(c.outlet),
    originalId: String(c.original_id),
    originalUrl: String(c.original_url),
    title: String(c.title),
    firstSeen: String(c.first_seen),
    createdAt: String(c.created_at),
    updatedAt: String(c.updated_at),
    ...(c.merged_into != null ? { mergedInto: Number(c.merged_into) } : {}),
  };
}

async function summaries(sql: Sql, rows: Row[]): Promise<CaseSummary[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  const marks = ids.map(() => '?').join(', ');
  const counts = new Map<number, { reports: number; last: string | null }>();
  for (const r of await sql.all(
    `SELECT k.case_id, COUNT(*) AS n, MAX(r.received_at) AS last FROM case_copies k JOIN case_reports cr ON cr.copy_url = k.url JOIN reports r ON r.id = cr.report_id
     WHERE k.case_id IN (${marks}) GROUP BY k.case_id`,
    ids,
  ))
    counts.set(Number(r.case_id), { reports: Number(r.n), last: r.last == null ? null : String(r.last) });
  const platforms = new Map<number, { copies: number; platforms: string[] }>();
  for (const r of await sql.all(`SELECT case_id, platform, COUNT(*) AS n FROM case_copies WHERE case_id IN (${marks}) GROUP BY case_id, platform ORDER BY case_id, platform`, ids)) {
    const p = platforms.get(Number(r.case_id)) ?? { copies: 0, platforms: [] };
    p.copies += Number(r.n);
    p.platforms.push(String(r.platform));
    platforms.set(Number(r.case_id), p);
  }
  const confirmations = new Map<number, number>();
  for (const r of await sql.all(`SELECT case_id, COUNT(*) AS n FROM case_confirmations WHERE case_id IN (${marks}) GROUP BY case_id`, ids)) confirmations.set(Number(r.case_id), Number(r.n));
  return rows.map((row) => {
    const id = Number(row.id);
    return {
      ...caseRow(row),
      copies: platforms.get(id)?.copies ?? 0,
      reports: counts.get(id)?.reports ?? 0,
      lastReport: counts.get(id)?.last ?? null,
      platforms: platforms.get(id)?.platforms ?? [],
      confirmations: confirmations.get(id) ?? 0,
    };
  });
}

/**
 * How a search by words is answered: 'index' (FTS5 trigram tables on SQLite, pg_trgm on PostgreSQL) when
 * the words give trigrams the index knows — on SQLite any 3 characters; on PostgreSQL 3 letters or digits
 * in a row (in the C locale ASCII ones only: pg_trgm there leaves Chinese out of its trigrams) — else 'scan'
 * (the cases newest first until enough match, as before the index).
 */
export function wordSearchPath(db: Db, words: string): 'index' | 'scan' {
  const w = db.wordIndex;
  if (!w) return 'scan';
  if (w.kind === 'fts5') return [...words].length >= 3 ? 'index' : 'scan';
  return (w.unicode ? /[\p{L}\p{N}]{3}/u : /[A-Za-z0-9]{3}/).test(words) ? 'index' : 'scan';
}

/**
 * A search by words first looks at this many cases below the page's start (newest first): a word most
 * cases have fills the page there, without asking the index for every case that has it.
 */
export const WORD_WINDOW = 5000;

/** Cases newest first (merged ones left out), a page at a time. `window`: WORD_WINDOW (tests choose others). */
export async function listCases(db: Db, f: CaseFilter, window = WORD_WINDOW): Promise<CaseSummary[]> {
  const where = ['c.merged_into IS NULL'];
  const values: unknown[] = [];
  const add = (clause: string, v: unknown) => {
    where.push(clause);
    values.push(v);
  };
  const limit = Math.max(0, Math.floor(f.limit));
  if (f.status) add('c.status = ?', f.status);
  if (f.outlet !== undefined) add('c.outlet = ?', f.outlet);
  if (f.platform) add('EXISTS (SELECT 1 FROM case_copies k WHERE k.case_id = c.id AND k.platform = ?)', f.platform);
  if (f.account) add('EXISTS (SELECT 1 FROM case_copies k WHERE k.case_id = c.id AND k.account_name = ?)', f.account);
  if (f.from) add('c.first_seen >= ?', f.from);
  if (f.to) add('c.first_seen < ?', f.to);
  if (f.before !== undefined) add('c.id < ?', f.before);
  const select = async (extra: string[], extraValues: unknown[], planEach = false) =>
    db.read.all(`SELECT c.* FROM cases c WHERE ${[...where, ...extra].join(' AND ')} ORDER BY c.id DESC LIMIT ${limit}`, [...values, ...extraValues], planEach);
  let rows: Row[];
  if (f.search && /^https?:\/\/\S+$/i.test(f.search)) {
    // An address: the case that holds it as a copy (without its #fragment) or as an original — two index lookups.
    const url = caseUrl(f.search);
    rows = await select(['c.id IN (SELECT k.case_id FROM case_copies k WHERE k.url = ? UNION SELECT o.case_id FROM case_originals o WHERE o.key = ?)'], [url, `url:${url}`]);
  } else if (f.search) {
    // Words: a substring of the title, the original's address or id, or a copy's address (case-insensitive; % and _ plain).
    const lower = f.search.toLowerCase();
    const like = `%${lower.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const words =
      "(LOWER(c.title) LIKE ? ESCAPE '\\' OR LOWER(c.original_url) LIKE ? ESCAPE '\\' OR LOWER(c.original_id) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM case_copies k WHERE k.case_id = c.id AND LOWER(k.url) LIKE ? ESCAPE '\\'))";
    const likes = [like, like, like, like];
    if (wordSearchPath(db, f.search) === 'scan') rows = await select([words], likes);
    else {
      // 1. The WORD_WINDOW cases below the page's start, scanned: when the page fills there, it is the answer
      //    (every other match has a smaller id).
      const top = f.before ?? Number((await db.read.get('SELECT MAX(id) AS m FROM cases'))?.m ?? 0) + 1;
      rows = await select([words, 'c.id >= ?'], [...likes, top - window]);
      if (rows.length < limit && top - window > 1) {
        // 2. Else every case the index names, newest first. The index gives candidates; the same LIKEs decide,
        //    so the answer is the scan's (on PostgreSQL the index answers those LIKEs themselves).
        rows =
          db.wordIndex!.kind === 'fts5'
            ? await select(
                ['c.id IN (SELECT rowid FROM case_words WHERE case_words MATCH ? UNION SELECT k.case_id FROM case_copies k WHERE k.url IN (SELECT url FROM copy_words WHERE copy_words MATCH ?))', words],
                [ftsPhrase(lower), ftsPhrase(lower), ...likes],
              )
            : await select(
                ["c.id IN (SELECT w.id FROM cases w WHERE LOWER(w.title) LIKE ? ESCAPE '\\' OR LOWER(w.original_url) LIKE ? ESCAPE '\\' OR LOWER(w.original_id) LIKE ? ESCAPE '\\' UNION SELECT k.case_id FROM case_copies k WHERE LOWER(k.url) LIKE ? ESCAPE '\\')"],
                likes,
                true,
              );
      }
    }
  } else rows = await select([], []);
  return summaries(db.read, rows);
}

/** An FTS5 query of one phrase: the text as it is (the trigram tokenizer reads it as a substring). */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export interface CopyView {
  url: string;
  platform: string;
  account?: { name: string; url?: string };
  firstSeen: string;
  lastReport: string | null;
  reports: number;
  verdicts: Record<string, number>;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface CaseView {
  case: CaseSummary;
  needed: number;
  copies: CopyView[];
  /** The case's reports in id order, at most MAX_CASE_REPORTS of them. */
  reports: StoredReport[];
  reportsTruncated: boolean;
  verdicts: Record<string, number>;
  notes: Array<{ id: number; author: string; text: string; createdAt: string }>;
  confirmations: Array<{ reviewer: string; at: string }>;
  audit: AuditEntry[];
}

export const MAX_CASE_REPORTS = 1000;

export async function getCase(db: Db, id: number, needed: number): Promise<CaseView> {
  const sql = db.read;
  const row = await sql.get('SELECT * FROM cases WHERE id = ?', [id]);
  if (!row) throw new CentreError(404, `no case ${id}`);
  const [summary] = await summaries(sql, [row]);
  const verdictRows = await sql.all(
    `SELECT cr.copy_url, r.verdict, COUNT(*) AS n FROM case_copies k JOIN case_reports cr ON cr.copy_url = k.url JOIN reports r ON r.id = cr.report_id
     WHERE k.case_id = ? GROUP BY cr.copy_url, r.verdict ORDER BY cr.copy_url, r.verdict`,
    [id],
  );
  const verdicts: Record<string, number> = {};
  const perCopy = new Map<string, Record<string, number>>();
  for (const v of verdictRows) {
    const name = String(v.verdict) || '(none)';
    const m = perCopy.get(String(v.copy_url)) ?? {};
    m[name] = Number(v.n);
    perCopy.set(String(v.copy_url), m);
    verdicts[name] = (verdicts[name] ?? 0) + Number(v.n);
  }
  const copies = (
    await sql.all(
      `SELECT k.url, k.platform, k.account_name, k.account_url, k.first_seen, COUNT(cr.report_id) AS n, MAX(r.received_at) AS last
       FROM case_copies k LEFT JOIN case_reports cr ON cr.copy_url = k.url LEFT JOIN reports r ON r.id = cr.report_id
       WHERE k.case_id = ? GROUP BY k.url, k.platform, k.account_name, k.account_url, k.first_seen ORDER BY k.first_seen, k.url`,
      [id],
    )
  ).map(
    (k): CopyView => ({
      url: String(k.url),
      platform: String(k.platform),
      ...(k.account_name != null ? { account: k.account_url != null ? { name: String(k.account_name), url: String(k.account_url) } : { name: String(k.account_name) } } : {}),
      firstSeen: String(k.first_seen),
      lastReport: k.last == null ? null : String(k.last),
      reports: Number(k.n),
      verdicts: perCopy.get(String(k.url)) ?? {},
    }),
  );
  const reportRows = await sql.all(
    `${LIST_SQL_HEAD} JOIN case_reports cr ON cr.report_id = r.id JOIN case_copies k ON k.url = cr.copy_url WHERE k.case_id = ? ORDER BY r.id LIMIT ${MAX_CASE_REPORTS + 1}`,
    [id],
  );
  const reportsTruncated = reportRows.length > MAX_CASE_REPORTS;
  const notes = (await sql.all('SELECT id, author, text, created_at FROM case_notes WHERE case_id = ? ORDER BY id', [id])).map((n) => ({
    id: Number(n.id),
    author: String(n.author),
    text: String(n.text),
    createdAt: String(n.created_at),
  }));
  const confirmations = (await sql.all('SELECT reviewer, at FROM case_confirmations WHERE case_id = ? ORDER BY at, reviewer', [id])).map((c) => ({ reviewer: String(c.reviewer), at: String(c.at) }));
  const auditRows = (await sql.all('SELECT id, at, actor, action, detail FROM case_audit WHERE case_id = ? ORDER BY id', [id])).map((a) => ({
    id: Number(a.id),
    at: String(a.at),
    actor: String(a.actor),
    action: String(a.action),
    detail: JSON.parse(String(a.detail)) as Record<string, unknown>,
  }));
  return {
    case: summary!,
    needed,
    copies,
    reports: reportRows.slice(0, MAX_CASE_REPORTS).map(rowToReport),
    reportsTruncated,
    verdicts,
    notes,
    confirmations,
    audit: auditRows,
  };
}

// ---- changing (each in one transaction, written in the audit log) ----

async function liveCase(sql: Sql, id: number): Promise<Row> {
  const row = await sql.get('SELECT * FROM cases WHERE id = ?', [id]);
  if (!row) throw new CentreError(404, `no case ${id}`);
  if (row.merged_into != null) throw new CentreError(409, `case ${id} was merged into case ${row.merged_into}`, { mergedInto: Number(row.merged_into) });
  return row;
}

export const MAX_NOTE = 4000;

export async function addNote(db: Db, id: number, actor: string, text: string, at = new Date().toISOString()) {
  return db.tx(async (sql) => {
    await liveCase(sql, id);
    const row = await sql.get('INSERT INTO case_notes (case_id, author, text, created_at) VALUES (?, ?, ?, ?) RETURNING id', [id, actor, text, at]);
    await audit(sql, id, actor, 'note', { noteId: Number(row!.id) }, at);
    await sql.run('UPDATE cases SET updated_at = ? WHERE id = ?', [at, id]);
    return { id: Number(row!.id), author: actor, text, createdAt: at };
  });
}

export interface StatusAnswer {
  id: number;
  status: CaseStatus;
  confirmations: string[];
  needed: number;
}

async function statusAnswer(sql: Sql, id: number, needed: number): Promise<StatusAnswer> {
  const row = await sql.get('SELECT status FROM cases WHERE id = ?', [id]);
  const who = (await sql.all('SELECT reviewer FROM case_confirmations WHERE case_id = ? ORDER BY at, reviewer', [id])).map((r) => String(r.reviewer));
  return { id, status: row!.status as CaseStatus, confirmations: who, needed };
}

/** One reviewer's confirmation; the case is confirmed once `needed` different reviewers have confirmed it. */
export async function confirmCase(db: Db, id: number, actor: string, needed: number, at = new Date().toISOString()): Promise<StatusAnswer> {
  return db.tx(async (sql) => {
    await sql.lockCases();
    const row = await liveCase(sql, id);
    if (row.status === 'dismissed') throw new CentreError(409, `case ${id} is dismissed: reopen it first`);
    const added = await sql.run('INSERT INTO case_confirmations (case_id, reviewer, at) VALUES (?, ?, ?) ON CONFLICT (case_id, reviewer) DO NOTHING', [id, actor, at]);
    if (added) {
      await audit(sql, id, actor, 'confirm', {}, at);
      const n = Number((await sql.get('SELECT COUNT(*) AS n FROM case_confirmations WHERE case_id = ?', [id]))!.n);
      if (row.status === 'open' && n >= needed) {
        await sql.run("UPDATE cases SET status = 'confirmed' WHERE id = ?", [id]);
        await audit(sql, id, actor, 'status', { from: 'open', to: 'confirmed', confirmations: n, needed }, at);
      }
      await sql.run('UPDATE cases SET updated_at = ? WHERE id = ?', [at, id]);
    }
    return statusAnswer(sql, id, needed);
  });
}

/** Dismiss (one reviewer) or reopen: the status changes and the confirmations are cleared. */
export async function setCaseStatus(db: Db, id: number, to: 'dismissed' | 'open', actor: string, needed: number, reason = '', at = new Date().toISOString()): Promise<StatusAnswer> {
  return db.tx(async (sql) => {
    await sql.lockCases();
    const row = await liveCase(sql, id);
    const cleared = (await sql.all('SELECT reviewer FROM case_confirmations WHERE case_id = ?', [id])).map((r) => String(r.reviewer));
    if (row.status !== to || cleared.length) {
      await sql.run('DELETE FROM case_confirmations WHERE case_id = ?', [id]);
      await sql.run('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?', [to, at, id]);
      await audit(sql, id, actor, 'status', { from: row.status, to, ...(reason ? { reason } : {}), ...(cleared.length ? { clearedConfirmations: cleared } : {}) }, at);
    }
    return statusAnswer(sql, id, needed);
  });
}

/** Moves everything of case `from` into case `into`; `from` stays as a pointer (mergedInto). The merged case is open again. */
export async function mergeCases(db: Db, into: number, from: number, actor: string, needed: number, at = new Date().toISOString()): Promise<StatusAnswer & { merged: number }> {
  if (into === from) throw new CentreError(400, 'a case cannot be merged into itself');
  return db.tx(async (sql) => {
    await sql.lockCases();
    const target = await liveCase(sql, into);
    const source = await liveCase(sql, from);
    const moved = (await sql.all('SELECT url FROM case_copies WHERE case_id = ? ORDER BY url', [from])).map((r) => String(r.url));
    await sql.run('UPDATE case_copies SET case_id = ? WHERE case_id = ?', [into, from]);
    await sql.run('UPDATE case_originals SET case_id = ? WHERE case_id = ?', [into, from]);
    await sql.run('UPDATE case_notes SET case_id = ? WHERE case_id = ?', [into, from]);
    const cleared = (await sql.all('SELECT reviewer FROM case_confirmations WHERE case_id = ?', [into])).map((r) => String(r.reviewer));
    await sql.run('DELETE FROM case_confirmations WHERE case_id IN (?, ?)', [into, from]);
    await sql.run(`UPDATE cases SET ${EARLIER}, status = 'open', updated_at = ? WHERE id = ?`, [source.first_seen, source.first_seen, at, into]);
    if (target.original_url === '' && target.original_id === '')
      await sql.run('UPDATE cases SET original_url = ?, original_id = ?, outlet = ? WHERE id = ?', [source.original_url, source.original_id, source.outlet, into]);
    await sql.run('UPDATE cases SET merged_into = ?, updated_at = ? WHERE id = ?', [into, at, from]);
    await audit(sql, into, actor, 'merge', { from, copies: moved, statusBefore: target.status, ...(cleared.length ? { clearedConfirmations: cleared } : {}) }, at);
    await audit(sql, from, actor, 'merged-into', { into, statusBefore: source.status }, at);
    return { ...(await statusAnswer(sql, into, needed)), merged: from };
  });
}

/** Moves one copy (and its reports) out of a case into a new open case; returns the new case's id. */
export async function splitCopy(db: Db, id: number, url: string, actor: string, at = new Date().toISOString()): Promise<{ id: number; from: number; url: string }> {
  return db.tx(async (sql) => {
    await sql.lockCases();
    await liveCase(sql, id);
    const u = caseUrl(url);
    const copy = await sql.get('SELECT url, first_seen FROM case_copies WHERE url = ? AND case_id = ?', [u, id]);
    if (!copy) throw new CentreError(404, `case ${id} has no copy ${u}`);
    const n = Number((await sql.get('SELECT COUNT(*) AS n FROM case_copies WHERE case_id = ?', [id]))!.n);
    if (n < 2) throw new CentreError(409, `case ${id} has only this copy: nothing to split it from`);
    // The new case's original is the one the copy's earliest report names (the key stays with the old case).
    const first = await sql.get('SELECT r.outlet, r.original_id, r.original_url, r.title FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.copy_url = ? ORDER BY r.id LIMIT 1', [u]);
    const row = await sql.get(
      "INSERT INTO cases (status, outlet, original_id, original_url, title, first_seen, created_at, updated_at) VALUES ('open', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      [first?.outlet ?? '', first?.original_id ?? '', first?.original_url ?? '', first?.title ?? '', copy.first_seen, at, at],
    );
    const to = Number(row!.id);
    await sql.run('UPDATE case_copies SET case_id = ? WHERE url = ?', [to, u]);
    const rest = await sql.get('SELECT MIN(first_seen) AS f FROM case_copies WHERE case_id = ?', [id]);
    await sql.run('UPDATE cases SET first_seen = ?, updated_at = ? WHERE id = ?', [rest!.f, at, id]);
    await audit(sql, id, actor, 'split', { url: u, to }, at);
    await audit(sql, to, actor, 'split-from', { url: u, from: id }, at);
    return { id: to, from: id, url: u };
  });
}
