/** One call from page text to verdict: match against the index, then judge. */
import type { PageContext } from './credit/detect-credit';
import type { OutletRegistry } from './credit/registry';
import type { IndexReader } from './index/types';
import { DEFAULT_THRESHOLDS, judge, type Thresholds, type Verdict } from './match/judge';
import { matchText, type MatchOptions, type TextMatch } from './match/match-text';
import type { Dictionary } from './translate/dictionary';
import { lookupTranslation, matchTranslation, type TranslationOptions } from './translate/match-translation';

export interface ScanOptions {
  thresholds?: Thresholds;
  match?: Partial<MatchOptions>;
  /** With a dictionary (and an index with the translation tier), translated copies are looked for too, when the other tiers find nothing. */
  translate?: { dict: Dictionary } & Partial<TranslationOptions>;
}

export interface PageScan extends Verdict {
  match: TextMatch;
}

export async function scanPage(
  page: PageContext,
  index: IndexReader,
  registry: OutletRegistry,
  options: ScanOptions = {},
): Promise<PageScan> {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  // The translation tier's candidates count only when the other tiers find nothing (a page that copies
  // or rewrites an original in its own language is judged on that), but most pages find nothing: its
  // lookup goes out beside the verbatim tier's (the page is represented while those reads are under
  // way). Both are awaited together: a store's read transaction must not end with one of them pending.
  const [match, looked] = await Promise.all([
    matchText(page.text, index, options.match),
    options.translate ? lookupTranslation(page.text, index, options.translate.dict, options.translate) : undefined,
  ]);
  let verdict = judge(match, page, registry, thresholds);
  if (options.translate && !verdict.findings.length) {
    const translated = await matchTranslation(page.text, index, options.translate.dict, options.translate, looked);
    if (translated.length) {
      match.candidates.push(...translated);
      verdict = judge(match, page, registry, thresholds);
    }
  }
  return { ...verdict, match };
}
