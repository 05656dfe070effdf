/**
 * The translation tier for the Node commands (scan, demo:scan): when the index carries it
 * (postings-translate.bin), the dictionary public/translate/zh-en.txt is loaded once and passed to
 * scanPage; an index without it is scanned without (no translated findings).
 */
import type { IndexReader } from '../index/types';
import type { Dictionary } from '../translate/dictionary';
import { DICTIONARY_FILE, loadDictionary } from '../translate/load-dictionary';
import { fsReason, UserError, EXIT } from './cli-support';
import { printable } from './printable';

export function translateOption(index: Pick<IndexReader, 'translate'>): { dict: Dictionary } | undefined {
  if (!index.translate) return undefined;
  try {
    return { dict: loadDictionary() };
  } catch (e) {
    throw new UserError(`cannot read the translation dictionary ${printable(DICTIONARY_FILE)}: ${fsReason(e)} (make it with: npm run dict:translate)`, EXIT.failed);
  }
}
