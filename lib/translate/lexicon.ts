/**
 * English content words as concepts: lowercase, function words dropped, Porter-stemmed (the
 * `stemmer` package, as the rewrite tier's terms). The dictionary compiler maps Chinese words to
 * the same stems, so a stem is a concept shared by both languages.
 */
import { stemmer } from 'stemmer';
import { eng as STOP_EN } from 'stopword';

/** Words of dictionary glosses and news prose that carry no concept of their own. */
const EXTRA_STOP = [
  'said', 'says', 'say', 'told', 'tell', 'according', 'added', 'also', 'would', 'will', 'could', 'may', 'might', 'must', 'can',
  'one', 'per', 'cent', 'percent', 'mr', 'mrs', 'ms', 'its', 'it', 'which', 'who', 'whom', 'whose', 'this', 'that', 'these', 'those',
  'there', 'their', 'they', 'them', 'than', 'then', 'into', 'onto', 'over', 'under', 'while', 'where', 'when', 'what', 'yet', 'such',
  'some', 'more', 'most', 'other', 'only', 'very', 'about', 'sb', 'sth', 'etc', 'oneself', "one's", 'something', 'somebody', 'someone',
  'used', 'use', 'kind', 'type', 'thing', 'things', 'person', 'people', 'make', 'made', 'get', 'got', 'take', 'put', 'come', 'go', 'let',
  'abbr', 'lit', 'fig', 'esp', 'variant', 'surname', 'see', 'classifier', 'particle', 'pr', 'old', 'also', 'like', 'way', 'cl',
  'year', 'years', 'new', 'first', 'many', 'much', 'well', 'still', 'just', 'even', 'being', 'been', 'has', 'have', 'had', 'was', 'were',
];
export const STOP_WORDS: ReadonlySet<string> = new Set([...STOP_EN, ...EXTRA_STOP].map((w) => w.toLowerCase()));

/** The concept of one English word (lowercase stem), or undefined for a function word. */
export function englishConcept(word: string): string | undefined {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length < 2 || STOP_WORDS.has(w) || /\d/.test(w)) return undefined;
  return stemmer(w);
}

/** English words with their offsets: letters, inner apostrophes and hyphens split into words. */
export function englishWords(text: string): Array<{ word: string; start: number; end: number }> {
  const out: Array<{ word: string; start: number; end: number }> = [];
  for (const m of text.matchAll(/[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?/g)) out.push({ word: m[0], start: m.index!, end: m.index! + m[0].length });
  return out;
}
