/**
 * The compiled bilingual dictionary at match time (format: compile-dict.ts): Chinese segmentation
 * by forward maximum matching over its words, each word's English concept stems, and each
 * character's pinyin. Pure: the caller supplies the file's text (the CLI reads it from
 * public/translate/, the extension's background worker fetches it); nothing here touches Node.
 */
import { foldAligned } from '../text/normalize';
import { DICT_FORMAT } from './compile-dict';
import { americanStem } from '../rewrite/spelling';
import { englishConcept } from './lexicon';

export class DictionaryFormatError extends Error {
  override name = 'DictionaryFormatError';
}

/** Chinese function characters: as one-character words they carry no concept. */
const STOP_HAN = new Set(Array.from('的了着过地得之其而与及和或也都就又还被把将对于在是为以等这那该此并从由向吗呢吧啊们个所已有中上下后前时日月年说称表示据其它他她我你来去到给让使'));
const HAN = /\p{Script=Han}/u;
/** HAN.test of one UTF-16 code unit, remembered (0 not yet asked, 1 no, 2 yes): segment asks it of every character. */
const hanUnit = new Uint8Array(65536);
function isHanUnit(c: number): boolean {
  let v = hanUnit[c]!;
  if (v === 0) hanUnit[c] = v = HAN.test(String.fromCharCode(c)) ? 2 : 1;
  return v === 2;
}

export interface ZhWord {
  /** UTF-16 offsets in the text [start, end). */
  start: number;
  end: number;
  /** Concept ids (indices into the stem table); empty for words the dictionary does not know. */
  concepts: readonly number[];
}

export class Dictionary {
  readonly stems: string[];
  private readonly stemId: Map<string, number>;
  private readonly words: Map<string, number[]>;
  private readonly pinyin: Map<string, string[]>;
  /** The longest word's length for each first character (segment tries no longer ones). */
  private readonly longestFrom = new Map<string, number>();

  private constructor(stems: string[], words: Map<string, number[]>, pinyin: Map<string, string[]>) {
    this.stems = stems;
    this.stemId = new Map(stems.map((s, i) => [s, i]));
    this.words = words;
    this.pinyin = pinyin;
    for (const w of words.keys()) if (w.length > (this.longestFrom.get(w[0]!) ?? 0)) this.longestFrom.set(w[0]!, w.length);
  }

  /** Parses the compiled text; throws DictionaryFormatError naming the line. */
  static parse(text: string, file = 'zh-en.txt'): Dictionary {
    const lines = text.split('\n');
    if (lines[0] !== `#${DICT_FORMAT}`) throw new DictionaryFormatError(`${file}: not a ${DICT_FORMAT} dictionary (first line ${JSON.stringify(lines[0]?.slice(0, 20))})`);
    if (!lines[1]?.startsWith('#S ')) throw new DictionaryFormatError(`${file} line 2: stem table missing`);
    const stems = lines[1].slice(3).split(' ');
    const words = new Map<string, number[]>();
    const pinyin = new Map<string, string[]>();
    let inPinyin = false;
    for (let i = 2; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      if (line === '#P') {
        inPinyin = true;
        continue;
      }
      const tab = line.indexOf('\t');
      if (tab < 1) throw new DictionaryFormatError(`${file} line ${i + 1}: no tab`);
      const key = line.slice(0, tab);
      if (inPinyin) pinyin.set(key, line.slice(tab + 1).split(' '));
      else {
        const ids = line.slice(tab + 1).split(',').map((s) => parseInt(s, 36));
        if (ids.some((n) => !(n >= 0 && n < stems.length))) throw new DictionaryFormatError(`${file} line ${i + 1}: stem index out of range`);
        words.set(key, ids);
      }
    }
    return new Dictionary(stems, words, pinyin);
  }

  /**
   * The concept id of an English word, or undefined (function word, or no Chinese word names it). A
   * British spelling the glosses lack ("colour", "harbour") is the concept of its American one: the
   * glosses spell some words the British way ("centre", "labour") and most the American way.
   */
  englishConceptId(word: string): number | undefined {
    // Words recur (a text's words, and news vocabulary across texts): each is stemmed once.
    const known = this.conceptOf.get(word);
    if (known !== undefined || this.conceptOf.has(word)) return known;
    const s = englishConcept(word);
    const id = s === undefined ? undefined : (this.stemId.get(s) ?? this.stemId.get(americanStem(s)));
    if (this.conceptOf.size >= 50_000) this.conceptOf.clear();
    this.conceptOf.set(word, id);
    return id;
  }
  /** englishConceptId's answers so far (at most 50,000 words: then forgotten at once). */
  private readonly conceptOf = new Map<string, number | undefined>();

  /** Toneless pinyin readings of a (folded) Han character. */
  readings(ch: string): readonly string[] {
    return this.pinyin.get(ch) ?? [];
  }

  /** Known pinyin syllables (for reading names written in English). */
  private syllableSet?: Set<string>;
  syllables(): ReadonlySet<string> {
    if (!this.syllableSet) {
      this.syllableSet = new Set();
      for (const list of this.pinyin.values()) for (const s of list) this.syllableSet.add(s);
    }
    return this.syllableSet;
  }

  /**
   * Chinese words of a text by forward maximum matching over the dictionary (Traditional folded to
   * Simplified first), each with its concepts. Han characters the dictionary does not know become
   * one-character words without concepts (names, mostly); function characters are left out.
   */
  segment(text: string): ZhWord[] {
    const folded = foldAligned(text);
    const out: ZhWord[] = [];
    let i = 0;
    while (i < folded.length) {
      if (!isHanUnit(folded.charCodeAt(i))) {
        i++;
        continue;
      }
      let len = Math.min(this.longestFrom.get(folded[i]!) ?? 1, folded.length - i);
      let found: number[] | undefined;
      for (; len > 1; len--) {
        if (!isHanUnit(folded.charCodeAt(i + len - 1))) continue;
        const w = folded.slice(i, i + len);
        found = this.words.get(w);
        if (found) break;
      }
      if (!found) {
        len = 1;
        const ch = folded[i]!;
        if (STOP_HAN.has(ch)) {
          i++;
          continue;
        }
        found = this.words.get(ch) ?? [];
      }
      out.push({ start: i, end: i + len, concepts: found });
      i += len;
    }
    return out;
  }
}
