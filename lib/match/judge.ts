/**
 * Verdict: uncredited | credited | partial | none, with confidence and evidence.
 * Thresholds are on shared units and on coverage of the page and of the
 * original; `sensitivity` scales them (higher = flags smaller overlaps).
 */
import { detectCredit, type Credit, type PageContext } from '../credit/detect-credit';
import type { OutletRegistry } from '../credit/registry';
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
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  minMatchedUnits: 40,
  copyPage: 0.4,
  copyOriginal: 0.5,
  partialPage: 0.15,
  partialOriginal: 0.2,
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

export function levelOf(c: CandidateMatch, t: Thresholds): 'copy' | 'partial' | undefined {
  if (c.matchedUnits < t.minMatchedUnits) return undefined;
  if (c.pageCoverage >= t.copyPage || c.originalCoverage >= t.copyOriginal) return 'copy';
  if (c.pageCoverage >= t.partialPage || c.originalCoverage >= t.partialOriginal) return 'partial';
  return undefined;
}

export function confidenceOf(c: CandidateMatch, t: Thresholds): number {
  const size = 1 - Math.exp(-c.matchedUnits / (2 * t.minMatchedUnits));
  const cov = Math.min(1, Math.max(c.pageCoverage / t.copyPage, c.originalCoverage / t.copyOriginal));
  return Math.round(size * cov * 100) / 100;
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
