/**
 * Figures per case and per account, read from the centre's tables: a case's
 * timeline (each copy's first sighting and each report, in time order) and
 * the accounts copies were posted by (when reports carry an account). No
 * reporter identities: these are figures a public report can rest on.
 */
import { CentreError } from './cases';
import type { Db } from './sql';

export interface TimelineEvent {
  at: string;
  kind: 'original-published' | 'copy-first-seen' | 'report';
  url: string;
  platform: string;
  account?: string;
  reportId?: number;
  /** For a report: when the reader saw the page (its createdAt); `at` is when the server received it. */
  seenAt?: string;
  verdict?: string;
}

export interface Timeline {
  case: number;
  status: string;
  original: { outlet: string; id: string; url: string };
  firstSeen: string;
  /** The original's publication time, the earliest a report of the case gave (its `originalPublished`), as ISO; absent when none did. */
  originalPublished?: string;
  events: TimelineEvent[];
  platforms: Array<{ platform: string; copies: number; reports: number; firstSeen: string }>;
}

const KIND_ORDER = { 'original-published': 0, 'copy-first-seen': 1, report: 2 } as const;

export async function caseTimeline(db: Db, id: number): Promise<Timeline> {
  const sql = db.read;
  const c = await sql.get('SELECT * FROM cases WHERE id = ?', [id]);
  if (!c) throw new CentreError(404, `no case ${id}`);
  const copies = await sql.all('SELECT url, platform, account_name, first_seen FROM case_copies WHERE case_id = ? ORDER BY first_seen, url', [id]);
  const reports = await sql.all(
    `SELECT r.id, r.received_at, r.created_at, r.verdict, r.unit_data, k.url, k.platform FROM case_copies k JOIN case_reports cr ON cr.copy_url = k.url JOIN reports r ON r.id = cr.report_id
     WHERE k.case_id = ? ORDER BY r.received_at, r.id LIMIT 10000`,
    [id],
  );
  let published: string | undefined;
  for (const r of reports) {
    const given = typeof r.unit_data === 'string' ? (JSON.parse(r.unit_data) as { originalPublished?: unknown }).originalPublished : undefined;
    const t = typeof given === 'string' ? Date.parse(given) : NaN;
    if (!Number.isNaN(t) && (published === undefined || t < Date.parse(published))) published = new Date(t).toISOString();
  }
  const events: TimelineEvent[] = [
    ...(published ? [{ at: published, kind: 'original-published' as const, url: String(c.original_url), platform: '' }] : []),
    ...copies.map(
      (k): TimelineEvent => ({
        at: String(k.first_seen),
        kind: 'copy-first-seen',
        url: String(k.url),
        platform: String(k.platform),
        ...(k.account_name != null ? { account: String(k.account_name) } : {}),
      }),
    ),
    ...reports.map(
      (r): TimelineEvent => ({ at: String(r.received_at), kind: 'report', url: String(r.url), platform: String(r.platform), reportId: Number(r.id), seenAt: String(r.created_at), verdict: String(r.verdict) }),
    ),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind === b.kind ? (a.reportId ?? 0) - (b.reportId ?? 0) : KIND_ORDER[a.kind] - KIND_ORDER[b.kind]));
  const perPlatform = new Map<string, { platform: string; copies: number; reports: number; firstSeen: string }>();
  for (const k of copies) {
    const p = perPlatform.get(String(k.platform)) ?? { platform: String(k.platform), copies: 0, reports: 0, firstSeen: String(k.first_seen) };
    p.copies++;
    if (String(k.first_seen) < p.firstSeen) p.firstSeen = String(k.first_seen);
    perPlatform.set(p.platform, p);
  }
  for (const r of reports) perPlatform.get(String(r.platform))!.reports++;
  return {
    case: id,
    status: String(c.status),
    original: { outlet: String(c.outlet), id: String(c.original_id), url: String(c.original_url) },
    firstSeen: String(c.first_seen),
    ...(published ? { originalPublished: published } : {}),
    events,
    platforms: [...perPlatform.values()].sort((a, b) => (a.platform < b.platform ? -1 : 1)),
  };
}

export interface AccountSummary {
  platform: string;
  name: string;
  url: string | null;
  copies: number;
  cases: number;
  confirmedCases: number;
  reports: number;
  /** Reports that called the copy uncredited (category "uncredited"). */
  uncreditedReports: number;
  firstSeen: string;
  lastSeen: string;
}

/** Accounts that posted copies (from reports that carry an account), most copies first. */
export async function listAccounts(db: Db, f: { platform?: string; limit: number; offset: number }): Promise<AccountSummary[]> {
  const where = ['k.account_name IS NOT NULL', 'c.merged_into IS NULL'];
  const values: unknown[] = [];
  if (f.platform) {
    where.push('k.platform = ?');
    values.push(f.platform);
  }
  const rows = await db.read.all(
    `SELECT k.platform, k.account_name, MAX(k.account_url) AS url, COUNT(DISTINCT k.url) AS copies, COUNT(DISTINCT k.case_id) AS cases,
       COUNT(DISTINCT CASE WHEN c.status = 'confirmed' THEN c.id END) AS confirmed,
       COUNT(r.id) AS reports, SUM(CASE WHEN r.category = 'uncredited' THEN 1 ELSE 0 END) AS uncredited,
       MIN(k.first_seen) AS first_seen, MAX(k.first_seen) AS last_seen
     FROM case_copies k JOIN cases c ON c.id = k.case_id LEFT JOIN case_reports cr ON cr.copy_url = k.url LEFT JOIN reports r ON r.id = cr.report_id
     WHERE ${where.join(' AND ')}
     GROUP BY k.platform, k.account_name
     ORDER BY COUNT(DISTINCT k.url) DESC, k.platform, k.account_name
     LIMIT ${Math.floor(f.limit)} OFFSET ${Math.floor(f.offset)}`,
    values,
  );
  return rows.map((r) => ({
    platform: String(r.platform),
    name: String(r.account_name),
    url: r.url == null ? null : String(r.url),
    copies: Number(r.copies),
    cases: Number(r.cases),
    confirmedCases: Number(r.confirmed),
    reports: Number(r.reports),
    uncreditedReports: Number(r.uncredited ?? 0),
    firstSeen: String(r.first_seen),
    lastSeen: String(r.last_seen),
  }));
}

/** One account's copies, with their case, original and status, in order of first sighting. */
export async function accountCopies(db: Db, platform: string, name: string) {
  const rows = await db.read.all(
    `SELECT k.url, k.first_seen, k.account_url, c.id AS case_id, c.status, c.outlet, c.original_url, c.original_id
     FROM case_copies k JOIN cases c ON c.id = k.case_id WHERE k.platform = ? AND k.account_name = ? ORDER BY k.first_seen, k.url LIMIT 10000`,
    [platform, name],
  );
  if (!rows.length) throw new CentreError(404, 'no copies by that account on that platform');
  return {
    platform,
    name,
    copies: rows.map((r) => ({
      url: String(r.url),
      firstSeen: String(r.first_seen),
      case: Number(r.case_id),
      status: String(r.status),
      outlet: String(r.outlet),
      originalUrl: String(r.original_url),
      originalId: String(r.original_id),
    })),
  };
}
