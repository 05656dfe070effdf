/**
 * What the reader does with reports: create, edit, delete, agree to send.
 * Agreeing stores the exact body shown; nothing else moves a report to "queued".
 */
import { PLATFORMS, platformOf, type Platform } from '../extract/page-meta';
import { REPORT_CATEGORIES, type Report, type ReportCategory, type ReportsDb } from '../store/reports-db';
import { cleanText, LIMITS, reportBodyText, unitFields, type ReportUnitFields } from './report-body';

/** What a report form collects; the rest (uid, time, platform, status) is added here. */
/** What the reader is about to report; on a platform page also the account, post time, figures and unit text. */
export interface ReportDraft extends ReportUnitFields {
  url: string;
  title: string;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  score: number;
  passages: Report['passages'];
  category: ReportCategory;
  note: string;
  /** The platform a module recognised on the page (lib/platforms): used when the address names none (a mirror, a saved page). */
  platform?: Platform;
}

/** The address's platform, or the recognised one when the address says only "news" or "other". */
function platformFor(url: string, recognised: Platform | undefined): Platform {
  const byUrl = platformOf(url);
  return (byUrl === 'news' || byUrl === 'other') && recognised && PLATFORMS.includes(recognised) && recognised !== 'news' ? recognised : byUrl;
}

export function newReport(draft: ReportDraft, now = new Date(), uuid = () => crypto.randomUUID()): Report {
  if (!REPORT_CATEGORIES.includes(draft.category)) throw new Error(`unknown category: ${String(draft.category)}`);
  // Every string is cleaned (no control or bidi control characters): page and index text is untrusted.
  const url = cleanText(draft.url);
  // A page's address longer than any server accepts cannot be reported (it could never be sent).
  if (url.length > LIMITS.url) throw new Error(`the page's address is longer than ${LIMITS.url} characters`);
  return {
    uid: uuid(),
    createdAt: now.toISOString(),
    url,
    title: cleanText(draft.title).slice(0, LIMITS.title),
    platform: platformFor(url, draft.platform),
    verdict: cleanText(draft.verdict),
    outlet: cleanText(draft.outlet),
    originalId: cleanText(draft.originalId),
    originalUrl: cleanText(draft.originalUrl),
    score: draft.score,
    passages: draft.passages.slice(0, LIMITS.passages).map((p) => ({
      pageText: cleanText(p.pageText),
      ...(p.originalText !== undefined ? { originalText: cleanText(p.originalText) } : {}),
    })),
    category: draft.category,
    note: cleanText(draft.note).slice(0, LIMITS.note),
    status: 'local',
    ...unitFields(draft),
  };
}

export async function saveReport(db: ReportsDb, draft: ReportDraft): Promise<Report> {
  const r = newReport(draft);
  r.id = await db.reports.add(r);
  return r;
}

export async function getReport(db: ReportsDb, uid: string): Promise<Report | undefined> {
  return db.reports.where('uid').equals(uid).first();
}

/**
 * Changes category and note. A report waiting to be sent (or rejected) goes
 * back to "local": the reader agreed to the old text, so the new one needs
 * their agreement again. A sent report keeps its status (the edit stays local).
 */
export async function editReport(db: ReportsDb, uid: string, edit: { category: ReportCategory; note: string }): Promise<void> {
  if (!REPORT_CATEGORIES.includes(edit.category)) throw new Error(`unknown category: ${String(edit.category)}`);
  await db.transaction('rw', db.reports, async () => {
    const r = await getReport(db, uid);
    if (!r) throw new Error('report not found');
    const changes: Partial<Report> = { category: edit.category, note: cleanText(edit.note).slice(0, LIMITS.note) };
    if (r.status === 'queued' || r.status === 'rejected')
      Object.assign(changes, { status: 'local', consentedBody: undefined, consentedEndpoint: undefined, attempts: undefined, nextAttemptAt: undefined, retryKind: undefined, error: undefined, httpStatus: undefined });
    await db.reports.update(r.id!, changes);
  });
}

export async function deleteReport(db: ReportsDb, uid: string): Promise<void> {
  await db.reports.where('uid').equals(uid).delete();
}

/**
 * The reader agreed to send `shownBody` to `endpointBase`. Refused when the
 * report changed since it was shown, or is not local/rejected.
 */
export async function consentToSend(db: ReportsDb, uid: string, shownBody: string, endpointBase: string): Promise<void> {
  await db.transaction('rw', db.reports, async () => {
    const r = await getReport(db, uid);
    if (!r) throw new Error('report not found');
    if (r.status !== 'local' && r.status !== 'rejected') throw new Error(`report is already ${r.status}`);
    if (reportBodyText(r) !== shownBody) throw new Error('the report changed since it was shown; review it again');
    const consents = (r.consents ?? 0) + 1;
    await db.reports.update(r.id!, {
      status: 'queued',
      consentedBody: shownBody,
      consentedEndpoint: endpointBase,
      consents,
      sendKey: consents === 1 ? r.uid : `${r.uid}.${consents}`,
      attempts: 0,
      nextAttemptAt: 0,
      error: undefined,
      httpStatus: undefined,
      retryKind: undefined,
    });
  });
}

/** "Turn off sending": every report waiting to be sent goes back to local; sending it needs a new agreement. */
export async function withdrawQueued(db: ReportsDb): Promise<number> {
  return db.transaction('rw', db.reports, async () => {
    const queued = await db.reports.where('status').equals('queued').toArray();
    for (const r of queued)
      await db.reports.update(r.id!, { status: 'local', consentedBody: undefined, consentedEndpoint: undefined, attempts: undefined, nextAttemptAt: undefined, retryKind: undefined, error: undefined, httpStatus: undefined });
    return queued.length;
  });
}
