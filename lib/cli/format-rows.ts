/** Output formats of the scan command: JSON, CSV and the terminal table (reports: format-report.ts). */
import { csvCell } from '../reports/csv-cell';

export interface ScanRow {
  file: string;
  /** uncredited, partial, credited, none — or unreadable (see `reason`). */
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  originalTitle: string;
  /** null when the input could not be read. */
  pageCoverage: number | null;
  originalCoverage: number | null;
  credited: boolean | null;
  passages: number | null;
  /** verbatim, rewritten, mixed or translated (empty when nothing matched). */
  reuse: string;
  /** JSON only: the matched passages, page side and original side, with the shared words of rewritten ones. */
  evidence?: EvidenceItem[];
  /** 0–1: how sure the engine is that the page reuses the original (0 for none; null when unreadable). */
  confidence?: number | null;
  /** Visible credit found: how (own-site, partner, link, source-line, byline, mention), what, and where (always visible). */
  creditKind?: string;
  creditEvidence?: string;
  creditStrength?: string;
  /** Without visible credit: a weak signal (metadata, or hidden markup) that names the outlet. */
  weakCreditKind?: string;
  weakCreditEvidence?: string;
  weakCreditStrength?: string;
  /** Reuse without visible credit: why none was found. */
  creditReason?: string;
  /** Unreadable inputs: why. */
  reason?: string;
  /** Translated reuse (reuse "translated"): the page's language and the original's (en, zh-Hans, zh-Hant); empty otherwise. */
  pageLang?: string;
  originalLang?: string;
  /** Reports only: the outlet's name. */
  outletName?: string;
  /** Platform pages (lib/platforms): the unit's place on the page ("2/5"; empty for a page's only unit). */
  unit?: string;
  /** wechat, weibo, douyin, xigua, bilibili, toutiao, x (empty: not a platform page). */
  platform?: string;
  /** article, post or video. */
  unitKind?: string;
  /** The account that posted the unit, and its address on the platform. */
  account?: string;
  accountUrl?: string;
  /** The post time as shown, and as ISO 8601 when the page gives a full date. */
  postedAt?: string;
  postedAtIso?: string;
  /** The figures as shown ({shown, value}) and when they were read. */
  engagement?: { reposts?: Figure; comments?: Figure; likes?: Figure; views?: Figure; readAt: string } | null;
  /** The post this one reposts or quotes; `via`: the reposters between, as the text names them (Weibo's //@ chain), nearest first. */
  repostOf?: { account: string; accountUrl: string; text: string; via?: string[] } | null;
  /** Marks about the text's origin ("original: 原创", "reprint: 转载自 …", "source: 来源：…"). */
  marks?: string[];
  /** The unit's own address, a CSS selector for it, its title. */
  unitUrl?: string;
  unitSelector?: string;
  unitTitle?: string;
  /** How many subtitle tracks the page held for the unit (their text is part of the unit's text). */
  subtitles?: number | null;
}

export interface Figure {
  shown: string;
  value?: number;
}

/** One matched passage as the JSON output gives it. Offsets are UTF-16 offsets in the page's extracted text and in the original's text. */
export interface EvidenceItem {
  kind: 'verbatim' | 'rewritten' | 'translated';
  pageStart: number;
  pageEnd: number;
  pageText: string;
  originalStart?: number;
  originalEnd?: number;
  originalText?: string;
  /** Rewritten passages: the words shared with the original; translated passages (an aligned sentence pair): the words
   * and anchors (numbers, dates, names) that translate each other — as [start, end) offsets within pageText and within originalText. */
  pageShared?: Array<[number, number]>;
  originalShared?: Array<[number, number]>;
  /** Translated passages: the pair's alignment score (0–1; pairs count from 0.55) and the anchors both sentences carry ("n:187000", "d:3-14", "y:zhou qi"). */
  score?: number;
  anchors?: string[];
}

/** The JSON fields in order. Fields are only ever appended, so that readers of older output keep working. */
export const JSON_FIELDS = [
  'file', 'verdict', 'outlet', 'originalId', 'originalUrl', 'originalTitle',
  'pageCoverage', 'originalCoverage', 'credited', 'passages', 'reuse', 'evidence',
  'confidence', 'creditKind', 'creditEvidence', 'creditStrength',
  'weakCreditKind', 'weakCreditEvidence', 'weakCreditStrength', 'creditReason', 'reason',
  'unit', 'platform', 'unitKind', 'account', 'accountUrl', 'postedAt', 'postedAtIso', 'engagement', 'repostOf', 'marks',
  'unitUrl', 'unitSelector', 'unitTitle', 'subtitles',
  'pageLang', 'originalLang',
] as const;
/** CSV has no room for the passages themselves. */
export const CSV_FIELDS = JSON_FIELDS.filter((f) => f !== 'evidence');

/** Fields that are numbers, booleans or objects: null when absent; strings are empty. */
const NULLABLE = new Set<string>(['pageCoverage', 'originalCoverage', 'credited', 'passages', 'confidence', 'engagement', 'repostOf', 'subtitles']);
const LISTS = new Set<string>(['evidence', 'marks']);
const valueOf = (r: ScanRow, f: (typeof JSON_FIELDS)[number]) => r[f] ?? (LISTS.has(f) ? [] : NULLABLE.has(f) ? null : '');

/** "reposts 1.2万 (12000); likes 86; read 2026-…": the figures in one CSV cell. */
export function engagementText(e: ScanRow['engagement']): string {
  if (!e) return '';
  const parts = (['reposts', 'comments', 'likes', 'views'] as const)
    .filter((k) => e[k])
    .map((k) => `${k} ${e[k]!.shown}${e[k]!.value !== undefined && String(e[k]!.value) !== e[k]!.shown.replace(/[,，]/g, '') ? ` (${e[k]!.value})` : ''}`);
  return [...parts, `read ${e.readAt}`].join('; ');
}

/** A CSV cell's value: objects and lists as one line of text. */
function csvValueOf(r: ScanRow, f: (typeof CSV_FIELDS)[number]): unknown {
  if (f === 'engagement') return engagementText(r.engagement);
  if (f === 'repostOf') return r.repostOf ? `${r.repostOf.account}${r.repostOf.via?.length ? ` (via ${r.repostOf.via.join(', ')})` : ''}: ${r.repostOf.text}` : '';
  if (f === 'marks') return (r.marks ?? []).join('; ');
  return valueOf(r, f);
}

/**
 * Untrusted text for one terminal line: control and bidi-override characters
 * become spaces, whitespace runs collapse, and at most n characters remain.
 */
export function oneLine(s: string, n: number): string {
  const chars = [...s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\s]+/g, ' ').trim()];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : chars.join('');
}

/** Display width: East Asian wide characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

export const VERDICTS = ['uncredited', 'partial', 'credited', 'none', 'unreadable'] as const;

/** "3 pages: 1 uncredited, 0 partial, 0 credited, 1 none, 1 unreadable". */
export function summaryOf(rows: ScanRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const verdicts = VERDICTS.map((v) => `${counts.get(v) ?? 0} ${v}`).join(', ');
  // Platform pages give a row per post: count pages and rows apart.
  const pages = new Set(rows.map((r) => r.file)).size;
  if (pages !== rows.length) return `${pages} page${pages === 1 ? '' : 's'}, ${rows.length} rows (one per post, video or article on platform pages): ${verdicts}`;
  return `${rows.length} page${rows.length === 1 ? '' : 's'}: ` + verdicts;
}

const NO_CUT = 100_000;

export function formatRows(rows: ScanRow[], format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return JSON.stringify(rows.map((r) => Object.fromEntries(JSON_FIELDS.map((f) => [f, valueOf(r, f)]))), null, 2) + '\n';
  if (format === 'csv') {
    const lines = [CSV_FIELDS.join(',')];
    for (const r of rows) lines.push(CSV_FIELDS.map((f) => csvCell(csvValueOf(r, f))).join(','));
    return lines.join('\r\n') + '\r\n';
  }
  // The table: addresses and file names whole (to be copied), titles cut.
  const header = ['file', 'verdict', 'outlet', 'original', 'page%', 'orig%', 'conf%', 'credited', 'passages', 'title <url> / reason'];
  const pct = (r: ScanRow, x: number | null | undefined) => (r.verdict === 'unreadable' || (r.verdict === 'none' && !r.originalId) || x == null ? '-' : `${Math.round(x * 100)}`);
  const body = rows.map((r) => [
    oneLine(r.file, NO_CUT) + (r.unit ? `#${r.unit.split('/')[0]}` : '') + (r.platform ? ` (${r.platform}${r.account ? `: ${oneLine(r.account, 24)}` : ''})` : ''),
    r.verdict + (r.reuse && r.reuse !== 'verbatim' && r.verdict !== 'none' ? ` (${r.reuse})` : ''),
    r.outlet || '-',
    r.originalId ? oneLine(r.originalId, NO_CUT) : '-',
    pct(r, r.pageCoverage),
    pct(r, r.originalCoverage),
    pct(r, r.confidence),
    r.credited
      ? oneLine(`yes (${r.creditKind}: ${r.creditEvidence})`, NO_CUT)
      : r.weakCreditKind
        ? oneLine(`no (${r.weakCreditStrength} ${r.weakCreditKind}: ${r.weakCreditEvidence})`, NO_CUT)
        : r.originalId ? 'no' : '-',
    r.passages == null ? '-' : String(r.passages),
    r.verdict === 'unreadable' ? oneLine(r.reason ?? '', NO_CUT) : r.originalId ? `${oneLine(r.originalTitle, 60)} <${oneLine(r.originalUrl, NO_CUT)}>` : '',
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  return [line(header), ...body.map(line), '', summaryOf(rows), ''].join('\n');
}
