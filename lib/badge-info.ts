/**
 * What the background sends the content script and the popup about a page:
 * a compact, serialisable summary of a verdict with its evidence. Every
 * string in it comes from the index or the page and must be rendered as text.
 */
import type { Credit } from './credit/detect-credit';
import type { OutletRegistry } from './credit/registry';
import type { Verdict, VerdictKind } from './match/judge';

export interface BadgePassage {
  pageStart: number;
  pageEnd: number;
  pageText: string;
  /** The original's text of this passage, when the index carries it. */
  originalText?: string;
  /** verbatim: shared word for word; rewritten: a page sentence and the original sentence(s) it was written from. */
  kind?: 'verbatim' | 'rewritten' | 'translated';
  /** Rewritten passages: the shared words, as [start, end) offsets in pageText and in originalText. */
  pageShared?: Array<[number, number]>;
  originalShared?: Array<[number, number]>;
}

export interface BadgeInfo {
  verdict: VerdictKind;
  confidence: number;
  outlet?: {
    id: string;
    /** Names by language (en, zh-Hans, zh-Hant); the id when the registry does not know the outlet. */
    names: Record<string, string>;
  };
  original?: { id: string; title: string; url: string; published: string };
  pageCoverage?: number;
  originalCoverage?: number;
  /** How the page reuses the original: word for word, rewritten, or both. */
  reuse?: 'verbatim' | 'rewritten' | 'mixed' | 'translated';
  passages: BadgePassage[];
  /** Visible credit. */
  credit?: Credit;
  /** Without visible credit: the page's metadata or hidden markup names the outlet (shown as such). */
  weakCredit?: Credit;
  /** Other originals of the same syndication group. */
  alsoIn?: Array<{ outlet: string; url: string }>;
  /** Translated reuse: the page's language and the original's (en, zh, or the original's tag such as zh-Hant). */
  translation?: { pageLang: string; originalLang: string };
  /** Words made by the background for what the UI catalogues do not carry (a translated copy's title and reuse line). */
  labels?: { title: string; reuse: string; mark?: string };
}

const MAX_PASSAGES = 12;
/** As much of a passage as a report may carry (the collection server takes 2,000 characters). */
const MAX_PASSAGE_CHARS = 2000;

/**
 * Index and page strings as shown: without controls that reorder or hide
 * text (bidirectional overrides such as U+202E, other control characters),
 * and cut to `n` characters.
 */
export function displayText(s: string, n: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = String(s ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
  return clean.length > n ? clean.slice(0, n - 1) + '…' : clean;
}
const clip = displayText;

/** An address that may be opened: https only (and http on loopback for development). */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol === 'https:') return u.href;
    if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost')) return u.href;
  } catch {
    /* not a URL */
  }
  return undefined;
}

export function toBadgeInfo(
  v: Verdict,
  pageText: string,
  registry: OutletRegistry,
  originalText?: string,
): BadgeInfo {
  const f = v.finding;
  if (!f) return { verdict: v.verdict, confidence: v.confidence, passages: [] };
  const c = f.candidate;
  const known = registry.find(c.original.outlet);
  return {
    verdict: v.verdict,
    confidence: v.confidence,
    outlet: { id: clip(c.original.outlet, 80), names: known ? { ...known.names } : { en: clip(c.original.outlet, 80) } },
    original: { id: c.original.id, title: clip(c.original.title, 300), url: c.original.url, published: clip(c.original.published, 40) },
    pageCoverage: c.pageCoverage,
    originalCoverage: c.originalCoverage,
    reuse: c.reuse,
    passages: c.passages.slice(0, MAX_PASSAGES).map((p) => {
      const page = pageText.slice(p.pageStart, p.pageEnd);
      const orig = originalText !== undefined && p.origStart !== undefined ? originalText.slice(p.origStart, p.origEnd) : undefined;
      const out: BadgePassage = {
        pageStart: p.pageStart,
        pageEnd: p.pageEnd,
        pageText: clip(page, MAX_PASSAGE_CHARS),
        originalText: orig === undefined ? undefined : clip(orig, MAX_PASSAGE_CHARS),
        kind: p.kind,
      };
      // Shared words only where the text is shown as it is (the marks are offsets into it).
      if (p.pageMarks && displayText(page, MAX_PASSAGE_CHARS) === page) out.pageShared = within(p.pageMarks, p.pageStart, page.length);
      if (p.origMarks && orig !== undefined && p.origStart !== undefined && displayText(orig, MAX_PASSAGE_CHARS) === orig)
        out.originalShared = within(p.origMarks, p.origStart, orig.length);
      return out;
    }),
    credit: f.credit && { ...f.credit, evidence: clip(f.credit.evidence, 300) },
    weakCredit: f.weakCredit && { ...f.weakCredit, evidence: clip(f.weakCredit.evidence, 300) },
    alsoIn: c.alsoIn.map((m) => ({ outlet: m.outlet, url: m.url })),
    ...(c.translation ? { translation: { pageLang: c.translation.pageLang, originalLang: translatedFrom(c.original.lang, c.translation.originalLang) } } : {}),
  };
}

/** The original's language tag when it names the family the tier saw (zh-Hans, zh-Hant, en), else the family. */
function translatedFrom(tag: string, family: string): string {
  return tag.toLowerCase().startsWith(family) && /^(en|zh-Hans|zh-Hant)$/.test(tag) ? tag : family;
}

/** Marks as offsets relative to `base`, kept within [0, length). */
function within(marks: Array<[number, number]>, base: number, length: number): Array<[number, number]> {
  return marks.map(([a, b]) => [a - base, b - base] as [number, number]).filter(([a, b]) => a >= 0 && b <= length && a < b);
}

/** A passage's text split into plain and shared (marked) runs, for display. */
export function markedRuns(text: string, marks: Array<[number, number]> | undefined): Array<{ text: string; shared: boolean }> {
  if (!marks?.length) return [{ text, shared: false }];
  const out: Array<{ text: string; shared: boolean }> = [];
  let at = 0;
  for (const [a, b] of [...marks].sort((x, y) => x[0] - y[0])) {
    if (a < at) continue;
    if (a > at) out.push({ text: text.slice(at, a), shared: false });
    out.push({ text: text.slice(a, b), shared: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), shared: false });
  return out;
}
