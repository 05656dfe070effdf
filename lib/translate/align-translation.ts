/**
 * Cross-language sentence alignment: each page sentence paired with the original sentence it
 * translates, by shared concepts (dictionary senses, order-free within the sentence) and shared
 * anchors (numbers, dates, names). Independent reports of one event share the anchors and a few
 * topic words; a translation shares most of every sentence's content words.
 */
import { orderKept } from '../rewrite/align-sentences';
import type { SentenceRep, TextRep } from './represent';

export interface TranslatedPair {
  /** Sentence offsets in the page text and in the original's text. */
  pageStart: number;
  pageEnd: number;
  origStart: number;
  origEnd: number;
  /** Index of the original's sentence. */
  origSentence: number;
  /** Share of both sentences' content words that the other translates (0–1). */
  score: number;
  /** Anchor keys both sentences carry ("n:187000", "d:3-14", "y:zhou qi"). */
  anchors: string[];
  /** Offsets of the shared words and anchors, in the page text and in the original's. */
  pageMarks: Array<[number, number]>;
  origMarks: Array<[number, number]>;
}

export interface TranslationAlignment {
  pairs: TranslatedPair[];
  /** Share of the page's content words in translated sentences. */
  pageCoverage: number;
  /** Share of the original's content words in sentences the page translates. */
  originalCoverage: number;
  /** Share of pairs in the original's order (longest increasing run of original sentences). */
  order: number;
  /** Content words of the page (what coverage is measured on). */
  pageWords: number;
}

export interface TranslationAlignOptions {
  /** A sentence pair needs this share of both sentences' content words translated … */
  minScore: number;
  /** … and this many words and anchors shared in all. */
  minShared: number;
  /** With this many shared anchors (numbers, dates, names) … */
  anchorsForLowerScore: number;
  /** … a lower share is enough. */
  minScoreWithAnchor: number;
}

export const DEFAULT_TRANSLATION_ALIGN: TranslationAlignOptions = { minScore: 0.55, minShared: 5, anchorsForLowerScore: 1, minScoreWithAnchor: 0.55 };

/**
 * On a short page (a post, a caption: see SHORT_PAGE_WORDS) a sentence often condenses the original's
 * headline and lead into one, so fewer of the original sentence's words come back: a pair that shares
 * two anchors (numbers, dates, names: evidence beyond the words) passes at a share of 0.5.
 */
export const SHORT_PAGE_ALIGN: TranslationAlignOptions = { ...DEFAULT_TRANSLATION_ALIGN, anchorsForLowerScore: 2, minScoreWithAnchor: 0.5 };

interface PairScore {
  score: number;
  shared: number;
  anchors: string[];
}

/** How well two sentences of different languages translate each other. */
export function sentenceScore(p: SentenceRep, o: SentenceRep): PairScore {
  let pm = 0;
  for (const t of p.terms) if (t.concepts.some((c) => o.concepts.has(c))) pm++;
  let om = 0;
  for (const t of o.terms) if (t.concepts.some((c) => p.concepts.has(c))) om++;
  const anchors: string[] = [];
  for (const k of p.anchorKeys) if (o.anchorKeys.has(k)) anchors.push(k);
  // Names: the English side lists its few pinyin pairs; the Chinese side all of its adjacent pairs.
  const [few, all] = p.names.size <= o.names.size ? [p.names, o.names] : [o.names, p.names];
  for (const k of few.keys()) if (all.has(k)) anchors.push(k);
  const n = p.terms.length + o.terms.length + 2 * (p.anchorKeys.size + o.anchorKeys.size);
  const shared = pm + om + 4 * anchors.length;
  return { score: n ? Math.min(1, shared / n) : 0, shared: Math.round((pm + om) / 2) + anchors.length, anchors };
}

export function alignTranslation(page: TextRep, orig: TextRep, o: TranslationAlignOptions = DEFAULT_TRANSLATION_ALIGN): TranslationAlignment {
  const pairs: TranslatedPair[] = [];
  let pageWords = 0;
  let pageCovered = 0;
  const origUsed = new Set<number>();
  for (const ps of page.sentences) {
    pageWords += ps.terms.length;
    let best: PairScore | undefined;
    let bestAt = -1;
    orig.sentences.forEach((os, j) => {
      const s = sentenceScore(ps, os);
      if (!best || s.score > best.score) {
        best = s;
        bestAt = j;
      }
    });
    if (!best || bestAt < 0) continue;
    const b: PairScore = best;
    const need = b.anchors.length >= o.anchorsForLowerScore ? Math.min(o.minScore, o.minScoreWithAnchor) : o.minScore;
    if (b.score < need || b.shared < o.minShared) continue;
    const os = orig.sentences[bestAt]!;
    pageCovered += ps.terms.length;
    origUsed.add(bestAt);
    const pageMarks: Array<[number, number]> = [];
    const origMarks: Array<[number, number]> = [];
    for (const t of ps.terms) if (t.concepts.some((c) => os.concepts.has(c))) pageMarks.push([t.start, t.end]);
    for (const t of os.terms) if (t.concepts.some((c) => ps.concepts.has(c))) origMarks.push([t.start, t.end]);
    const keys = new Set(b.anchors);
    for (const a of ps.anchors) if (keys.has(a.key)) pageMarks.push([a.start, a.end]);
    for (const a of os.anchors) if (keys.has(a.key)) origMarks.push([a.start, a.end]);
    for (const k of keys) {
      const pn = ps.names.get(k);
      const on = os.names.get(k);
      if (pn && on) {
        pageMarks.push([pn.start, pn.end]);
        origMarks.push([on.start, on.end]);
      }
    }
    pairs.push({ pageStart: ps.start, pageEnd: ps.end, origStart: os.start, origEnd: os.end, origSentence: bestAt, score: b.score, anchors: b.anchors, pageMarks: merge(pageMarks), origMarks: merge(origMarks) });
  }
  let origWords = 0;
  let origCovered = 0;
  orig.sentences.forEach((s, j) => {
    origWords += s.terms.length;
    if (origUsed.has(j)) origCovered += s.terms.length;
  });
  return {
    pairs,
    pageCoverage: pageWords ? pageCovered / pageWords : 0,
    originalCoverage: origWords ? origCovered / origWords : 0,
    order: pairs.length ? orderKept(pairs.map((p) => p.origSentence)) : 0,
    pageWords,
  };
}

function merge(spans: Array<[number, number]>): Array<[number, number]> {
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
