/**
 * Export of the reader's reports as JSON (re-importable) and CSV, and import
 * of the JSON without duplicates (a report is the same report when its uid is).
 * Imported text is cleaned as the reader's own reports are (no control or bidi
 * control characters): a file may come from someone else.
 */
import type { Platform } from '../extract/page-meta';
import { REPORT_CATEGORIES, REPORT_STATUSES, type Report, type ReportsDb } from '../store/reports-db';
import { csvCell } from './csv-cell';
import { cleanText, LIMITS, unitFields, type ReportUnitFields } from './report-body';

export const EXPORT_FORMAT = 'provenance-reports';
const PLATFORMS: readonly Platform[] = ['wechat', 'weibo', 'douyin', 'bilibili', 'xigua', 'toutiao', 'x', 'news', 'other'];
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The exported form of a report: no database id, no outbox bookkeeping. */
function exported(r: Report) {
  return {
    uid: r.uid,
    createdAt: r.createdAt,
    url: r.url,
    title: r.title,
    platform: r.platform,
    verdict: r.verdict,
    outlet: r.outlet,
    originalId: r.originalId,
    originalUrl: r.originalUrl,
    score: r.score,
    passages: r.passages,
    category: r.category,
    note: r.note,
    status: r.status,
    ...(r.serverId !== undefined ? { serverId: r.serverId } : {}),
    ...(r.sentAt ? { sentAt: r.sentAt } : {}),
    ...(r.status === 'rejected' && r.error ? { error: r.error } : {}),
    ...unitFields(r),
  };
}

export function exportJson(reports: Report[], now = new Date()): string {
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString(), reports: reports.map(exported) }, null, 2) + '\n';
}

const str = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.length <= max;

/** One imported report, checked field by field; throws with the reason. */
function validReport(v: unknown): Report {
  if (!v || typeof v !== 'object') throw new Error('not an object');
  const o = v as Record<string, unknown>;
  if (!str(o.uid) || !UID.test(o.uid)) throw new Error('missing or malformed uid');
  if (!str(o.createdAt) || Number.isNaN(Date.parse(o.createdAt))) throw new Error('bad createdAt');
  for (const k of ['url', 'verdict', 'outlet', 'originalId', 'originalUrl'] as const) if (!str(o[k], 4000)) throw new Error(`bad ${k}`);
  if (!str(o.title, LIMITS.title)) throw new Error('bad title');
  if (!str(o.note, LIMITS.note)) throw new Error('bad note');
  if (!PLATFORMS.includes(o.platform as Platform)) throw new Error('bad platform');
  if (!REPORT_CATEGORIES.includes(o.category as Report['category'])) throw new Error('bad category');
  if (!REPORT_STATUSES.includes(o.status as Report['status'])) throw new Error('bad status');
  if (typeof o.score !== 'number' || !(o.score >= 0 && o.score <= 1)) throw new Error('bad score');
  if (!Array.isArray(o.passages) || o.passages.length > LIMITS.passages) throw new Error('bad passages');
  const passages = o.passages.map((p: unknown) => {
    const q = p as Record<string, unknown> | null;
    if (!q || !str(q.pageText, LIMITS.passageChars) || (q.originalText !== undefined && !str(q.originalText, LIMITS.passageChars))) throw new Error('bad passage');
    return q.originalText === undefined ? { pageText: cleanText(q.pageText) } : { pageText: cleanText(q.pageText), originalText: cleanText(q.originalText as string) };
  });
  const r: Report = {
    uid: o.uid.toLowerCase(),
    createdAt: o.createdAt,
    url: cleanText(o.url as string),
    title: cleanText(o.title),
    platform: o.platform as Platform,
    verdict: cleanText(o.verdict as string),
    outlet: cleanText(o.outlet as string),
    originalId: cleanText(o.originalId as string),
    originalUrl: cleanText(o.originalUrl as string),
    score: o.score,
    passages,
    category: o.category as Report['category'],
    note: cleanText(o.note),
    // Agreement to send is given in this browser: a report that was waiting elsewhere comes back local.
    status: o.status === 'queued' ? 'local' : (o.status as Report['status']),
    // Platform fields (account, post time, figures, unit text): kept when well formed, cleaned and capped.
    ...unitFields(o as ReportUnitFields),
  };
  if (r.status === 'sent' && typeof o.serverId === 'number') r.serverId = o.serverId;
  if (r.status === 'sent' && str(o.sentAt)) r.sentAt = o.sentAt;
  if (r.status === 'rejected' && str(o.error, 1000)) r.error = cleanText(o.error);
  return r;
}

export interface ParsedImport {
  reports: Report[];
  invalid: Array<{ index: number; reason: string }>;
}

export function parseReportsJson(text: string): ParsedImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; version?: unknown; reports?: unknown };
  if (!d || d.format !== EXPORT_FORMAT) throw new Error(`not a reports export (format is not "${EXPORT_FORMAT}")`);
  if (d.version !== 1) throw new Error(`unsupported version: ${String(d.version)}`);
  if (!Array.isArray(d.reports)) throw new Error('no reports list');
  const out: ParsedImport = { reports: [], invalid: [] };
  d.reports.forEach((v, index) => {
    try {
      out.reports.push(validReport(v));
    } catch (e) {
      out.invalid.push({ index, reason: (e as Error).message });
    }
  });
  return out;
}

export interface ImportResult {
  added: number;
  duplicates: number;
  invalid: ParsedImport['invalid'];
}

/** Adds the reports whose uid is not there yet (also once within the file), in one transaction. */
export async function importReports(db: ReportsDb, text: string): Promise<ImportResult> {
  const parsed = parseReportsJson(text);
  return db.transaction('rw', db.reports, async () => {
    const seen = new Set<string>();
    let added = 0;
    let duplicates = 0;
    for (const r of parsed.reports) {
      if (seen.has(r.uid) || (await db.reports.where('uid').equals(r.uid).count()) > 0) {
        duplicates++;
        continue;
      }
      seen.add(r.uid);
      await db.reports.add(r);
      added++;
    }
    return { added, duplicates, invalid: parsed.invalid };
  });
}

export const CSV_COLUMNS = [
  'uid', 'createdAt', 'status', 'serverId', 'platform', 'category', 'url', 'title', 'verdict',
  'outlet', 'originalId', 'originalUrl', 'score', 'note', 'passages', 'error',
] as const;

export function exportCsv(reports: Report[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of reports) {
    const row: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>> = { ...r, passages: r.passages.length, error: r.status === 'rejected' ? r.error : '' };
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
