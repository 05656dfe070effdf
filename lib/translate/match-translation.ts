/**
 * The translation tier of matching: a page in one language (English or Chinese) against originals
 * in the other. Candidates come from the index's translation tier (language-neutral key sketches,
 * keys.ts); each is verified by cross-language sentence alignment on the original's text, which
 * yields the evidence (page sentence ↔ original sentence, shared anchors and words marked).
 * Pure logic over an IndexReader and a Dictionary: runs in Node and in the background worker.
 */
import type { IndexReader, OriginalMeta } from '../index/types';
import { DocTally } from '../match/doc-tally';
import type { CandidateMatch, Passage } from '../match/match-text';
import { alignTranslation, DEFAULT_TRANSLATION_ALIGN, SHORT_PAGE_ALIGN, type TranslatedPair, type TranslationAlignOptions } from './align-translation';
import type { Dictionary } from './dictionary';
import { pageKeys, TRANSLATE_VERSION } from './keys';
import { langFamily, represent, textLang, type Outlets, type TextRep, type TransLang } from './represent';

export interface TranslationEvidence {
  pageLang: TransLang;
  originalLang: TransLang;
  pairs: TranslatedPair[];
  /** Share of the page's content words in translated sentences, and of the original's. */
  pageCoverage: number;
  originalCoverage: number;
  order: number;
  /** The original's sketch keys the page has (rarity-weighted sum, and count). */
  keyHits: number;
  /** The page is a post or a caption (SHORT_PAGE_WORDS): one translated sentence can be the whole of it. */
  short?: boolean;
}

/**
 * A page of at most this many content words is short: a post, a caption, a brief. It shares only a
 * few keys with an original's sketch (the sketch samples the whole original; a post translates its
 * lead), and it has one to three sentences, so the candidate and verdict rules below are scaled down.
 */
export const SHORT_PAGE_WORDS = 60;

export interface TranslationOptions extends Outlets {
  /** Distinct sketch keys an original needs on the page to be a candidate … */
  minKeyHits: number;
  /** … on a short page. */
  minKeyHitsShort: number;
  /** How many candidates are aligned. */
  maxCandidates: number;
  /** Pages longer than this (UTF-16 units) are matched on their start. */
  maxChars: number;
  /**
   * Keys that more originals than this carry are skipped when ranking candidates: common concepts
   * (in most sketches) weigh almost nothing (1 / list length) but their lists grow with the index and
   * dominate the time at 100k originals. Below this size (every key, in a small index) nothing changes.
   */
  maxKeyDocs: number;
  align: TranslationAlignOptions;
  /** Sentence alignment on a short page. */
  alignShort: TranslationAlignOptions;
  /**
   * Stop aligning once a candidate is a copy (translationLevel 'copy'): candidates come best first, and
   * a page that translates one original whole rarely translates another; each alignment costs about as
   * much as the rest of the tier together.
   */
  stopAtCopy: boolean;
}

export const DEFAULT_TRANSLATION: TranslationOptions = {
  minKeyHits: 4,
  minKeyHitsShort: 2,
  maxCandidates: 3,
  maxChars: 60_000,
  maxKeyDocs: 5_000,
  align: DEFAULT_TRANSLATION_ALIGN,
  alignShort: SHORT_PAGE_ALIGN,
  stopAtCopy: true,
};

/** Thresholds of the translation tier's verdict (its own: the other tiers' thresholds do not apply). */
export const TRANSLATION_LEVELS = {
  /** Aligned sentence pairs needed at all (on a short page: one, which must then cover most of it). */
  minPairs: 3,
  minPairsShort: 1,
  /** Share of the pairs in the original's order. */
  minOrder: 0.5,
  /** Page share translated for a copy, or original share translated for a copy. */
  copyPage: 0.5,
  copyOriginal: 0.6,
  /** Page share, or original share, for partial reuse. */
  partialPage: 0.2,
  partialOriginal: 0.25,
};

/** A page's representation and its sketch keys' postings: the tier's first half (no candidate read yet). */
export interface TranslationLookup {
  page: TextRep;
  lists: Uint32Array[];
}

/**
 * The tier's first half: the page represented and its keys looked up. A caller may start it beside
 * the other tiers' lookups (the store then reads them together) and pass it to matchTranslation.
 */
export async function lookupTranslation(text: string, index: IndexReader, dict: Dictionary, options: Partial<TranslationOptions> = {}): Promise<TranslationLookup | null> {
  const o = { ...DEFAULT_TRANSLATION, ...options };
  if (index.translate?.version !== TRANSLATE_VERSION) return null;
  const pageText = text.length > o.maxChars ? text.slice(0, o.maxChars) : text;
  const page = represent(pageText, dict, textLang(pageText), o);
  const keys = pageKeys(page);
  if (!keys.length) return null;
  // Lists longer than maxKeyDocs are skipped: the reader may leave them out without reading them.
  return { page, lists: await index.lookup(keys, 'translate', { maxDocs: o.maxKeyDocs }) };
}

export async function matchTranslation(
  text: string,
  index: IndexReader,
  dict: Dictionary,
  options: Partial<TranslationOptions> = {},
  /** lookupTranslation's answer for this text, index, dictionary and options, when the caller has it. */
  looked?: TranslationLookup | null,
): Promise<CandidateMatch[]> {
  const o = { ...DEFAULT_TRANSLATION, ...options };
  const found = looked === undefined ? await lookupTranslation(text, index, dict, o) : looked;
  if (!found) return [];
  const { page, lists } = found;
  let words = 0;
  for (const s of page.sentences) words += s.terms.length;
  const short = words <= SHORT_PAGE_WORDS;
  const minKeyHits = short ? o.minKeyHitsShort : o.minKeyHits;
  const kept = lists.filter((list) => list.length <= o.maxKeyDocs);
  const tally = new DocTally(kept.reduce((n, list) => n + list.length, 0));
  for (const list of kept) tally.add(list);
  // Only originals in the other language are translations: the best few dozen are looked at, their
  // metadata read a few at a time (most pages stop at the first or second: each read is a store read).
  const pool = tally.top(8 * o.maxCandidates, minKeyHits);
  if (!pool.length) return [];
  const out: CandidateMatch[] = [];
  let tried = 0;
  let metas: Array<OriginalMeta | undefined> = [];
  for (let at = 0; at < pool.length && tried < o.maxCandidates; at++) {
    const step = 2 * o.maxCandidates;
    if (at % step === 0) metas = await index.originals(pool.slice(at, at + step));
    const meta = metas[at % step];
    if (!meta) continue;
    const lang = langFamily(meta.lang);
    if (!lang || lang === page.lang) continue;
    tried++;
    const origText = await index.text(meta.doc);
    // Without the original's text there is nothing to align: no translation verdict (evidence first).
    if (origText === undefined) continue;
    const orig = represent(origText, dict, lang, o);
    const a = alignTranslation(page, orig, short ? o.alignShort : o.align);
    if (!a.pairs.length) continue;
    const passages: Passage[] = a.pairs.map((p) => ({ pageStart: p.pageStart, pageEnd: p.pageEnd, units: p.pageMarks.length, origStart: p.origStart, origEnd: p.origEnd, kind: 'translated', pageMarks: p.pageMarks, origMarks: p.origMarks }));
    const extent: Array<[number, number]> = [];
    for (const p of a.pairs) {
      const last = extent[extent.length - 1];
      if (last && p.pageStart <= last[1] + 2) last[1] = Math.max(last[1], p.pageEnd);
      else extent.push([p.pageStart, p.pageEnd]);
    }
    const candidate: CandidateMatch = {
      original: meta,
      pageCoverage: a.pageCoverage,
      originalCoverage: a.originalCoverage,
      matchedUnits: 0,
      unquotedUnits: 0,
      verbatimPageCoverage: 0,
      verbatimOriginalCoverage: 0,
      reuse: 'translated',
      translation: { pageLang: page.lang, originalLang: lang, pairs: a.pairs, pageCoverage: a.pageCoverage, originalCoverage: a.originalCoverage, order: a.order, keyHits: tally.hitsOf(meta.doc), ...(short ? { short } : {}) },
      passages,
      alsoIn: [],
      copiedExtent: extent,
    };
    out.push(candidate);
    if (o.stopAtCopy && translationLevel(candidate) === 'copy') break;
  }
  return out.sort((x, y) => y.pageCoverage - x.pageCoverage);
}

/** The translation tier's level for a candidate, or undefined (judge.ts calls this for translated candidates). */
export function translationLevel(c: CandidateMatch): 'copy' | 'partial' | undefined {
  const t = c.translation;
  if (!t) return undefined;
  const L = TRANSLATION_LEVELS;
  if (t.pairs.length < (t.short ? L.minPairsShort : L.minPairs) || t.order < L.minOrder) return undefined;
  if (t.pageCoverage >= L.copyPage || t.originalCoverage >= L.copyOriginal) return 'copy';
  if (t.pageCoverage >= L.partialPage || t.originalCoverage >= L.partialOriginal) return 'partial';
  return undefined;
}

export function translationConfidence(c: CandidateMatch): number {
  const t = c.translation;
  if (!t) return 0;
  // Evidence grows with the pairs; on a short page (a post) one or two pairs are the whole of it.
  const size = 1 - Math.exp(-t.pairs.length / (t.short ? 1.5 : 4));
  const cov = Math.min(1, Math.max(t.pageCoverage / TRANSLATION_LEVELS.copyPage, t.originalCoverage / TRANSLATION_LEVELS.copyOriginal));
  return Math.round(size * cov * (0.5 + 0.5 * t.order) * 0.9 * 100) / 100;
}
