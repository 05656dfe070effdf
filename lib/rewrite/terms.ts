/**
 * Content terms and sentences: the text units of the rewrite tier.
 *
 * A rewritten copy keeps the facts and much of the vocabulary but few long
 * runs of words, so the rewrite tier compares *content terms* instead of
 * units: English words stemmed (Porter, the `stemmer` package) with function
 * words dropped (the `stopword` package's English list plus the reporting
 * verbs that every news story shares); numbers; and for Chinese, which has no
 * spaces, overlapping character bigrams (the classic unit of Chinese
 * retrieval: most words are two characters), without bigrams that hold a
 * function character (的, 了, 在, 和 …). Every term
 * keeps its offsets in the text and flags that say whether it is a number (or
 * the unit of measure after one), a capitalised (name-like) word, inside
 * quotation marks, or used more than once in the text (its topic) — numbers,
 * names, quotes and the topic are what independent reports of one event
 * share too.
 *
 * Sentences end at 。！？；!? (with any closing quotes), at a full stop
 * followed by a space and a capital, digit, quote or Han character (not after
 * a few common abbreviations), and at line breaks.
 */
import { stemmer } from 'stemmer';
import { eng as STOP_EN } from 'stopword';
import { foldCodePoint, foldText, mix32, segment, type Segmented } from '../text/normalize';
import { americanStem } from './spelling';

/** Changes whenever what counts as a term changes (stop words, stemming, bigrams): grams of other versions never match. */
export const TERMS_VERSION = 4;

export const TERM_NUMBER = 1;
export const TERM_NAME = 2;
export const TERM_QUOTED = 4;
export const TERM_HAN = 8;
/** A term the text uses more than once: its topic (the names of people, places and bodies it is about recur). */
export const TERM_TOPICAL = 16;

export interface Terms {
  /** 32-bit hash of each term. */
  hashes: Uint32Array;
  /** UTF-16 offsets of each term in the text [start, end). */
  starts: Uint32Array;
  ends: Uint32Array;
  /** Sentence index of each term. */
  sentence: Uint32Array;
  /** TERM_* bits. */
  flags: Uint8Array;
  length: number;
  /** Sentences as [start, end) offsets in the text. */
  sentences: Array<[number, number]>;
}

/** Words that every news story uses: reporting verbs and their forms. */
const NEWS_FUNCTION = ['said', 'says', 'say', 'told', 'tell', 'tells', 'according', 'added', 'adding', 'noted', 'stated', 'also', 'would', 'will', 'could', 'may', 'might', 'must', 'can', 'one', 'two', 'per', 'cent', 'percent', 'mr', 'mrs', 'ms', 'dr', 'its', 'it', 'which', 'who', 'whom', 'whose', 'this', 'that', 'these', 'those', 'there', 'their', 'they', 'them', 'than', 'then', 'into', 'onto', 'over', 'under', 'while', 'where', 'when', 'what', 'yet', 'such', 'some', 'more', 'most', 'other', 'only', 'very', 'about'];
const STOP_WORDS = new Set([...STOP_EN, ...NEWS_FUNCTION].map((w) => w.toLowerCase()));
/** Chinese function characters (particles, prepositions, pronouns, conjunctions): a bigram with one of them is no content term. */
const STOP_HAN = new Set(Array.from('的了着过地得之其而与及和或也都就又还被把将对于在是为以等这那该此并从由向吗呢吧啊们个所已', (c) => c.codePointAt(0)!));

const HAN_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A code point as matching folds it (Traditional → Simplified, width, case). */
function folded(cp: number): number {
  return foldCodePoint(cp).cps[0] ?? cp;
}

/** Per BMP code unit: 0 not yet known, 1 not Han, 2 Han. */
const HAN_TABLE = new Uint8Array(0x10000);
function isHan(cp: number): boolean {
  if (cp < 0x2e80) return false;
  if (cp > 0xffff) return HAN_CHAR.test(String.fromCodePoint(cp));
  let v = HAN_TABLE[cp]!;
  if (!v) HAN_TABLE[cp] = v = HAN_CHAR.test(String.fromCharCode(cp)) ? 2 : 1;
  return v === 2;
}
const UPPER = /^\p{Lu}/u;
const DIGITS = /^\d+$/;
const ABBREV = /(?:^|[\s(])(?:mr|mrs|ms|dr|st|no|vs|gen|gov|sen|rep|prof|inc|ltd|co|corp|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|[a-z])$/i;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x3000 || c === 0x0c || c === 0x0b;
/** 。！？；!?… and the full-width full stop: a sentence ends there (Chinese needs no space after it). */
const isStrongEnd = (c: number) => c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff1b || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0xff0e || c === 0x3b;
/** Closing quotes and brackets that belong to the sentence before them. */
const isCloser = (c: number) => c === 0x201d || c === 0x22 || c === 0x2019 || c === 0x27 || c === 0x300d || c === 0x300f || c === 0xff09 || c === 0x29 || c === 0x5d || c === 0x3011;

/** A line that ends a sentence or a heading on its own (terminal punctuation, a colon, closing quotes). */
const LINE_END = /[.!?。！？；;:：…"”’'）)\]」』]$/u;

/**
 * Whether a text is hard-wrapped — plain-text files, wire copy, e-mail, text taken from PDFs: its lines
 * break at a fixed width in the middle of sentences, and only a blank line ends a paragraph. Read as
 * sentence ends, those breaks would cut every sentence in two (and a rewritten copy's sentences
 * would no longer align with its source's). Decided for the whole text: at least four lines that
 * another line of the same paragraph follows, most of them ending mid-sentence, and most of them
 * nearly as long as the longest — text with one paragraph per line (what page extraction gives)
 * has lines of every length that end with a full stop.
 */
export function isHardWrapped(text: string): boolean {
  if (text.indexOf('\n') < 0) return false;
  const lines = text.split(/\r?\n/);
  const lengths: number[] = [];
  let open = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || !lines[i + 1]!.trim()) continue; // a paragraph's last line
    lengths.push(line.length);
    if (!LINE_END.test(line)) open++;
  }
  if (lengths.length < 4 || open * 2 < lengths.length) return false;
  const sorted = lengths.slice().sort((a, b) => a - b);
  const width = sorted[Math.floor(sorted.length * 0.9)]!;
  let near = 0;
  for (const n of lengths) if (n >= width * 0.6) near++;
  return near >= lengths.length * 0.7;
}

/** Sentences of a text as [start, end) offsets (trimmed; empty ones dropped). In hard-wrapped text a line break inside a paragraph is a space. */
export function splitSentences(text: string, wrapped = isHardWrapped(text)): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    let a = start;
    let b = end;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (b > a) out.push([a, b]);
    start = end;
  };
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      if (wrapped && !blankLineAt(text, i)) continue;
      push(i + 1);
      continue;
    }
    if (c === 0x3b && !/[\p{Script=Han}]/u.test(text[i - 1] ?? '')) continue; // an English semicolon does not end a sentence
    if (isStrongEnd(c)) {
      let j = i + 1;
      while (j < len && (isCloser(text.charCodeAt(j)) || isStrongEnd(text.charCodeAt(j)))) j++;
      push(j);
      i = j - 1;
      continue;
    }
    if (c === 0x2e) {
      let j = i + 1;
      while (j < len && isCloser(text.charCodeAt(j))) j++;
      if (j < len && !isSpace(text.charCodeAt(j))) continue; // 4.2, U.S.A, example.com
      let k = j;
      while (k < len && (text.charCodeAt(k) === 0x20 || text.charCodeAt(k) === 0x09 || text.charCodeAt(k) === 0xa0)) k++;
      const next = text[k];
      if (next !== undefined && next !== '\n' && !/["“‘'(\[\p{Lu}\p{N}]/u.test(next) && !isHan(next.codePointAt(0)!)) continue;
      if (ABBREV.test(text.slice(Math.max(0, i - 6), i))) continue;
      push(j);
      i = j - 1;
    }
  }
  push(len);
  return out;
}

/** Whether the line break at i starts or ends a blank line (a paragraph break), or ends the text. */
function blankLineAt(text: string, i: number): boolean {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x0a) return true;
    if (c !== 0x0d && c !== 0x20 && c !== 0x09 && c !== 0xa0 && c !== 0x3000) break;
    if (j === text.length - 1) return true;
  }
  for (let j = i - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (c === 0x0a) return true;
    if (c !== 0x0d && c !== 0x20 && c !== 0x09 && c !== 0xa0 && c !== 0x3000) return false;
  }
  return true;
}

const QUOTE_CLOSE = new Map<number, number>([
  [0x201c, 0x201d], // “ ”
  [0x300c, 0x300d], // 「 」
  [0x300e, 0x300f], // 『 』
  [0x22, 0x22], // " "
  [0xab, 0xbb], // « »
  [0x201e, 0x201c], // „ “
]);

/** [start, end) offsets of quoted passages (“…”, "…", 「…」, 『…』), within a paragraph (a line, or in hard-wrapped text the lines up to a blank one) and at most 1,000 characters. */
export function quotedSpans(text: string, wrapped = isHardWrapped(text)): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x201c && c !== 0x300c && c !== 0x300e && c !== 0x22 && c !== 0xab && c !== 0x201e) continue;
    const close = QUOTE_CLOSE.get(c)!;
    let j = i + 1;
    while (j < len && j - i < 1000 && text.charCodeAt(j) !== close && (text.charCodeAt(j) !== 0x0a || (wrapped && !blankLineAt(text, j)))) j++;
    // Past the closing mark, or on from where the search gave up: each character is looked at once or
    // twice however many unclosed marks a page has.
    if (j < len && text.charCodeAt(j) === close) {
      out.push([i, j + 1]);
      i = j;
    } else i = Math.max(i, j - 1);
  }
  return out;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h ^ 0x2545f491);
}

/** Term hash of a folded word, or 0 for a function word. */
function wordTerm(folded: string): number {
  if (DIGITS.test(folded)) return hashString('#' + folded.replace(/^0+(?=\d)/, ''));
  if (STOP_WORDS.has(folded) || folded.length < 2) return 0;
  return hashString(americanStem(stemmer(folded))) || 1;
}

/** Number words: with digits and the units of measure after them, they state quantities, which independent reports share. */
const NUMBER_WORDS = new Set(
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens half quarter first second third fourth fifth sixth seventh eighth ninth tenth'.split(' '),
);
const HAN_NUMERALS = new Set(Array.from('〇零一二三四五六七八九十百千万亿两半几余多', (c) => c.codePointAt(0)!));

interface UnitInfo {
  /** Term hash (0: a function word). */
  term: number;
  numeric: boolean;
}
/** Word unit hash (the hash of its folded form) → its term: folding and stemming once per distinct word. */
const unitInfo = new Map<number, UnitInfo>();
function infoOf(unit: number, text: string, s: number, e: number): UnitInfo {
  let info = unitInfo.get(unit);
  if (!info) {
    const folded = foldText(text.slice(s, e));
    info = { term: wordTerm(folded), numeric: DIGITS.test(folded) || NUMBER_WORDS.has(folded) };
    if (unitInfo.size > 100_000) unitInfo.clear();
    unitInfo.set(unit, info);
  }
  return info;
}

/**
 * Content terms of a text, in order. `seg` is the text's segmentation when
 * the caller has it already.
 */
export function contentTerms(text: string, seg: Segmented = segment(text)): Terms {
  const n = seg.length;
  const hashes = new Uint32Array(n);
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  const sentence = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const wrapped = isHardWrapped(text);
  const sentences = splitSentences(text, wrapped);
  const quotes = quotedSpans(text, wrapped);
  // Two Han characters are adjacent when nothing is between them, or in hard-wrapped text only the line break.
  const joined = (a: number, b: number) => a === b || (wrapped && b - a <= 2 && /^\r?\n$/.test(text.slice(a, b)));
  let count = 0;
  let si = 0;
  let qi = 0;
  let firstInSentence = true;
  // Whether the previous unit was a number: a term right after one is its unit of measure ("39 crowns", "20万亩").
  let prevNumeric = false;
  for (let i = 0; i < n; i++) {
    const s = seg.starts[i]!;
    const e = seg.ends[i]!;
    while (si + 1 < sentences.length && s >= sentences[si]![1]) {
      si++;
      firstInSentence = true;
    }
    while (qi < quotes.length && s >= quotes[qi]![1]) qi++;
    const quoted = qi < quotes.length && s >= quotes[qi]![0] && s < quotes[qi]![1] ? TERM_QUOTED : 0;
    const cp = text.codePointAt(s)!;
    // A number carries to the unit right after it only across a space or a hyphen ("39 crowns", "3-hour", "20万亩").
    const gap = i > 0 ? s - seg.ends[i - 1]! : 0;
    const g = gap === 1 ? text.charCodeAt(s - 1) : 0;
    if (gap > 1 || (gap === 1 && g !== 0x20 && g !== 0x2d && g !== 0xa0)) prevNumeric = false;
    const han = e - s <= 2 && isHan(cp);
    if (han) {
      // A bigram with the next Han character of the same run; function characters and numerals compared in
      // Simplified form (Traditional folds to it), so both scripts give the same terms.
      const f = folded(cp);
      const j = i + 1;
      const adjacent = j < n && joined(e, seg.starts[j]!) && isHan(text.codePointAt(seg.starts[j]!)!);
      const prevAdjacent = i > 0 && joined(seg.ends[i - 1]!, s) && isHan(text.codePointAt(seg.starts[i - 1]!)!);
      const f2 = adjacent ? folded(text.codePointAt(seg.starts[j]!)!) : 0;
      let h = 0;
      if (adjacent) {
        if (!STOP_HAN.has(f) && !STOP_HAN.has(f2)) h = mix32(Math.imul(seg.units[i]!, 0x9e3779b1) ^ seg.units[j]!) || 1;
      } else if (!prevAdjacent && !STOP_HAN.has(f)) h = mix32(seg.units[i]! ^ 0x51ed270b) || 1; // a lone character
      firstInSentence = false;
      // A numeral is a number only next to another numeral or a number ("两万亿", "1.3万"), not in 一直 or 十分.
      const nextDigit = j < n && seg.ends[i] === seg.starts[j] && /\d/.test(text[seg.starts[j]!]!);
      const numeral: boolean = HAN_NUMERALS.has(f) && (prevNumeric || HAN_NUMERALS.has(f2) || nextDigit);
      const quantity = numeral || prevNumeric;
      prevNumeric = numeral;
      if (!h) continue;
      hashes[count] = h;
      starts[count] = s;
      ends[count] = adjacent ? seg.ends[j]! : e;
      sentence[count] = si;
      flags[count] = TERM_HAN | quoted | (quantity ? TERM_NUMBER : 0);
      count++;
      continue;
    }
    const info = infoOf(seg.units[i]!, text, s, e);
    const h = info.term;
    const wasFirst = firstInSentence;
    firstInSentence = false;
    const quantity = info.numeric || prevNumeric;
    prevNumeric = info.numeric;
    if (!h) continue;
    let f = quoted;
    if (quantity) f |= TERM_NUMBER;
    else if (!wasFirst && UPPER.test(text[s]!)) f |= TERM_NAME;
    hashes[count] = h;
    starts[count] = s;
    ends[count] = e;
    sentence[count] = si;
    flags[count] = f;
    count++;
  }
  // Terms used more than once are the text's topic: what any report of the same event repeats.
  const seen = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const first = seen.get(hashes[i]!);
    if (first === undefined) seen.set(hashes[i]!, i);
    else {
      flags[i]! |= TERM_TOPICAL;
      flags[first]! |= TERM_TOPICAL;
    }
  }
  return { hashes, starts, ends, sentence, flags, length: count, sentences };
}
