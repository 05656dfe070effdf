/**
 * The report body the extension posts, and its validation. Every field is
 * required, unknown fields are refused, and the first problem is returned as
 * "field X: reason" for the 400 answer.
 *
 * Text is refused, never rewritten: what is stored is exactly the body the
 * reader agreed to send. So text with control characters, broken surrogate
 * pairs or bidi control characters (which can make a stored address or name
 * display as another: bidi-controls.ts) is refused with 400; the extension
 * removes all of these when it saves a report, so it never sends them.
 */
import { createHash } from 'node:crypto';
import { BIDI_CONTROL } from '../reports/bidi-controls';

export const PLATFORMS = ['wechat', 'weibo', 'douyin', 'bilibili', 'xigua', 'news', 'other'] as const;
export const CATEGORIES = ['uncredited', 'commentary', 'translated', 'other'] as const;
export const STATUSES = ['new', 'confirmed', 'rejected'] as const;
export type Platform = (typeof PLATFORMS)[number];
export type Category = (typeof CATEGORIES)[number];
export type Status = (typeof STATUSES)[number];

export interface Passage {
  pageText: string;
  originalText?: string;
}

export interface ReportInput {
  url: string;
  title: string;
  platform: Platform;
  createdAt: string;
  category: Category;
  note: string;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  score: number;
  passages: Passage[];
}

/** A stored report as the admin API returns it. */
export interface StoredReport extends ReportInput {
  id: number;
  receivedAt: string;
  reporter: string;
  status: Status;
}

export const MAX_BODY_BYTES = 256 * 1024;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

type Check = (v: unknown) => string | undefined;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text =
  (max: number): Check =>
  (v) =>
    typeof v !== 'string'
      ? 'must be a string'
      : v.length > max
        ? `longer than ${max} characters`
        : CONTROL.test(v)
          ? 'contains a control character or a broken surrogate pair'
          : BIDI_CONTROL.test(v)
            ? 'contains a bidirectional control character (U+202A-202E, U+2066-2069, U+200E, U+200F or U+061C)'
            : undefined;

const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;

function httpUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'must be an http(s) address';
  } catch {
    return 'must be an absolute http(s) address';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
export function isIsoDate(v: string): boolean {
  return ISO_DATE.test(v) && !Number.isNaN(Date.parse(v));
}

const FIELDS: Record<keyof ReportInput, Check> = {
  url: (v) => text(2048)(v) ?? httpUrl(v as string),
  title: text(1000),
  platform: oneOf(PLATFORMS),
  createdAt: (v) => (typeof v === 'string' && isIsoDate(v) ? undefined : 'must be an ISO 8601 date'),
  category: oneOf(CATEGORIES),
  note: text(4000),
  verdict: (v) => text(32)(v) ?? (/^[a-z-]*$/.test(v as string) ? undefined : 'must be lower-case letters'),
  outlet: text(200),
  originalId: text(500),
  originalUrl: (v) => text(2048)(v) ?? ((v as string) === '' ? undefined : httpUrl(v as string)),
  score: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1 ? undefined : 'must be a number from 0 to 1'),
  passages: (v) => (Array.isArray(v) ? (v.length > 50 ? 'more than 50 passages' : undefined) : 'must be an array'),
};
const FIELD_NAMES = Object.keys(FIELDS) as (keyof ReportInput)[];

function checkPassage(p: unknown, i: number): string | undefined {
  const where = `field passages[${i}]`;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return `${where}: must be an object`;
  const o = p as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'pageText' && k !== 'originalText') return `${where}.${k}: unknown field`;
  if (o.pageText === undefined) return `${where}.pageText: missing`;
  const e = text(2000)(o.pageText);
  if (e) return `${where}.pageText: ${e}`;
  if (o.originalText !== undefined) {
    const e2 = text(2000)(o.originalText);
    if (e2) return `${where}.originalText: ${e2}`;
  }
  return undefined;
}

/** Validates a parsed JSON body: the report, or an error message "field X: reason". */
export function validateReport(body: unknown): ReportInput | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body: must be a JSON object';
  const o = body as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!Object.hasOwn(FIELDS, k)) return `field ${k}: unknown field`;
  for (const k of FIELD_NAMES) {
    if (o[k] === undefined) return `field ${k}: missing`;
    const e = FIELDS[k](o[k]);
    if (e) return `field ${k}: ${e}`;
  }
  const passages = o.passages as unknown[];
  for (let i = 0; i < passages.length; i++) {
    const e = checkPassage(passages[i], i);
    if (e) return e;
  }
  const report = Object.fromEntries(FIELD_NAMES.map((k) => [k, o[k]])) as unknown as ReportInput;
  report.passages = passages.map((p) => {
    const { pageText, originalText } = p as Passage;
    return originalText === undefined ? { pageText } : { pageText, originalText };
  });
  return report;
}

/** SHA-256 of the report in a fixed key order: the same report hashes the same whatever its JSON layout. */
export function reportHash(r: ReportInput): string {
  const canonical = JSON.stringify(FIELD_NAMES.map((k) => r[k]));
  return createHash('sha256').update(canonical).digest('hex');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
