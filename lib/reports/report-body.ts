/**
 * The exact JSON body a report is sent as (POST {endpoint}/api/reports), with
 * the server's limits applied. The reader is shown this string and agrees to
 * it; the outbox sends the same string.
 */
import type { Report } from '../store/reports-db';
import { stripBidiControls } from './bidi-controls';

export const LIMITS = { passages: 50, passageChars: 2000, note: 4000, title: 1000, url: 2048 } as const;

/**
 * Text as a report carries it: without NUL and other control characters (kept: tab, line breaks),
 * without bidi control characters (bidi-controls.ts), and lone surrogates replaced.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return stripBidiControls(String(s ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export interface ReportBody {
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
  };
}

/** The body as the string that is shown and sent. */
export function reportBodyText(r: Report): string {
  return JSON.stringify(reportBody(r), null, 2);
}
