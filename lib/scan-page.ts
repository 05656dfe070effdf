/** One call from page text to verdict: match against the index, then judge. */
import type { PageContext } from './credit/detect-credit';
import type { OutletRegistry } from './credit/registry';
import type { IndexReader } from './index/types';
import { DEFAULT_THRESHOLDS, judge, type Thresholds, type Verdict } from './match/judge';
import { matchText, type MatchOptions, type TextMatch } from './match/match-text';
import type { Dictionary } from './translate/dictionary';
import { matchTranslation, type TranslationOptions } from './translate/match-translation';

export interface ScanOptions {
  thresholds?: Thresholds;
  match?: Partial<MatchOptions>;
  /** With a dictionary (and an index with the translation tier), translated copies are looked for too. */
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
  const match = await matchText(page.text, index, options.match);
  if (options.translate) match.candidates.push(...(await matchTranslation(page.text, index, options.translate.dict, options.translate)));
  const verdict = judge(match, page, registry, options.thresholds ?? DEFAULT_THRESHOLDS);
  return { ...verdict, match };
}
