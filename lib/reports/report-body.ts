/**
 * The exact JSON body a report is sent as (POST {endpoint}/api/reports), with
 * the server's limits applied. The reader is shown this string and agrees to
 * it; the outbox sends the same string.
 */
import type { Report } from '../store/reports-db';
import { stripBidiControls } from './bidi-controls';

export const LIMITS = { passages: 50, passageChars: 2000, note: 4000, title: 1000, url: 2048, accountName: 200, shownTime: 100, shownFigure: 40, unitText: 20000 } as const;

/**
 * Text as a report carries it: without NUL and other control characters (kept: tab, line breaks),
 * without bidi control characters (bidi-controls.ts), and lone surrogates replaced.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return stripBidiControls(String(s ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A figure as the page showed it ("1.2万") and its number when known. */
export interface ReportFigure {
  shown: string;
  value?: number;
}

/** Engagement figures as shown on a platform page, and when they were read (ISO 8601). */
export interface ReportEngagement {
  reposts?: ReportFigure;
  comments?: ReportFigure;
  likes?: ReportFigure;
  views?: ReportFigure;
  readAt: string;
}

/**
 * What a report made on a platform page (a post, a video, an article of
 * lib/platforms) adds: the account that posted the unit and its address on
 * the platform, the post time as shown (with ISO when known), the figures as
 * shown with the time they were read, and the unit's text. All optional:
 * reports without them are as before.
 */
export interface ReportUnitFields {
  account?: { name: string; url?: string };
  postedAt?: { shown: string; iso?: string };
  engagement?: ReportEngagement;
  unitText?: string;
}

export const FIGURES = ['reposts', 'comments', 'likes', 'views'] as const;

export interface ReportBody extends ReportUnitFields {
  url: string;
  title: string;
  platform: string;
  createdAt: string;
  category: string;
  note: string;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  score: number;
  passages: Array<{ pageText: string; originalText?: string }>;
}

/** At most n code points, without bidi controls (a report stored before they were removed at saving may hold some). */
const cap = (s: string | undefined, n = Infinity) => [...stripBidiControls(s ?? '')].slice(0, n).join('');

/** Page text as a report carries it: cleaned (cleanText), at most n UTF-16 units (the server's measure), never splitting a character. */
function clip(s: string | undefined, n: number): string {
  const t = cleanText(s ?? '');
  if (t.length <= n) return t;
  let out = '';
  for (const ch of t) {
    if (out.length + ch.length > n) break;
    out += ch;
  }
  return out;
}

const httpOnly = (u: string | undefined) => {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && u.length <= LIMITS.url ? clip(u, LIMITS.url) : undefined;
  } catch {
    return undefined;
  }
};
/** ISO 8601 as the server accepts it (a date, or a date and time with its zone), kept as written; else undefined. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const isoOrNone = (s: string | undefined) => (typeof s === 'string' && ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)) ? s : undefined);

/** The platform fields of a report, within the server's limits; only those the report has. */
export function unitFields(r: ReportUnitFields): ReportUnitFields {
  const out: ReportUnitFields = {};
  if (r.account && clip(r.account.name, LIMITS.accountName).trim()) {
    const url = httpOnly(r.account.url);
    out.account = { name: clip(r.account.name, LIMITS.accountName), ...(url ? { url } : {}) };
  }
  if (r.postedAt && clip(r.postedAt.shown, LIMITS.shownTime).trim()) {
    const iso = isoOrNone(r.postedAt.iso);
    out.postedAt = { shown: clip(r.postedAt.shown, LIMITS.shownTime), ...(iso ? { iso } : {}) };
  }
  const readAt = isoOrNone(r.engagement?.readAt);
  if (r.engagement && readAt) {
    const e: ReportEngagement = { readAt };
    for (const k of FIGURES) {
      const f = r.engagement[k];
      if (!f || !clip(f.shown, LIMITS.shownFigure).trim()) continue;
      const value = typeof f.value === 'number' && Number.isSafeInteger(f.value) && f.value >= 0 ? f.value : undefined;
      e[k] = { shown: clip(f.shown, LIMITS.shownFigure), ...(value !== undefined ? { value } : {}) };
    }
    // Keys in one order, whatever order the report held them in.
    out.engagement = Object.fromEntries([...FIGURES.filter((k) => e[k]).map((k) => [k, e[k]]), ['readAt', readAt]]) as unknown as ReportEngagement;
  }
  if (r.unitText && clip(r.unitText, LIMITS.unitText).trim()) out.unitText = clip(r.unitText, LIMITS.unitText);
  return out;
}

export function reportBody(r: Report): ReportBody {
  const score = Number.isFinite(r.score) ? Math.min(1, Math.max(0, r.score)) : 0;
  return {
    url: cap(r.url),
    title: cap(r.title, LIMITS.title),
    platform: r.platform,
    createdAt: new Date(r.createdAt).toISOString(),
    category: r.category,
    note: cap(r.note, LIMITS.note),
    verdict: cap(r.verdict),
    outlet: cap(r.outlet),
    originalId: cap(r.originalId),
    originalUrl: cap(r.originalUrl),
    score,
    passages: r.passages.slice(0, LIMITS.passages).map((p) =>
      p.originalText === undefined ? { pageText: cap(p.pageText, LIMITS.passageChars) } : { pageText: cap(p.pageText, LIMITS.passageChars), originalText: cap(p.originalText, LIMITS.passageChars) },
    ),
    ...unitFields(r),
  };
}

/** The body as the string that is shown and sent. */
export function reportBodyText(r: Report): string {
  return JSON.stringify(reportBody(r), null, 2);
}
