/**
 * A text as the translation tier sees it, sentence by sentence, in language-neutral terms: concept
 * ids (dictionary stems), anchors (numbers, dates, percentages, outlets) and name keys (pinyin
 * syllable pairs). Pure; runs in the service worker and in Node.
 */
import { splitSentences } from '../rewrite/terms';
import { numberAnchors, outletAnchors, type Anchor } from './anchors';
import type { Dictionary } from './dictionary';
import { englishWords } from './lexicon';
import { chineseNameAnchors, englishNameAnchors } from './names';

export type TransLang = 'en' | 'zh';

/** The language family of a text: Chinese when Han characters outnumber a third of its letters. */
export function textLang(text: string, sample = 20_000): TransLang {
  const t = text.length > sample ? text.slice(0, sample) : text;
  const han = t.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = t.match(/[A-Za-z]/g)?.length ?? 0;
  // A Han character carries about as much as a three-letter word... weigh them so.
  return han * 3 > latin ? 'zh' : 'en';
}

/** The language family of an original's `lang` field ("zh-Hans", "zh-Hant", "en"). */
export function langFamily(lang: string): TransLang | undefined {
  const l = lang.toLowerCase();
  return l.startsWith('zh') ? 'zh' : l.startsWith('en') ? 'en' : undefined;
}

export interface TermAt {
  start: number;
  end: number;
  /** Concept ids: one for an English word, the dictionary's senses for a Chinese word. */
  concepts: readonly number[];
}

export interface SentenceRep {
  start: number;
  end: number;
  terms: TermAt[];
  /** Union of the terms' concepts. */
  concepts: Set<number>;
  anchors: Anchor[];
  /** Anchor keys (numbers, dates, percentages, outlets). */
  anchorKeys: Set<string>;
  /** Name keys: for English, the pinyin pairs of its names; for Chinese, of every adjacent pair. */
  names: Map<string, Anchor>;
}

export interface TextRep {
  lang: TransLang;
  sentences: SentenceRep[];
}

export interface Outlets {
  outlets?: ReadonlyArray<{ id: string; names: readonly string[] }>;
  /** false: leave `names` empty (an original's sketch uses no Chinese name pairs, keys.ts's textSketch). */
  names?: boolean;
}

export function represent(text: string, dict: Dictionary, lang: TransLang = textLang(text), opts: Outlets = {}): TextRep {
  const sentences: SentenceRep[] = [];
  for (const [a, b] of splitSentences(text)) {
    const s = text.slice(a, b);
    const terms: TermAt[] = [];
    if (lang === 'zh') {
      for (const w of dict.segment(s)) if (w.concepts.length) terms.push({ start: a + w.start, end: a + w.end, concepts: w.concepts });
    } else {
      for (const w of englishWords(s)) {
        const c = dict.englishConceptId(w.word);
        if (c !== undefined) terms.push({ start: a + w.start, end: a + w.end, concepts: [c] });
      }
    }
    const shift = (x: Anchor): Anchor => ({ ...x, start: x.start + a, end: x.end + a });
    const anchors = [...numberAnchors(s), ...(opts.outlets ? outletAnchors(s, opts.outlets) : [])].map(shift);
    const names = new Map<string, Anchor>();
    if (opts.names !== false) for (const n of lang === 'zh' ? chineseNameAnchors(s, dict) : englishNameAnchors(s, dict)) if (!names.has(n.key)) names.set(n.key, shift(n));
    const concepts = new Set<number>();
    for (const t of terms) for (const c of t.concepts) concepts.add(c);
    sentences.push({ start: a, end: b, terms, concepts, anchors, anchorKeys: new Set(anchors.map((x) => x.key)), names });
  }
  return { lang, sentences };
}
