/**
 * Normalisation and segmentation into matching units, with a map from every
 * unit back to its offsets in the source text.
 *
 * Per code point: NFKD (compatibility: full-width → half-width, ligatures,
 * circled digits…), combining marks dropped, case folded, look-alike letters
 * from other scripts folded to Latin, Traditional → Simplified folded, quotes
 * and dashes unified. Zero-width, bidi-control and soft-hyphen characters are
 * dropped entirely (they never split a word).
 *
 * Units: every Han character (and kana/hangul syllable) is a unit; runs of
 * other letters and digits are one unit (a word or number); everything else
 * separates units. Each unit is reduced to a 32-bit hash.
 */
import { CONFUSABLES } from './confusables';
import { T2S_FROM, T2S_TO } from './t2s-table.generated';

export interface Segmented {
  /** 32-bit hash of each unit's folded form. */
  units: Uint32Array;
  /** UTF-16 offset in the source text where each unit starts. */
  starts: Uint32Array;
  /** UTF-16 offset in the source text just past each unit. */
  ends: Uint32Array;
  /** Number of units (the arrays may be longer). */
  length: number;
  /** How many units were Han (CJK) characters. */
  hanUnits: number;
}

const enum Cls {
  Sep = 0,
  Word = 1,
  Han = 2,
  Drop = 3,
}

let t2s: Map<number, number> | undefined;
function t2sMap(): Map<number, number> {
  if (!t2s) {
    t2s = new Map();
    const from = [...T2S_FROM];
    const to = [...T2S_TO];
    for (let i = 0; i < from.length; i++) t2s.set(from[i]!.codePointAt(0)!, to[i]!.codePointAt(0)!);
  }
  return t2s;
}

const DROP = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e0fff}]/u;
const MARK = /\p{M}/gu;
const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORDCH = /[\p{L}\p{N}]/u;

/** A folded code point: its class and the code points it becomes. */
interface Fold {
  cls: Cls;
  /** Folded code points (for Word/Han). */
  cps: number[];
}

const foldCache = new Map<number, Fold>();
const SEP: Fold = { cls: Cls.Sep, cps: [] };
const DROPPED: Fold = { cls: Cls.Drop, cps: [] };

/** Folds one code point (exported for tests and for credit matching). */
export function foldCodePoint(cp: number): Fold {
  // ASCII fast path.
  if (cp < 0x80) {
    if (cp >= 0x61 && cp <= 0x7a) return asciiFold[cp]!;
    if (cp >= 0x41 && cp <= 0x5a) return asciiFold[cp + 32]!;
    if (cp >= 0x30 && cp <= 0x39) return asciiFold[cp]!;
    return SEP;
  }
  let f = foldCache.get(cp);
  if (f) return f;
  f = computeFold(cp);
  foldCache.set(cp, f);
  return f;
}

const asciiFold: Fold[] = [];
for (let c = 0x30; c <= 0x7a; c++) asciiFold[c] = { cls: Cls.Word, cps: [c] };

function computeFold(cp: number): Fold {
  const ch = String.fromCodePoint(cp);
  if (DROP.test(ch)) return DROPPED;
  const simplified = t2sMap().get(cp);
  if (simplified !== undefined) return { cls: Cls.Han, cps: [simplified] };
  let s = ch.normalize('NFKD').replace(MARK, '');
  if (s.length === 0) return /\p{M}/u.test(ch) ? DROPPED : SEP;
  s = s.toLowerCase();
  const out: number[] = [];
  let cls: Cls = Cls.Sep;
  for (const c of s) {
    let code = c.codePointAt(0)!;
    const conf = CONFUSABLES.get(code);
    if (conf !== undefined) {
      for (const x of conf) out.push(x.codePointAt(0)!);
      cls = Cls.Word;
      continue;
    }
    if (HAN.test(c)) {
      code = t2sMap().get(code) ?? code;
      out.push(code);
      cls = Cls.Han;
    } else if (WORDCH.test(c)) {
      out.push(code);
      if (cls !== Cls.Han) cls = Cls.Word;
    }
  }
  if (out.length === 0) return SEP;
  return { cls, cps: out };
}

/** Murmur3 finaliser: spreads bits so that hashes are well distributed. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;

/**
 * Per-BMP-code-unit lookup table of folds: 0 = not computed yet; otherwise
 * (folded code point << 4) | (multi ? 8 : 0) | (cls + 1). Multi-code-point
 * folds (ligatures, "ß" → "ss") and astral code points go through the cache.
 */
const TABLE = new Int32Array(0x10000);
/** ASCII: folded code of letters and digits, 0 for separators. */
const ASCII = new Uint8Array(0x80);
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = c;
for (let c = 0x61; c <= 0x7a; c++) ASCII[c] = c;
for (let c = 0x41; c <= 0x5a; c++) ASCII[c] = c + 32;
function tableEntry(cu: number): number {
  let v = TABLE[cu]!;
  if (v !== 0) return v;
  const f = foldCodePoint(cu);
  const multi = f.cps.length > 1 ? 8 : 0;
  v = ((f.cps[0] ?? 0) << 4) | multi | (f.cls + 1);
  TABLE[cu] = v;
  return v;
}

/**
 * Splits text into units with offsets. Linear in the text length. This is the
 * engine's hottest loop: the unit push is written out at each place on
 * purpose (helper closures measured about half as fast for English text).
 */
export function segment(text: string): Segmented {
  const len = text.length;
  // Capacity estimate from a sample: about one unit per CJK character, one per
  // five or six characters of alphabetic text (grows if the estimate is short).
  let wide = 0;
  const step = Math.max(1, Math.floor(len / 256));
  for (let i = 0; i < len; i += step) if (text.charCodeAt(i) >= 0x2e80) wide++;
  const sampled = Math.ceil(len / step);
  let cap = Math.max(64, Math.ceil(len * (wide / sampled) * 1.1 + (len >>> 2)));
  let units = new Uint32Array(cap);
  let starts = new Uint32Array(cap);
  let ends = new Uint32Array(cap);
  let n = 0;
  let han = 0;
  let inWord = false;
  let h = FNV_OFFSET;
  let wordStart = 0;
  let wordEnd = 0;

  const grow = () => {
    cap *= 2;
    const u = new Uint32Array(cap);
    u.set(units);
    units = u;
    const s = new Uint32Array(cap);
    s.set(starts);
    starts = s;
    const e = new Uint32Array(cap);
    e.set(ends);
    ends = e;
  };

  for (let i = 0; i < len; ) {
    const cu = text.charCodeAt(i);
    // ASCII fast path: letters and digits continue a word, the rest separates.
    if (cu < 0x80) {
      const a = ASCII[cu]!;
      if (a !== 0) {
        if (!inWord) {
          inWord = true;
          h = FNV_OFFSET;
          wordStart = i;
        }
        h = Math.imul(h ^ a, 0x01000193);
        wordEnd = ++i;
      } else {
        if (inWord) {
          if (n === cap) grow();
          units[n] = mix32(h);
          starts[n] = wordStart;
          ends[n] = wordEnd;
          n++;
          inWord = false;
        }
        i++;
      }
      continue;
    }
    let width = 1;
    let cls: number;
    let cp: number;
    let multi: number[] | undefined;
    if (cu >= 0xd800 && cu <= 0xdbff && i + 1 < len) {
      const full = text.codePointAt(i)!;
      width = full > 0xffff ? 2 : 1;
      const f = foldCodePoint(full);
      cls = f.cls;
      cp = f.cps[0] ?? 0;
      if (f.cps.length > 1) multi = f.cps;
    } else {
      const v = tableEntry(cu);
      cls = (v & 7) - 1;
      cp = v >>> 4;
      if (v & 8) multi = foldCodePoint(cu).cps;
    }
    if (cls === Cls.Word) {
      if (!inWord) {
        inWord = true;
        h = FNV_OFFSET;
        wordStart = i;
      }
      if (multi) for (const c of multi) h = Math.imul(h ^ c, 0x01000193);
      else h = Math.imul(h ^ cp, 0x01000193);
      wordEnd = i + width;
    } else if (cls === Cls.Han) {
      if (inWord) {
        if (n === cap) grow();
        units[n] = mix32(h);
        starts[n] = wordStart;
        ends[n] = wordEnd;
        n++;
        inWord = false;
      }
      const count = multi ? multi.length : 1;
      for (let m = 0; m < count; m++) {
        if (n === cap) grow();
        units[n] = mix32((multi ? multi[m]! : cp) ^ 0x9e3779b9);
        starts[n] = i;
        ends[n] = i + width;
        n++;
        han++;
      }
    } else if (cls === Cls.Sep && inWord) {
      if (n === cap) grow();
      units[n] = mix32(h);
      starts[n] = wordStart;
      ends[n] = wordEnd;
      n++;
      inWord = false;
    }
    i += width;
  }
  if (inWord) {
    if (n === cap) grow();
    units[n] = mix32(h);
    starts[n] = wordStart;
    ends[n] = wordEnd;
    n++;
  }
  return { units, starts, ends, length: n, hanUnits: han };
}

/** The folded text of a string (for display, tests and credit matching). */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) {
    const f = foldCodePoint(ch.codePointAt(0)!);
    if (f.cls === Cls.Drop) continue;
    if (f.cls === Cls.Sep) out += ' ';
    else out += String.fromCodePoint(...f.cps);
  }
  return out.replace(/ +/g, ' ').trim();
}

/**
 * Folds text code unit by code unit, keeping its length, so that offsets in
 * the result are offsets in the source: letters case-folded and de-accented,
 * look-alikes folded to Latin, Traditional → Simplified, full-width → ASCII;
 * dropped characters (zero-width, bidi) become spaces. Used to search for
 * names in page text.
 */
export function foldAligned(text: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const f = foldCodePoint(cp);
    let rep: string;
    if (f.cls === Cls.Drop) rep = ' ';
    else if (f.cls === Cls.Sep) {
      const n = ch.normalize('NFKC');
      rep = n.length === 1 ? n : ch;
    } else rep = String.fromCodePoint(f.cps[0]!);
    if (rep.length !== width) rep = rep.length > width ? rep.slice(0, width) : rep.padEnd(width, ' ');
    out.push(rep);
    i += width;
  }
  return out.join('');
}
