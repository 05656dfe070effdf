/** Output formats of the scan command. */
import { csvCell } from '../reports/csv-cell';

export interface ScanRow {
  file: string;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  originalTitle: string;
  pageCoverage: number;
  originalCoverage: number;
  credited: boolean;
  passages: number;
  /** verbatim, rewritten or mixed (empty when nothing matched). */
  reuse: string;
  /** JSON only: the matched passages, page side and original side, with the shared words of rewritten ones. */
  evidence?: EvidenceItem[];
  /** Table only: how the credit was found. */
  creditedBy?: string;
  /** Table only: without visible credit, the page's metadata or hidden markup that names the outlet. */
  weakCredit?: string;
  /** Table only. */
  confidence?: number;
}

/** One matched passage as the JSON output gives it. Offsets are UTF-16 offsets in the page's extracted text and in the original's text. */
export interface EvidenceItem {
  kind: 'verbatim' | 'rewritten';
  pageStart: number;
  pageEnd: number;
  pageText: string;
  originalStart?: number;
  originalEnd?: number;
  originalText?: string;
  /** Rewritten passages: the words shared with the original, as [start, end) offsets within pageText and within originalText. */
  pageShared?: Array<[number, number]>;
  originalShared?: Array<[number, number]>;
}

export const JSON_FIELDS = [
  'file', 'verdict', 'outlet', 'originalId', 'originalUrl', 'originalTitle',
  'pageCoverage', 'originalCoverage', 'credited', 'passages', 'reuse', 'evidence',
] as const;
/** CSV has no room for the passages themselves. */
export const CSV_FIELDS = JSON_FIELDS.filter((f) => f !== 'evidence');

/**
 * Untrusted text for one terminal line: control and bidi-override characters
 * become spaces, whitespace runs collapse, and at most n characters remain.
 */
export function oneLine(s: string, n: number): string {
  const chars = [...s.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\s]+/g, ' ').trim()];
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

export function formatRows(rows: ScanRow[], format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') {
    return JSON.stringify(rows.map((r) => Object.fromEntries(JSON_FIELDS.map((f) => [f, r[f] ?? (f === 'evidence' ? [] : undefined)]))), null, 2) + '\n';
  }
  if (format === 'csv') {
    const lines = [CSV_FIELDS.join(',')];
    for (const r of rows) lines.push(CSV_FIELDS.map((f) => csvCell(r[f])).join(','));
    return lines.join('\r\n') + '\r\n';
  }
  const header = ['file', 'verdict', 'outlet', 'original', 'page%', 'orig%', 'credited', 'passages', 'title / url'];
  const body = rows.map((r) => [
    oneLine(r.file, 48),
    r.verdict + (r.reuse && r.reuse !== 'verbatim' && r.verdict !== 'none' ? ` (${r.reuse})` : ''),
    r.outlet || '-',
    r.originalId || '-',
    r.verdict === 'none' && !r.originalId ? '-' : `${Math.round(r.pageCoverage * 100)}`,
    r.verdict === 'none' && !r.originalId ? '-' : `${Math.round(r.originalCoverage * 100)}`,
    r.credited ? oneLine(`yes (${r.creditedBy})`, 34) : r.weakCredit ? oneLine(`no (${r.weakCredit})`, 34) : r.originalId ? 'no' : '-',
    String(r.passages),
    r.originalId ? oneLine(`${r.originalTitle} <${r.originalUrl}>`, 90) : '',
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const summary = `${rows.length} page${rows.length === 1 ? '' : 's'}: ` + ['uncredited', 'partial', 'credited', 'none'].map((v) => `${counts.get(v) ?? 0} ${v}`).join(', ');
  return [line(header), ...body.map(line), '', summary, ''].join('\n');
}
