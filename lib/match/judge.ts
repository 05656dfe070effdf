/**
 * Verdict: uncredited | credited | partial | none, with confidence and evidence.
 * Thresholds are on shared units and on coverage of the page and of the
 * original; `sensitivity` scales them (higher = flags smaller overlaps).
 */
import { detectCredit, type Credit, type PageContext } from '../credit/detect-credit';
import type { OutletRegistry } from '../credit/registry';
import { translationConfidence, translationLevel } from '../translate/match-translation';
import type { CandidateMatch, TextMatch } from './match-text';

export type VerdictKind = 'uncredited' | 'credited' | 'partial' | 'none';

export interface Thresholds {
  /** Shared units below which nothing is reported. */
  minMatchedUnits: number;
  /** A copy: this share of the page, or of the original, is shared. */
  copyPage: number;
  copyOriginal: number;
  /** Partial reuse: this share of the page, or of the original. */
  partialPage: number;
  partialOriginal: number;
  /**
   * Rewritten reuse: shared wording — at least this share of the page's
   * content-term pairs also in the original, and at least this many such pairs
   * (what independent reports of one event do not share) …
   */
  rewriteMinWording: number;
  /** The same for Chinese pages: overlapping character bigrams share more by chance than English word pairs. */
  rewriteMinWordingHan: number;
  rewriteMinSharedGrams: number;
  /** The same for a short page (a brief, a post: fewer grams than two sketches), which has fewer pairs to share. */
  rewriteMinSharedGramsShort: number;
  /** … with the original's text: this much weighted shared wording in this many derived sentences … */
  rewriteMinEvidence: number;
  rewriteMinSentences: number;
  /** … and this share of the page derived for a copy, or this share for partial reuse … */
  rewriteCopyPage: number;
  rewritePartialPage: number;
  /** … or, for partial reuse, this share of the original (retold inside a longer page; the verbatim tier's copyOriginal). */
  rewritePartialOriginal: number;
  /**
   * A page that mirrors the original needs half the shared wording above: most of the page in derived sentences
   * (rewriteCopyPage), most of the original retold (rewritePartialOriginal; both never below their defaults, whatever
   * the sensitivity), in at least three times rewriteMinSentences pairs of which this share keeps the original's order.
   * An editor's heavy rewrite keeps the original's structure sentence by sentence while it changes most words; an
   * independent report of the event has its own material and order.
   */
  rewriteMirrorOrder: number;
  /** Without the original's text: this many of its sketch grams on the page, and the estimated wording share for a copy. */
  sketchMinHits: number;
  /** The same for Chinese pages (overlapping character bigrams meet by chance more often). */
  sketchMinHitsHan: number;
  sketchCopyWording: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minMatchedUnits: 40,
  copyPage: 0.5,
  copyOriginal: 0.6,
  partialPage: 0.15,
  partialOriginal: 0.2,
  rewriteMinWording: 0.06,
  rewriteMinWordingHan: 0.15,
  rewriteMinSharedGrams: 5,
  rewriteMinSharedGramsShort: 4,
  rewriteMinEvidence: 12,
  rewriteMinSentences: 2,
  rewriteCopyPage: 0.65,
  rewritePartialPage: 0.3,
  rewritePartialOriginal: 0.6,
  rewriteMirrorOrder: 0.9,
  sketchMinHits: 6,
  sketchMinHitsHan: 8,
  sketchCopyWording: 0.4,
};

export type Sensitivity = 'low' | 'normal' | 'high';

export function thresholdsFor(s: Sensitivity): Thresholds {
  const f = s === 'low' ? 1.5 : s === 'high' ? 0.6 : 1;
  const t = DEFAULT_THRESHOLDS;
  return {
    minMatchedUnits: Math.round(t.minMatchedUnits * f),
    copyPage: Math.min(0.9, t.copyPage * f),
    copyOriginal: Math.min(0.9, t.copyOriginal * f),
    partialPage: t.partialPage * f,
    partialOriginal: t.partialOriginal * f,
    rewriteMinWording: Math.min(0.9, t.rewriteMinWording * f),
    rewriteMinWordingHan: Math.min(0.9, t.rewriteMinWordingHan * f),
    rewriteMinSharedGrams: Math.round(t.rewriteMinSharedGrams * f),
    rewriteMinSharedGramsShort: Math.round(t.rewriteMinSharedGramsShort * f),
    rewriteMinEvidence: t.rewriteMinEvidence * f,
    rewriteMinSentences: t.rewriteMinSentences,
    rewriteCopyPage: Math.min(0.9, t.rewriteCopyPage * f),
    rewritePartialPage: Math.min(0.9, t.rewritePartialPage * f),
    rewritePartialOriginal: Math.min(0.9, t.rewritePartialOriginal * f),
    rewriteMirrorOrder: t.rewriteMirrorOrder,
    sketchMinHits: Math.max(2, Math.round(t.sketchMinHits * f)),
    sketchMinHitsHan: Math.max(2, Math.round(t.sketchMinHitsHan * f)),
    sketchCopyWording: Math.min(0.9, t.sketchCopyWording * f),
  };
}

export interface Finding {
  candidate: CandidateMatch;
  level: 'copy' | 'partial';
  /** Visible credit (the only kind that makes reuse "credited"). */
  credit?: Credit;
  /** Without visible credit: a weak signal (metadata, or hidden markup) shown as evidence. */
  weakCredit?: Credit;
}

export interface Verdict {
  verdict: VerdictKind;
  /** 0–1: how sure the engine is that the page reuses the original. */
  confidence: number;
  /** The finding the verdict is about (absent for "none"). */
  finding?: Finding;
  /** Every qualifying finding, best first. */
  findings: Finding[];
}

type Level = 'copy' | 'partial' | undefined;
const rank = (l: Level) => (l === 'copy' ? 2 : l === 'partial' ? 1 : 0);

/**
 * The verbatim tier's judgement: enough text shared word for word outside
 * quotation marks (the officials' words are in every report of the event),
 * and its shares of page and original.
 */
function verbatimLevel(c: CandidateMatch, t: Thresholds): Level {
  if (c.unquotedUnits < t.minMatchedUnits) return undefined;
  if (c.verbatimPageCoverage >= t.copyPage || c.verbatimOriginalCoverage >= t.copyOriginal) return 'copy';
  if (c.verbatimPageCoverage >= t.partialPage || c.verbatimOriginalCoverage >= t.partialOriginal) return 'partial';
  return undefined;
}

/** The rewrite tier's judgement: derived sentences (with the original's text) or the sketch estimate (without). */
function rewriteLevel(c: CandidateMatch, t: Thresholds): Level {
  const r = c.rewrite;
  if (!r) return undefined;
  // Shared wording, not only shared facts — measured where the page tells the original's story (from its first to its
  // last derived sentence); half of it where the page mirrors the original's structure (such a page derives enough of
  // itself to be a copy, if the evidence below suffices).
  const mirrors =
    r.aligned &&
    c.pageCoverage >= Math.max(t.rewriteCopyPage, DEFAULT_THRESHOLDS.rewriteCopyPage) &&
    c.originalCoverage >= Math.max(t.rewritePartialOriginal, DEFAULT_THRESHOLDS.rewritePartialOriginal) &&
    r.pairs.length >= 3 * t.rewriteMinSentences &&
    r.order >= t.rewriteMirrorOrder;
  const need = mirrors ? 0.5 : 1;
  if (r.regionGrams < need * (r.han ? t.rewriteMinWordingHan : t.rewriteMinWording) || r.sharedGrams < need * (r.short ? t.rewriteMinSharedGramsShort : t.rewriteMinSharedGrams)) return undefined;
  if (r.aligned) {
    // Sentences inside verbatim passages were not aligned again: their shared text counts as evidence here.
    const verbatimPassages = c.passages.filter((p) => p.kind === 'verbatim').length;
    if (r.evidence + c.unquotedUnits < t.rewriteMinEvidence || r.pairs.length + verbatimPassages < t.rewriteMinSentences) return undefined;
    if (c.pageCoverage >= t.rewriteCopyPage) return 'copy';
    if (c.pageCoverage >= t.rewritePartialPage) return 'partial';
    // Most of the original retold inside a longer page (a live blog, a portal page, comments).
    if (c.originalCoverage >= t.rewritePartialOriginal) return 'partial';
    return undefined;
  }
  // Without the text: the original's sketch grams that the page's wording finds.
  if (r.evidence < (r.han ? t.sketchMinHitsHan : t.sketchMinHits)) return undefined;
  return r.pageGrams >= t.sketchCopyWording ? 'copy' : 'partial';
}

export function levelOf(c: CandidateMatch, t: Thresholds): Level {
  if (c.translation) return translationLevel(c);
  const v = verbatimLevel(c, t);
  const r = rewriteLevel(c, t);
  return rank(r) > rank(v) ? r : v;
}

export function confidenceOf(c: CandidateMatch, t: Thresholds): number {
  if (c.translation) return translationConfidence(c);
  const verbatimSize = 1 - Math.exp(-c.matchedUnits / (2 * t.minMatchedUnits));
  const verbatimCov = Math.min(1, Math.max(c.verbatimPageCoverage / t.copyPage, c.verbatimOriginalCoverage / t.copyOriginal));
  let conf = verbatimSize * verbatimCov;
  const r = c.rewrite;
  if (r?.aligned) {
    const size = 1 - Math.exp(-r.evidence / (2 * t.rewriteMinEvidence));
    conf = Math.max(conf, size * Math.min(1, c.pageCoverage / t.rewriteCopyPage) * (0.5 + 0.5 * r.order) * 0.9);
  } else if (r) conf = Math.max(conf, 0.7 * Math.min(1, r.evidence / (2 * (r.han ? t.sketchMinHitsHan : t.sketchMinHits))) * Math.min(1, r.pageGrams / t.sketchCopyWording));
  return Math.round(conf * 100) / 100;
}

export function judge(
  match: TextMatch,
  page: PageContext,
  registry: OutletRegistry,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Verdict {
  const findings: Finding[] = [];
  for (const c of match.candidates) {
    const level = levelOf(c, thresholds);
    if (!level) continue;
    const copied = c.copiedExtent;
    let credit: Credit | undefined;
    let weakCredit: Credit | undefined;
    for (const o of [c.original, ...c.alsoIn]) {
      const found = detectCredit(page, registry.resolve(o.outlet, o.url), copied, o.url);
      if (found?.strength === 'visible') credit = found;
      else weakCredit ??= found;
      if (credit) break;
    }
    findings.push({ candidate: c, level, credit, ...(credit || !weakCredit ? {} : { weakCredit }) });
  }
  const pick =
    findings.find((f) => !f.credit && f.level === 'copy') ??
    findings.find((f) => !f.credit) ??
    findings.find((f) => f.credit);
  if (!pick) return { verdict: 'none', confidence: 0, findings };
  const verdict: VerdictKind = pick.credit ? 'credited' : pick.level === 'copy' ? 'uncredited' : 'partial';
  return { verdict, confidence: confidenceOf(pick.candidate, thresholds), finding: pick, findings };
}
