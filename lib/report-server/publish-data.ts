/**
 * The figures of a public report, read from the centre's tables: the confirmed
 * cases first seen in the period, with their copies, accounts, timelines,
 * evidence (original, copy addresses, matched passages) and the coordination
 * signals among them (signals.ts).
 *
 * What never leaves: reporter names (tokens), report ids, when the server
 * received a report, readers' notes, reviewers' names and notes, the audit
 * log. Account names appear only for confirmed cases, the only ones read here.
 *
 * Reproducible: nothing here reads a clock, and every list is sorted in JS by
 * an explicit key with a unique tie-breaker (never by the database's order or
 * collation), so both backends give the same figures for the same data.
 */
import { caseUrl } from './cases';
import { findSignals, type SignalCopy, type SignalOptions, type Signals } from './signals';
import type { Period } from './period';
import type { Db, Row } from './sql';

export const PUBLIC_REPORT_FORMAT = 'provenance-public-report';
export const PUBLIC_REPORT_VERSION = 1;
/** Distinct passages kept per copy in the evidence. */
export const MAX_PASSAGES = 20;

export interface PublicCopy {
  url: string;
  platform: string;
  account?: { name: string; url?: string };
  /** The page's title as the first report gave it. */
  title: string;
  firstSeen: string;
  postedAt?: { shown: string; iso?: string };
  /** posted (postedAt.iso) when known, else first seen: the time the timeline and the signals use. */
  at: string;
  minutesAfterFirst: number;
  reports: number;
  categories: Record<string, number>;
  verdicts: Record<string, number>;
  bestScore: number;
  engagement?: Record<string, unknown>;
  passages: Array<{ pageText: string; originalText?: string }>;
  passagesOmitted: number;
}

export interface PublicCase {
  id: number;
  outlet: string;
  original: { url: string; id: string };
  firstSeen: string;
  confirmedAt: string;
  confirmations: number;
  copies: PublicCopy[];
  reports: number;
  platforms: string[];
  accounts: number;
  /** From the first copy's time to the last's. */
  spreadMinutes: number;
}

export interface PublicReport {
  format: string;
  version: number;
  period: Period;
  totals: { cases: number; originals: number; outlets: number; copies: number; reports: number; accounts: number; platforms: number };
  perDay: { days: Array<{ date: string; copies: number }>; before: number; after: number };
  platforms: Array<{ platform: string; copies: number; share: number; cases: number; reports: number }>;
  outlets: Array<{ outlet: string; cases: number; copies: number }>;
  originals: Array<{ outlet: string; url: string; id: string; cases: number[]; copies: number; accounts: number; reports: number; platforms: string[] }>;
  accounts: Array<{ platform: string; name: string; url?: string; copies: number; cases: number[]; outlets: string[]; uncreditedReports: number; firstCopy: string; lastCopy: string }>;
  signals: Signals;
  cases: PublicCase[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const isoOf = (s: string) => {
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
const sortedRecord = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => cmp(a[0], b[0])));
const inc = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

interface CaseFilterOptions {
  statuses: string[];
  from?: string;
  to?: string;
}

/** The cases of a filter, as SQL: live (not merged) cases of those statuses first seen in [from, to). */
function caseFilter(f: CaseFilterOptions): { where: string; values: unknown[] } {
  const where = ['merged_into IS NULL', `status IN (${f.statuses.map(() => '?').join(', ')})`];
  const values: unknown[] = [...f.statuses];
  if (f.from) where.push('first_seen >= ?'), values.push(f.from);
  if (f.to) where.push('first_seen < ?'), values.push(f.to);
  return { where: where.join(' AND '), values };
}

/** The filter's cases, in id order. */
async function readCases(db: Db, f: CaseFilterOptions): Promise<Row[]> {
  const { where, values } = caseFilter(f);
  const rows = await db.read.all(`SELECT id, status, outlet, original_id, original_url, first_seen FROM cases WHERE ${where}`, values);
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

interface CopyRow {
  url: string;
  caseId: number;
  platform: string;
  account?: { name: string; url?: string };
  firstSeen: string;
}

interface ReportRow {
  id: number;
  copyUrl: string;
  createdAt: string;
  category: string;
  verdict: string;
  score: number;
  title: string;
  passages: string;
  unit: Record<string, any> | undefined;
}

/**
 * The copies and (optionally) the reports and confirmations of the cases read (`ids`): one statement
 * each, set-based — the filter's cases as a subquery, joined through case_copies and case_reports —
 * so that the database plans one join for the whole period (hash joins over the tables, or index
 * lookups, whichever it finds cheaper) instead of one query per chunk of cases and copy addresses
 * (PostgreSQL: 120 round trips with thousands of parameters each for a week at 1M reports). Rows of
 * a case that changed status between the statements are left out: only the cases read count.
 */
async function readCopies(db: Db, f: CaseFilterOptions, ids: Set<number>, withReports: boolean): Promise<{ copies: CopyRow[]; reports: ReportRow[]; confirmations: Map<number, { n: number; at: string }> }> {
  const { where, values } = caseFilter(f);
  const inCases = `IN (SELECT id FROM cases WHERE ${where})`;
  // The reports: postedAt (for the copy's time) always; the evidence only for a public report.
  const cols = withReports ? 'r.id, cr.copy_url, k.case_id, r.created_at, r.category, r.verdict, r.score, r.title, r.passages, r.unit_data' : 'r.id, cr.copy_url, k.case_id, r.unit_data';
  // Asked together: on PostgreSQL each on a connection of its own, at the same time.
  const [copyRows, reportRows, confirmationRows] = await Promise.all([
    db.read.all(`SELECT url, case_id, platform, account_name, account_url, first_seen FROM case_copies WHERE case_id ${inCases}`, values),
    db.read.all(`SELECT ${cols} FROM case_copies k JOIN case_reports cr ON cr.copy_url = k.url JOIN reports r ON r.id = cr.report_id WHERE k.case_id ${inCases}`, values),
    withReports ? db.read.all(`SELECT case_id, COUNT(*) AS n, MAX(at) AS at FROM case_confirmations WHERE case_id ${inCases} GROUP BY case_id`, values) : [],
  ]);
  const copies: CopyRow[] = [];
  for (const k of copyRows) {
    if (!ids.has(Number(k.case_id))) continue;
    copies.push({
      url: String(k.url),
      caseId: Number(k.case_id),
      platform: String(k.platform),
      ...(k.account_name != null ? { account: k.account_url != null ? { name: String(k.account_name), url: String(k.account_url) } : { name: String(k.account_name) } } : {}),
      firstSeen: String(k.first_seen),
    });
  }
  const reports: ReportRow[] = [];
  for (const r of reportRows) {
    if (!ids.has(Number(r.case_id))) continue;
    const unit = r.unit_data;
    reports.push({
      id: Number(r.id),
      copyUrl: String(r.copy_url),
      createdAt: String(r.created_at ?? ''),
      category: String(r.category ?? ''),
      verdict: String(r.verdict ?? ''),
      score: Number(r.score ?? 0),
      title: String(r.title ?? ''),
      passages: String(r.passages ?? '[]'),
      // Only postedAt and engagement are read from the platform fields: parsed only when they hold one.
      unit: typeof unit === 'string' && (unit.includes('"postedAt"') || unit.includes('"engagement"')) ? (JSON.parse(unit) as Record<string, any>) : undefined,
    });
  }
  const confirmations = new Map<number, { n: number; at: string }>();
  for (const c of confirmationRows) if (ids.has(Number(c.case_id))) confirmations.set(Number(c.case_id), { n: Number(c.n), at: String(c.at) });
  reports.sort((a, b) => a.id - b.id);
  return { copies, reports, confirmations };
}

/** The earliest postedAt with an ISO time among a copy's reports (else the first one shown). */
function postedOf(reports: ReportRow[]): { shown: string; iso?: string } | undefined {
  let best: { shown: string; iso?: string } | undefined;
  for (const r of reports) {
    const p = r.unit?.postedAt as { shown?: string; iso?: string } | undefined;
    if (!p || typeof p.shown !== 'string') continue;
    const iso = p.iso ? isoOf(p.iso) : undefined;
    if (iso && (!best?.iso || iso < best.iso)) best = { shown: p.shown, iso };
    else if (!best) best = { shown: p.shown };
  }
  return best;
}

const copyTime = (firstSeen: string, posted?: { iso?: string }) => posted?.iso ?? firstSeen;

/** The copies of live cases as the signals read them (reviewers' endpoint: any statuses, optional window). */
export async function signalCopies(db: Db, f: CaseFilterOptions): Promise<SignalCopy[]> {
  const cases = await readCases(db, f);
  const byId = new Map(cases.map((c) => [Number(c.id), c]));
  const { copies, reports } = await readCopies(db, f, new Set(byId.keys()), false);
  const perCopy = groupBy(reports, (r) => r.copyUrl);
  return copies.map((k) => {
    const c = byId.get(k.caseId)!;
    return {
      case: k.caseId,
      outlet: String(c.outlet),
      originalUrl: String(c.original_url),
      originalId: String(c.original_id),
      url: k.url,
      platform: k.platform,
      ...(k.account ? { account: k.account.name } : {}),
      at: copyTime(k.firstSeen, postedOf(perCopy.get(k.url) ?? [])),
    };
  });
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

const minutes = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 6000) / 10;
const DAY = 86_400_000;

/** Everything a public report shows, for the confirmed cases first seen in the period. */
export async function readPublicReport(db: Db, period: Period, signalOptions: SignalOptions): Promise<PublicReport> {
  const filter = { statuses: ['confirmed'], from: period.from, to: period.to };
  const caseRows = await readCases(db, filter);
  const { copies, reports, confirmations } = await readCopies(db, filter, new Set(caseRows.map((c) => Number(c.id))), true);
  const reportsOf = groupBy(reports, (r) => r.copyUrl);
  const copiesOf = groupBy(copies, (k) => String(k.caseId));

  const cases: PublicCase[] = caseRows.map((c) => {
    const id = Number(c.id);
    const built = (copiesOf.get(String(id)) ?? []).map((k) => {
      const rs = reportsOf.get(k.url) ?? [];
      const posted = postedOf(rs);
      const categories = new Map<string, number>();
      const verdicts = new Map<string, number>();
      const seen = new Set<string>();
      const passages: PublicCopy['passages'] = [];
      let omitted = 0;
      let engagement: { readAt: number; id: number; value: Record<string, unknown> } | undefined;
      let bestScore = 0;
      for (const r of rs) {
        inc(categories, r.category);
        inc(verdicts, r.verdict || '(none)');
        if (r.score > bestScore) bestScore = r.score;
        for (const p of JSON.parse(r.passages) as Array<{ pageText: string; originalText?: string }>) {
          const key = `${p.pageText}\u0000${p.originalText ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (passages.length < MAX_PASSAGES) passages.push(p.originalText !== undefined ? { pageText: p.pageText, originalText: p.originalText } : { pageText: p.pageText });
          else omitted++;
        }
        // The figures read last (by time, not by how the time was written), the later report on a tie.
        const e = r.unit?.engagement as { readAt: string } | undefined;
        const readAt = e ? Date.parse(e.readAt) : NaN;
        if (e && (!engagement || readAt > engagement.readAt || (readAt === engagement.readAt && r.id > engagement.id))) engagement = { readAt, id: r.id, value: e };
      }
      const copy: Omit<PublicCopy, 'minutesAfterFirst'> = {
        url: k.url,
        platform: k.platform,
        ...(k.account ? { account: k.account } : {}),
        title: rs[0]?.title ?? '',
        firstSeen: k.firstSeen,
        ...(posted ? { postedAt: posted } : {}),
        at: copyTime(k.firstSeen, posted),
        reports: rs.length,
        categories: sortedRecord(categories),
        verdicts: sortedRecord(verdicts),
        bestScore,
        ...(engagement ? { engagement: engagement.value } : {}),
        passages,
        passagesOmitted: omitted,
      };
      return copy;
    });
    built.sort((a, b) => cmp(a.at, b.at) || cmp(a.url, b.url));
    const first = built[0]?.at ?? String(c.first_seen);
    const withLag: PublicCopy[] = built.map((k) => {
      const { passages, passagesOmitted, ...rest } = k;
      return { ...rest, minutesAfterFirst: minutes(first, k.at), passages, passagesOmitted };
    });
    const conf = confirmations.get(id);
    return {
      id,
      outlet: String(c.outlet),
      original: { url: String(c.original_url), id: String(c.original_id) },
      firstSeen: String(c.first_seen),
      confirmedAt: conf?.at ?? '',
      confirmations: conf?.n ?? 0,
      copies: withLag,
      reports: withLag.reduce((n, k) => n + k.reports, 0),
      platforms: [...new Set(withLag.map((k) => k.platform))].sort(cmp),
      accounts: new Set(withLag.filter((k) => k.account).map((k) => `${k.platform}\u0000${k.account!.name}`)).size,
      spreadMinutes: withLag.length ? minutes(withLag[0]!.at, withLag[withLag.length - 1]!.at) : 0,
    };
  });

  // Per platform, outlet, original and account.
  const allCopies = cases.flatMap((c) => c.copies.map((k) => ({ c, k })));
  const platforms = new Map<string, { copies: number; cases: Set<number>; reports: number }>();
  const outlets = new Map<string, { cases: Set<number>; copies: number }>();
  const originals = new Map<string, { outlet: string; url: string; id: string; cases: Set<number>; copies: number; accounts: Set<string>; reports: number; platforms: Set<string> }>();
  const accounts = new Map<string, PublicReport['accounts'][number] & { caseSet: Set<number>; outletSet: Set<string> }>();
  for (const { c, k } of allCopies) {
    const p = platforms.get(k.platform) ?? { copies: 0, cases: new Set(), reports: 0 };
    p.copies++;
    p.cases.add(c.id);
    p.reports += k.reports;
    platforms.set(k.platform, p);
    const o = outlets.get(c.outlet) ?? { cases: new Set(), copies: 0 };
    o.cases.add(c.id);
    o.copies++;
    outlets.set(c.outlet, o);
    const originalKey = `${c.outlet}\u0000${c.original.url ? caseUrl(c.original.url) : `id:${c.original.id}`}`;
    const g = originals.get(originalKey) ?? { outlet: c.outlet, url: c.original.url, id: c.original.id, cases: new Set(), copies: 0, accounts: new Set(), reports: 0, platforms: new Set() };
    g.cases.add(c.id);
    g.copies++;
    g.reports += k.reports;
    g.platforms.add(k.platform);
    if (k.account) g.accounts.add(`${k.platform}\u0000${k.account.name}`);
    originals.set(originalKey, g);
    if (k.account) {
      const key = `${k.platform}\u0000${k.account.name}`;
      let a = accounts.get(key);
      if (!a) {
        a = { platform: k.platform, name: k.account.name, copies: 0, cases: [], outlets: [], uncreditedReports: 0, firstCopy: k.at, lastCopy: k.at, caseSet: new Set(), outletSet: new Set() };
        accounts.set(key, a);
      }
      if (k.account.url && (a.url === undefined || k.account.url < a.url)) a.url = k.account.url;
      a.copies++;
      a.caseSet.add(c.id);
      a.outletSet.add(c.outlet);
      a.uncreditedReports += k.categories.uncredited ?? 0;
      if (k.at < a.firstCopy) a.firstCopy = k.at;
      if (k.at > a.lastCopy) a.lastCopy = k.at;
    }
  }
  const totalCopies = allCopies.length;

  // Copies per day of the period (by their time); those before or after it counted apart.
  const days: Array<{ date: string; copies: number }> = [];
  for (let t = Date.parse(period.from); t < Date.parse(period.to); t += DAY) days.push({ date: new Date(t).toISOString().slice(0, 10), copies: 0 });
  const dayIndex = new Map(days.map((d, i) => [d.date, i]));
  let before = 0;
  let after = 0;
  for (const { k } of allCopies) {
    if (k.at < period.from) before++;
    else if (k.at >= period.to) after++;
    else days[dayIndex.get(k.at.slice(0, 10))!]!.copies++;
  }

  const signals = findSignals(
    allCopies.map(({ c, k }) => ({
      case: c.id,
      outlet: c.outlet,
      originalUrl: c.original.url,
      originalId: c.original.id,
      url: k.url,
      platform: k.platform,
      ...(k.account ? { account: k.account.name } : {}),
      at: k.at,
    })),
    signalOptions,
  );

  return {
    format: PUBLIC_REPORT_FORMAT,
    version: PUBLIC_REPORT_VERSION,
    period,
    totals: {
      cases: cases.length,
      originals: originals.size,
      outlets: outlets.size,
      copies: totalCopies,
      reports: cases.reduce((n, c) => n + c.reports, 0),
      accounts: accounts.size,
      platforms: platforms.size,
    },
    perDay: { days, before, after },
    platforms: [...platforms]
      .map(([platform, p]) => ({ platform, copies: p.copies, share: Math.round((p.copies / totalCopies) * 1000) / 10, cases: p.cases.size, reports: p.reports }))
      .sort((a, b) => b.copies - a.copies || cmp(a.platform, b.platform)),
    outlets: [...outlets].map(([outlet, o]) => ({ outlet, cases: o.cases.size, copies: o.copies })).sort((a, b) => b.copies - a.copies || cmp(a.outlet, b.outlet)),
    originals: [...originals.values()]
      .map((g) => ({
        outlet: g.outlet,
        url: g.url,
        id: g.id,
        cases: [...g.cases].sort((a, b) => a - b),
        copies: g.copies,
        accounts: g.accounts.size,
        reports: g.reports,
        platforms: [...g.platforms].sort(cmp),
      }))
      .sort((a, b) => b.copies - a.copies || b.accounts - a.accounts || cmp(a.outlet, b.outlet) || cmp(a.url, b.url) || cmp(a.id, b.id)),
    accounts: [...accounts.values()]
      .map(({ caseSet, outletSet, ...a }) => ({ ...a, cases: [...caseSet].sort((x, y) => x - y), outlets: [...outletSet].sort(cmp) }))
      .map((a) => ({ platform: a.platform, name: a.name, ...(a.url !== undefined ? { url: a.url } : {}), copies: a.copies, cases: a.cases, outlets: a.outlets, uncreditedReports: a.uncreditedReports, firstCopy: a.firstCopy, lastCopy: a.lastCopy }))
      .sort((a, b) => b.copies - a.copies || cmp(a.platform, b.platform) || cmp(a.name, b.name)),
    signals,
    cases,
  };
}
