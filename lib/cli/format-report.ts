/**
 * The scan as a report an analyst can send: Markdown or a self-contained
 * HTML page. A summary, then one section per page — verdict, original,
 * shares, confidence, the credit found or why none — and its matched passages
 * side by side, page text beside the original's, with the words that a
 * rewritten pair shares marked (bold in Markdown, <mark> in HTML).
 *
 * Every string from a page or the index is untrusted: in HTML it is escaped
 * (and the page carries a Content-Security-Policy that allows no script); in
 * Markdown, HTML's special characters become entities and Markdown's own are
 * backslash-escaped, so that no string can add a link, an image or markup.
 * Only http(s) addresses become links.
 */
import { engagementText, summaryOf, type EvidenceItem, type ScanRow } from './format-rows';

export interface ReportInfo {
  /** When the scan ran (ISO 8601). */
  date: string;
  /** The index ("the bundled starter index", "the index DIR"), and how many originals it holds. */
  index: string;
  originals: number;
  sensitivity: string;
}

interface Piece {
  text: string;
  marked: boolean;
}

/** `text` cut into pieces at the [start, end) ranges, the ranges marked. */
export function markedPieces(text: string, ranges: Array<[number, number]> = []): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(a, at);
    const end = Math.min(b, text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    out.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  // Marked words with only spaces between them are one mark.
  const merged: Piece[] = [];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    const prev = merged[merged.length - 1];
    if (prev?.marked && p.marked) prev.text += p.text;
    else if (prev?.marked && !p.marked && /^[ \t\u3000]+$/.test(p.text) && out[i + 1]?.marked) prev.text += p.text;
    else merged.push({ ...p });
  }
  return merged;
}

/** Control and bidi characters out of untrusted text (they could reorder or hide what is shown). */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');

const pct = (x: number | null | undefined) => (x == null ? '–' : `${Math.round(x * 100)}%`);
const isWebAddress = (u: string) => {
  try {
    const p = new URL(u).protocol;
    return p === 'https:' || p === 'http:';
  } catch {
    return false;
  }
};

const VERDICT_WORDS: Record<string, string> = {
  uncredited: 'likely uncredited copy',
  partial: 'partly reused without credit',
  credited: 'credited reuse',
  none: 'no match in the index',
  unreadable: 'could not be read',
};

const TRANSLATED_WORDS: Record<string, string> = {
  uncredited: 'likely uncredited translation',
  partial: 'partly translated without credit',
  credited: 'credited translation',
};

const LANG_NAMES: Record<string, string> = { en: 'English', zh: 'Chinese', 'zh-hans': 'Chinese (Simplified)', 'zh-hant': 'Chinese (Traditional)', 'zh-cn': 'Chinese (Simplified)', 'zh-tw': 'Chinese (Traditional)', 'zh-hk': 'Chinese (Traditional)' };
const langName = (tag: string | undefined) => (tag ? LANG_NAMES[tag.toLowerCase()] ?? tag : 'an unknown language');

function creditLine(r: ScanRow): string | undefined {
  if (r.verdict === 'none' || r.verdict === 'unreadable') return undefined;
  if (r.credited) return `credited (${r.creditKind}: ${r.creditEvidence})`;
  const weak = r.weakCreditKind ? `; a weak signal only: ${r.weakCreditStrength} ${r.weakCreditKind} (${r.weakCreditEvidence})` : '';
  return `none visible — ${r.creditReason ?? 'no credit found'}${weak}`;
}

interface Facts {
  title: string;
  lines: Array<[string, string, string?]>; // label, text, link
}

function factsOf(r: ScanRow, n: number): Facts {
  const name = r.outletName || r.outlet;
  const where = r.unit ? `${r.file}#${r.unit.split('/')[0]}` : r.file;
  const translated = r.reuse === 'translated' && r.verdict !== 'none' && r.verdict !== 'unreadable';
  const words = translated ? TRANSLATED_WORDS[r.verdict] ?? r.verdict : VERDICT_WORDS[r.verdict] ?? r.verdict;
  const title = `${n}. ${where} — ${words}${r.verdict !== 'none' && r.verdict !== 'unreadable' && name ? ` of ${name}` : ''}`;
  const lines: Facts['lines'] = [['File', r.file]];
  // A unit of a platform page: which one, who posted it, when, how far it went (as shown).
  if (r.platform) {
    lines.push(['Unit', `${r.platform} ${r.unitKind || 'unit'}${r.unit ? ` ${r.unit} on the page` : ''}${r.unitTitle ? `: “${r.unitTitle}”` : ''}`]);
    if (r.unitUrl) lines.push(['Unit address', r.unitUrl, isWebAddress(r.unitUrl) ? r.unitUrl : undefined]);
    if (r.account) lines.push(['Account', r.account]);
    if (r.accountUrl) lines.push(['Account address', r.accountUrl, isWebAddress(r.accountUrl) ? r.accountUrl : undefined]);
    if (r.postedAt) lines.push(['Posted', `${r.postedAt}${r.postedAtIso ? ` (${r.postedAtIso})` : ''}`]);
    if (r.engagement) lines.push(['Figures as shown', engagementText(r.engagement)]);
    if (r.repostOf) lines.push(['Reposts', `${r.repostOf.account}${r.repostOf.via?.length ? ` (via ${r.repostOf.via.join(', ')})` : ''}: ${r.repostOf.text}`]);
    if (r.marks?.length) lines.push(['Marks', r.marks.join('; ')]);
  }
  if (r.verdict === 'unreadable') {
    lines.push(['Could not be read', r.reason ?? '']);
    return { title, lines };
  }
  lines.push(['Verdict', `${r.verdict}${r.reuse ? ` (${r.reuse} reuse)` : ''}, confidence ${pct(r.confidence)}`]);
  if (r.originalId) {
    lines.push(['Original', `“${r.originalTitle}” (${r.originalId}, ${name})`]);
    lines.push(['Address', r.originalUrl, isWebAddress(r.originalUrl) ? r.originalUrl : undefined]);
    lines.push(['Shares', `${pct(r.pageCoverage)} of the page derives from the original; ${pct(r.originalCoverage)} of the original is reused`]);
  }
  if (translated) lines.push(['Languages', `the page is in ${langName(r.pageLang)}, the original in ${langName(r.originalLang)}`]);
  const credit = creditLine(r);
  if (credit) lines.push(['Credit', credit]);
  if (r.passages)
    lines.push([
      'Passages',
      `${r.passages}, below: the page's text on the left, the original's on the right${
        translated
          ? '; each is a page sentence and the original sentence it translates, with the words and anchors (numbers, dates, names) that translate each other marked'
          : r.evidence?.some((e) => e.kind === 'rewritten') ? '; words a rewritten pair shares are marked' : ''
      }`,
    ]);
  return { title, lines };
}

const passageHead = (e: EvidenceItem, i: number) =>
  `Passage ${i + 1} (${e.kind}${e.kind === 'translated' && e.score !== undefined ? ` sentence pair, score ${e.score.toFixed(2)}` : ''}) — page ${e.pageStart}–${e.pageEnd}${e.originalStart !== undefined ? `, original ${e.originalStart}–${e.originalEnd}` : ''}`;

// ---------------------------------------------------------------- Markdown

/**
 * Untrusted text inside Markdown (CommonMark with GFM tables), on one line:
 * HTML's specials as entities (no raw HTML), the characters that start
 * emphasis, code, links, images, strikethrough and table cells escaped, and
 * bare addresses broken so that they stay text.
 */
export function mdText(s: string): string {
  return clean(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~!#])/g, '\\$1')
    // No bare address may turn into a link (GFM's autolinks).
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
    .replace(/\r\n?|\n/g, ' ')
    .replace(/\s+/g, ' ');
}

/** A passage's text as a Markdown table cell: paragraphs as <br>, shared words bold. */
function mdCell(text: string | undefined, marks?: Array<[number, number]>): string {
  if (text === undefined) return '_(the index holds no text of the original)_';
  return markedPieces(text, marks)
    .map((p) => {
      const t = p.text.split(/\n+/).map(mdText).join('<br>');
      return p.marked && t.trim() ? `**${t.trim()}**${/\s$/.test(p.text) ? ' ' : ''}` : t;
    })
    .join('')
    .trim();
}

export function formatMarkdown(rows: ScanRow[], info: ReportInfo): string {
  const out: string[] = ['# Scan report', ''];
  out.push(`Scanned ${mdText(info.date)} against ${mdText(info.index)} (${info.originals} original${info.originals === 1 ? '' : 's'}), sensitivity ${mdText(info.sensitivity)}.`, '');
  out.push(mdText(summaryOf(rows)) + '.', '');
  rows.forEach((r, i) => {
    const f = factsOf(r, i + 1);
    out.push(`## ${mdText(f.title)}`, '');
    for (const [label, text, link] of f.lines) out.push(`- **${label}:** ${link ? `<${new URL(link).href}>` : mdText(text)}`);
    out.push('');
    (r.evidence ?? []).forEach((e, j) => {
      out.push(`### ${mdText(passageHead(e, j))}`, '', '| Page | Original |', '|---|---|', `| ${mdCell(e.pageText, e.pageShared)} | ${mdCell(e.originalText, e.originalShared)} |`, '');
    });
  });
  return out.join('\n');
}

// ---------------------------------------------------------------- HTML

export function htmlText(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function htmlCell(text: string | undefined, marks?: Array<[number, number]>): string {
  if (text === undefined) return '<em>(the index holds no text of the original)</em>';
  return markedPieces(text, marks)
    .map((p) => {
      const t = htmlText(p.text).replace(/\n+/g, '<br>');
      return p.marked ? `<mark>${t}</mark>` : t;
    })
    .join('');
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h2{margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.4rem .6rem;vertical-align:top;text-align:left}th{background:#f3f3f3}
caption{text-align:left;font-weight:600;padding:.3rem 0}mark{background:#ffe27a;color:inherit}
.unreadable{color:#8a1c1c}`;

export function formatHtml(rows: ScanRow[], info: ReportInfo): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Scan report, ${htmlText(info.date)}</title><style>${STYLE}</style></head><body>`,
    '<h1>Scan report</h1>',
    `<p>Scanned ${htmlText(info.date)} against ${htmlText(info.index)} (${info.originals} original${info.originals === 1 ? '' : 's'}), sensitivity ${htmlText(info.sensitivity)}.</p>`,
    `<p>${htmlText(summaryOf(rows))}.</p>`,
  ];
  rows.forEach((r, i) => {
    const f = factsOf(r, i + 1);
    out.push(`<section><h2${r.verdict === 'unreadable' ? ' class="unreadable"' : ''}>${htmlText(f.title)}</h2><dl>`);
    for (const [label, text, link] of f.lines)
      out.push(`<dt>${label}</dt><dd>${link ? `<a href="${htmlText(new URL(link).href)}" rel="noopener noreferrer">${htmlText(text)}</a>` : htmlText(text)}</dd>`);
    out.push('</dl>');
    (r.evidence ?? []).forEach((e, j) => {
      out.push(
        `<table><caption>${htmlText(passageHead(e, j))}</caption><thead><tr><th scope="col">Page</th><th scope="col">Original</th></tr></thead>`,
        `<tbody><tr><td>${htmlCell(e.pageText, e.pageShared)}</td><td>${htmlCell(e.originalText, e.originalShared)}</td></tr></tbody></table>`,
      );
    });
    out.push('</section>');
  });
  out.push('</body></html>', '');
  return out.join('\n');
}
