/**
 * The report body the extension posts, and its validation. Every field is
 * required but the platform fields (account, postedAt, engagement, unitText:
 * optional, checked when present), unknown fields are refused, and the first
 * problem is returned as "field X: reason" for the 400 answer.
 *
 * Text is refused, never rewritten: what is stored is exactly the body the
 * reader agreed to send. So text with control characters, broken surrogate
 * pairs or bidi control characters (which can make a stored address or name
 * display as another: bidi-controls.ts) is refused with 400; the extension
 * removes all of these when it saves a report, so it never sends them.
 */
import { createHash } from 'node:crypto';
import { BIDI_CONTROL } from '../reports/bidi-controls';

export const PLATFORMS = ['wechat', 'weibo', 'douyin', 'bilibili', 'xigua', 'toutiao', 'x', 'news', 'other'] as const;
export const CATEGORIES = ['uncredited', 'commentary', 'translated', 'other'] as const;
export const STATUSES = ['new', 'confirmed', 'rejected'] as const;
export type Platform = (typeof PLATFORMS)[number];
export type Category = (typeof CATEGORIES)[number];
export type Status = (typeof STATUSES)[number];

export interface Passage {
  pageText: string;
  originalText?: string;
}

/** A figure as the page showed it ("1.2万") and its number when known. */
export interface Figure {
  shown: string;
  value?: number;
}

/**
 * Optional fields of a report made on a platform page (a post, a video, an
 * article): the account that posted it, the post time as shown, the figures
 * as shown with the time they were read, and the unit's text. A report
 * without them is valid as before.
 */
export interface UnitFields {
  account?: { name: string; url?: string };
  postedAt?: { shown: string; iso?: string };
  engagement?: { reposts?: Figure; comments?: Figure; likes?: Figure; views?: Figure; readAt: string };
  unitText?: string;
  /** When the original was published, as the reader's index knows it (an ISO date, or a date and time). */
  originalPublished?: string;
}

export interface ReportInput extends UnitFields {
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

const FIELDS: Record<Exclude<keyof ReportInput, keyof UnitFields>, Check> = {
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
const FIELD_NAMES = Object.keys(FIELDS) as (keyof typeof FIELDS)[];

/** An object whose keys are all among `keys` (the first unknown one is the error). */
function objectOf(v: unknown, keys: readonly string[]): Record<string, unknown> | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'must be an object';
  for (const k of Object.keys(v)) if (!keys.includes(k)) return `${k}: unknown field`;
  return v as Record<string, unknown>;
}

/** Checks a nested field: `.name: reason` or undefined. */
function nested(o: Record<string, unknown>, name: string, check: Check, required: boolean): string | undefined {
  if (o[name] === undefined) return required ? `${name}: missing` : undefined;
  const e = check(o[name]);
  return e ? `${name}: ${e}` : undefined;
}

const nonEmpty =
  (max: number): Check =>
  (v) =>
    text(max)(v) ?? ((v as string).trim() ? undefined : 'must not be empty');
const isoDate: Check = (v) => (typeof v === 'string' && isIsoDate(v) ? undefined : 'must be an ISO 8601 date');
const figure: Check = (v) => {
  const o = objectOf(v, ['shown', 'value']);
  if (typeof o === 'string') return o;
  return (
    nested(o, 'shown', nonEmpty(40), true) ??
    nested(o, 'value', (x) => (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? undefined : 'must be a whole number from 0'), false)
  );
};
export const FIGURE_NAMES = ['reposts', 'comments', 'likes', 'views'] as const;

/** The optional fields of a platform report and their checks (nested errors read "field engagement.likes.shown: …"). */
const OPTIONAL: Record<keyof UnitFields, Check> = {
  account: (v) => {
    const o = objectOf(v, ['name', 'url']);
    if (typeof o === 'string') return o;
    return nested(o, 'name', nonEmpty(200), true) ?? nested(o, 'url', (u) => text(2048)(u) ?? httpUrl(u as string), false);
  },
  postedAt: (v) => {
    const o = objectOf(v, ['shown', 'iso']);
    if (typeof o === 'string') return o;
    return nested(o, 'shown', nonEmpty(100), true) ?? nested(o, 'iso', isoDate, false);
  },
  engagement: (v) => {
    const o = objectOf(v, [...FIGURE_NAMES, 'readAt']);
    if (typeof o === 'string') return o;
    for (const k of FIGURE_NAMES) {
      const e = nested(o, k, figure, false);
      if (e) return e;
    }
    return nested(o, 'readAt', isoDate, true);
  },
  unitText: nonEmpty(20000),
  originalPublished: isoDate,
};
const OPTIONAL_NAMES = Object.keys(OPTIONAL) as (keyof UnitFields)[];

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
  for (const k of Object.keys(o)) if (!Object.hasOwn(FIELDS, k) && !Object.hasOwn(OPTIONAL, k)) return `field ${k}: unknown field`;
  for (const k of FIELD_NAMES) {
    if (o[k] === undefined) return `field ${k}: missing`;
    const e = FIELDS[k](o[k]);
    if (e) return `field ${k}: ${e}`;
  }
  for (const k of OPTIONAL_NAMES) {
    if (o[k] === undefined) continue;
    const e = OPTIONAL[k](o[k]);
    if (e) return `field ${k}${/^\w+: /.test(e) ? '.' : ': '}${e}`;
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
  Object.assign(report, canonicalUnit(o as UnitFields));
  return report;
}

/** The platform fields present, each with its keys in a fixed order (validated input). */
export function canonicalUnit(o: UnitFields): UnitFields {
  const out: UnitFields = {};
  if (o.account) out.account = { name: o.account.name, ...(o.account.url !== undefined ? { url: o.account.url } : {}) };
  if (o.postedAt) out.postedAt = { shown: o.postedAt.shown, ...(o.postedAt.iso !== undefined ? { iso: o.postedAt.iso } : {}) };
  if (o.engagement) {
    const e: Record<string, unknown> = {};
    for (const k of FIGURE_NAMES) {
      const f = o.engagement[k];
      if (f) e[k] = { shown: f.shown, ...(f.value !== undefined ? { value: f.value } : {}) };
    }
    e.readAt = o.engagement.readAt;
    out.engagement = e as unknown as UnitFields['engagement'];
  }
  if (o.unitText !== undefined) out.unitText = o.unitText;
  if (o.originalPublished !== undefined) out.originalPublished = o.originalPublished;
  return out;
}

/**
 * SHA-256 of the report in a fixed key order: the same report hashes the same
 * whatever its JSON layout. The platform fields count only when present, so a
 * report without them hashes as it did before they existed.
 */
export function reportHash(r: ReportInput): string {
  const base: unknown[] = FIELD_NAMES.map((k) => r[k]);
  const unit = canonicalUnit(r);
  const canonical = JSON.stringify(Object.keys(unit).length ? [...base, OPTIONAL_NAMES.map((k) => unit[k] ?? null)] : base);
  return createHash('sha256').update(canonical).digest('hex');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
