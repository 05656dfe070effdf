/**
 * Compiles CC-CEDICT entries (as read by cedict-source.ts) into the compact bilingual table the
 * matcher loads (dictionary.ts): Chinese word → English concept stems, and Han character → toneless
 * pinyin syllables (for names). Run by `npm run dict:translate`; the output is committed under
 * public/translate/ so that a build needs no generation step, and a test checks it is up to date.
 *
 * Text format, one record per line:
 *   #zh-en <version>
 *   #S stem stem …            (concept stems, most used first; a word's stems are indices into this)
 *   word<TAB>i,j,…            (indices in base 36), words sorted
 *   #P
 *   char<TAB>syl syl …        (toneless pinyin readings)
 */
import { foldAligned } from '../text/normalize';
import { englishConcept } from './lexicon';

export const DICT_FORMAT = 'zh-en 1';

export interface CedictEntry {
  traditional: string;
  simplified: string;
  pinyin: string;
  english: string[];
}

/** Glosses that name no concept a translation would carry. */
const SKIP_GLOSS = /^(?:(?:old |archaic |erhua |japanese )?variant of|surname\b|see |used in |cl:|abbr\. for|also written|also pr\.|pr\. |(?:the )?radical in chinese characters|kangxi radical|taiwan pr\.|\(bound form\) see)/i;
const HAN_WORD = /^\p{Script=Han}+$/u;

/** Concept stems of one gloss: "to open (a new road)" → ["open"]; "railway; railroad" → ["railwai", "railroad"]. */
export function glossStems(gloss: string): string[] {
  const g = gloss
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\|?\p{Script=Han}+/gu, ' ');
  const out: string[] = [];
  for (const part of g.split(/[;,]/)) {
    const words = part.trim().replace(/^to /i, '').match(/[A-Za-z]+(?:'[A-Za-z]+)?/g) ?? [];
    // Long glosses are explanations, not translations: their first few content words only.
    let n = 0;
    for (const w of words) {
      const c = englishConcept(w);
      if (!c) continue;
      if (!out.includes(c)) out.push(c);
      if (++n >= 3) break;
    }
  }
  return out;
}

function syllables(pinyin: string): string[] {
  return pinyin
    .toLowerCase()
    .split(/\s+/)
    .map((s) => s.replace(/[1-5]$/, '').replace(/u:/g, 'u').replace(/v/g, 'u'))
    .filter((s) => /^[a-z]*[aeiou][a-z]*$/.test(s) && s !== 'xx');
}

export interface CompileOptions {
  /** Longest word kept, in characters. */
  maxWordLength?: number;
  /** Stems kept per word (first senses first). */
  maxStems?: number;
  /** Senses read per entry. */
  maxSenses?: number;
}

export function compileDictionary(entries: readonly CedictEntry[], options: CompileOptions = {}): string {
  const maxLen = options.maxWordLength ?? 3;
  const maxStems = options.maxStems ?? 4;
  const maxSenses = options.maxSenses ?? 4;
  const words = new Map<string, string[]>();
  const readings = new Map<string, string[]>();
  for (const e of entries) {
    // Keys are folded as the matcher folds page text (Traditional → Simplified).
    const word = foldAligned(e.simplified);
    if (!HAN_WORD.test(word)) continue;
    const chars = [...word];
    if (chars.length === 1) {
      const syl = syllables(e.pinyin)[0];
      if (syl) {
        const list = readings.get(word) ?? [];
        if (!list.includes(syl) && list.length < 3) list.push(syl);
        readings.set(word, list);
      }
    }
    if (chars.length > maxLen) continue;
    const stems = words.get(word) ?? [];
    let senses = 0;
    for (const gloss of e.english) {
      if (SKIP_GLOSS.test(gloss.trim())) continue;
      if (++senses > maxSenses) break;
      for (const s of glossStems(gloss)) if (!stems.includes(s) && stems.length < maxStems) stems.push(s);
    }
    if (stems.length) words.set(word, stems);
  }
  const freq = new Map<string, number>();
  for (const stems of words.values()) for (const s of stems) freq.set(s, (freq.get(s) ?? 0) + 1);
  const stemList = [...freq.keys()].sort((a, b) => freq.get(b)! - freq.get(a)! || (a < b ? -1 : 1));
  const at = new Map(stemList.map((s, i) => [s, i]));
  const lines = [`#${DICT_FORMAT}`, `#S ${stemList.join(' ')}`];
  for (const w of [...words.keys()].sort()) lines.push(`${w}\t${words.get(w)!.map((s) => at.get(s)!.toString(36)).join(',')}`);
  lines.push('#P');
  for (const c of [...readings.keys()].sort()) lines.push(`${c}\t${readings.get(c)!.join(' ')}`);
  return lines.join('\n') + '\n';
}
