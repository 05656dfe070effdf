/**
 * Exports of stored reports: CSV for spreadsheets and originals JSONL for the
 * index builder (the format lib/cli/read-originals.ts reads).
 */
import type { StoredReport } from './schema';
import type { OriginalInput } from '../index/types';
import { csvCell } from '../reports/csv-cell';

export const CSV_COLUMNS = [
  'id', 'receivedAt', 'reporter', 'status', 'url', 'title', 'platform', 'createdAt', 'category', 'note',
  'verdict', 'outlet', 'originalId', 'originalUrl', 'score', 'passages',
  // Platform reports (empty otherwise): the account, the post time as shown and as ISO, the figures as shown, when they were read, the unit's text.
  'account', 'accountUrl', 'postedAt', 'postedAtIso', 'reposts', 'comments', 'likes', 'views', 'readAt', 'unitText',
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(',') + '\r\n';

/** Starts every CSV download: spreadsheets read a file that begins with it as UTF-8 (Chinese text shows as such). */
export const UTF8_BOM = '\uFEFF';
function cellOf(r: StoredReport, c: (typeof CSV_COLUMNS)[number]): unknown {
  switch (c) {
    case 'passages':
      return r.passages.length;
    case 'account':
      return r.account?.name ?? '';
    case 'accountUrl':
      return r.account?.url ?? '';
    case 'postedAt':
      return r.postedAt?.shown ?? '';
    case 'postedAtIso':
      return r.postedAt?.iso ?? '';
    case 'reposts':
    case 'comments':
    case 'likes':
    case 'views':
      return r.engagement?.[c]?.shown ?? '';
    case 'readAt':
      return r.engagement?.readAt ?? '';
    case 'unitText':
      return r.unitText ?? '';
    default:
      return r[c];
  }
}

/** CSV rows (no header) of some reports. */
export function csvRows(reports: StoredReport[]): string {
  return reports.map((r) => CSV_COLUMNS.map((c) => csvCell(cellOf(r, c))).join(',') + '\r\n').join('');
}

export function reportsToCsv(reports: StoredReport[]): string {
  return UTF8_BOM + CSV_HEADER + csvRows(reports);
}

/** One originals line, as the index builder reads it. */
export type OriginalLine = OriginalInput;

/**
 * Confirmed reports as originals, one per original (keyed by originalId, else
 * originalUrl). A report carries only passages of the original, not the whole
 * article, nor its title or date: the text is the distinct original-side
 * passages joined by blank lines, the title is the reporting page's title and
 * published is the earliest report's date. Reports without an original URL or
 * without original-side text are skipped, and so are reports about an original
 * the index already holds (they carry its id): a passage-only copy must never
 * replace the full original in the next build.
 */
export function reportsToOriginals(reports: StoredReport[]): OriginalLine[] {
  const byId = new Map<string, { line: OriginalLine; texts: string[] }>();
  for (const r of reports) {
    if (r.status !== 'confirmed' || !r.originalUrl || r.originalId) continue;
    const texts = r.passages.map((p) => p.originalText?.trim() ?? '').filter(Boolean);
    if (!texts.length) continue;
    const id = r.originalId || r.originalUrl;
    let entry = byId.get(id);
    if (!entry) {
      entry = { line: { id, outlet: r.outlet, url: r.originalUrl, title: r.title, published: r.createdAt.slice(0, 10), lang: 'en', text: '' }, texts: [] };
      byId.set(id, entry);
    }
    if (r.createdAt.slice(0, 10) < entry.line.published) entry.line.published = r.createdAt.slice(0, 10);
    for (const t of texts) if (!entry.texts.includes(t)) entry.texts.push(t);
  }
  return [...byId.values()].map(({ line, texts }) => {
    const text = texts.join('\n\n');
    return { ...line, text, lang: /[\u3400-\u9fff]/.test(text) ? 'zh' : 'en' };
  });
}

/**
 * The addresses of originals that confirmed reports name and the index does
 * not hold yet (reports without an original id), one per line: the input of
 * `npm run -s index -- build|delta --in FILE.txt`, which fetches and extracts
 * each article.
 */
export function reportsToOriginalUrls(reports: StoredReport[]): string {
  const urls = new Set<string>();
  for (const r of reports) if (r.status === 'confirmed' && r.originalUrl && !r.originalId) urls.add(r.originalUrl);
  return [...urls].map((u) => u + '\n').join('');
}

export function originalsToJsonl(lines: OriginalLine[]): string {
  return lines.map((l) => JSON.stringify(l) + '\n').join('');
}
