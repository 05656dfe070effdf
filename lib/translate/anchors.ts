/**
 * Language-neutral anchors: what a translation keeps whatever its words.
 *
 * Numbers, amounts and percentages are normalised to their value across scripts and languages
 * ("18.7万" = "187,000" = "187 thousand"; "1.2亿元" = "120 million yuan"; "百分之三十" = "30%" =
 * "30 percent"); dates to month-day ("3月14日" = "March 14" = "14 March"). Names (pinyin syllable
 * pairs, see names.ts) and outlets (the registry's names in every language) are anchors too.
 *
 * Pure string work: no Node imports, runs in the service worker.
 */

export type AnchorKind = 'number' | 'percent' | 'date' | 'name' | 'outlet';

export interface Anchor {
  /** Language-neutral key: "n:187000", "p:30", "d:3-14", "y:pinyin pair", "o:outlet id". */
  key: string;
  kind: AnchorKind;
  /** UTF-16 offsets in the text [start, end). */
  start: number;
  end: number;
}

const HAN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const HAN_SMALL_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const HAN_BIG_UNIT: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** The value of a Chinese numeral ("两万八千" → 28000, "十五" → 15, "三十七" → 37), or undefined. */
export function hanNumeral(s: string): number | undefined {
  let total = 0;
  let section = 0;
  let digit = -1;
  let any = false;
  for (const ch of s) {
    if (ch in HAN_DIGIT) {
      digit = HAN_DIGIT[ch]!;
      any = true;
    } else if (ch in HAN_SMALL_UNIT) {
      section += (digit < 0 ? 1 : digit) * HAN_SMALL_UNIT[ch]!;
      digit = -1;
      any = true;
    } else if (ch in HAN_BIG_UNIT) {
      const u = HAN_BIG_UNIT[ch]!;
      section += digit < 0 ? 0 : digit;
      total = (total + (section || (any ? 0 : 1))) * u;
      section = 0;
      digit = -1;
      any = true;
    } else return undefined;
  }
  if (!any) return undefined;
  if (digit >= 0) {
    // "两万八" = 28000: a trailing digit after a unit counts one step down.
    section += digit;
  }
  return total + section;
}

/** The value of a Chinese digit string written digit by digit ("二〇二六" → 2026), or undefined. */
function hanDigits(s: string): number | undefined {
  let v = 0;
  for (const ch of s) {
    if (!(ch in HAN_DIGIT)) return undefined;
    v = v * 10 + HAN_DIGIT[ch]!;
  }
  return v;
}

function numberKey(v: number): string {
  // Two decimals at most: "4.2" and "4.20" are one value; 187000.0000001 is 187000.
  const r = Math.round(v * 100) / 100;
  return String(r);
}

const EN_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const EN_MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  let i = EN_MONTHS.indexOf(w);
  if (i < 0 && w !== 'may') i = EN_MONTH_ABBR.indexOf(w === 'sept' ? 'sep' : w);
  return i < 0 ? undefined : i + 1;
}

const EN_SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, mn: 1e6 };
const EN_WORD_NUMBER: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15,
  sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, dozen: 12,
  second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};

const HAN_NUM_CHARS = '零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億';
/** Measure words and units after which a single Chinese digit is a number ("三座", "七个"). */
const HAN_COUNTERS = '个個名座家项項位年届屆条條所次天人只艘台臺架辆輛部种種类類批场場期层層道份件棵头頭吨噸米公里元岁歲倍周週轮輪';

const HN = `[${HAN_NUM_CHARS}]+`;
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
// Made once (matchAll copies a pattern before it moves through a text, so sharing them is safe).
const ZH_DATE = new RegExp(`(\\d{1,2}|[${HAN_NUM_CHARS}]{1,3})\\s*月\\s*(\\d{1,2}|[${HAN_NUM_CHARS}]{1,3})\\s*[日号號]`, 'g');
const EN_MONTH_DAY = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g');
const EN_DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b`, 'g');
const ZH_PERCENT = new RegExp(`百分之\\s*(\\d+(?:\\.\\d+)?|${HN}(?:点[${HAN_NUM_CHARS}]+)?)`, 'g');
const ZH_NUMERAL = new RegExp(`(第)?(${HN})(?:点([${HAN_NUM_CHARS}]+))?([${HAN_COUNTERS}])?`, 'g');

/**
 * Number, percentage and date anchors of a text (English, Chinese, or mixed), in text order.
 * Numbers inside dates are part of the date anchor only.
 */
export function numberAnchors(text: string): Anchor[] {
  const out: Anchor[] = [];
  const taken = new Uint8Array(text.length);
  const push = (key: string, kind: AnchorKind, start: number, end: number) => {
    for (let i = start; i < end; i++) if (taken[i]) return;
    taken.fill(1, start, end);
    out.push({ key, kind, start, end });
  };
  // Chinese dates: 3月14日, 三月十四日, 1月18号.
  for (const m of text.matchAll(ZH_DATE)) {
    const mo = /\d/.test(m[1]!) ? Number(m[1]) : hanNumeral(m[1]!);
    const d = /\d/.test(m[2]!) ? Number(m[2]) : hanNumeral(m[2]!);
    if (mo && d && mo <= 12 && d <= 31) push(`d:${mo}-${d}`, 'date', m.index!, m.index! + m[0].length);
  }
  // English dates: March 14, Mar. 14th, 14 March.
  for (const m of text.matchAll(EN_MONTH_DAY)) {
    const mo = monthOf(m[1]!);
    const d = Number(m[2]);
    if (mo && d >= 1 && d <= 31) push(`d:${mo}-${d}`, 'date', m.index!, m.index! + m[0].length);
  }
  for (const m of text.matchAll(EN_DAY_MONTH)) {
    const mo = monthOf(m[2]!);
    const d = Number(m[1]);
    if (mo && d >= 1 && d <= 31) push(`d:${mo}-${d}`, 'date', m.index!, m.index! + m[0].length);
  }
  // Percentages: 30%, 30 percent, 30 per cent, 百分之三十, 百分之30.
  for (const m of text.matchAll(ZH_PERCENT)) {
    const v = /\d/.test(m[1]!) ? Number(m[1]) : hanDecimal(m[1]!);
    if (v !== undefined) push(`p:${numberKey(v)}`, 'percent', m.index!, m.index! + m[0].length);
  }
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(?:%|％|\s(?:percent|per cent)\b)/g))
    push(`p:${numberKey(Number(m[1]))}`, 'percent', m.index!, m.index! + m[0].length);
  // Arabic numbers, with thousands separators, decimals, and a scale word (万/亿/千, thousand/million/billion).
  for (const m of text.matchAll(/(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(万亿|萬億|亿|億|万|萬|千)|\s*-?\s*(thousand|million|billion|trillion|bn|mn)\b)?/gi)) {
    let v = Number(m[1]!.replace(/,/g, '') + (m[2] ? '.' + m[2] : ''));
    const han = m[3];
    const en = m[4]?.toLowerCase();
    if (han) v *= han.length === 2 ? 1e12 : han === '千' ? 1e3 : HAN_BIG_UNIT[han]!;
    else if (en) v *= EN_SCALE[en]!;
    // A number glued to letters ("G7721", "T6") is a name, not an amount: still an anchor, by its digits.
    push(`n:${numberKey(v)}`, 'number', m.index!, m.index! + m[0].length);
  }
  // Chinese numerals: runs of two or more numeral characters, 第 + numeral, or one digit before a measure word.
  for (const m of text.matchAll(ZH_NUMERAL)) {
    const run = m[2]!;
    const ordinal = !!m[1];
    const counted = !!m[4];
    if (run.length < 2 && !ordinal && (!counted || run === '一')) continue;
    // 一 inside words (统一, 一起, 万一) is no number: a lone 一 needs 第 or a measure word.
    let v = hanNumeral(run);
    if (v === undefined) v = hanDigits(run);
    if (v === undefined) continue;
    if (m[3]) v += hanDecimal('零点' + m[3]) ?? 0;
    if (v === 0) continue;
    push(`n:${numberKey(v)}`, 'number', m.index! + (ordinal ? 1 : 0), m.index! + m[0].length - (counted ? 1 : 0));
  }
  // English number words: "twenty-eight", "six", "sixth", "three hundred".
  for (const m of text.matchAll(/\b([A-Za-z]+)(?:-([A-Za-z]+))?(?:\s+(hundred|thousand|million|billion))?\b/g)) {
    const a = EN_WORD_NUMBER[m[1]!.toLowerCase()];
    if (a === undefined) continue;
    let v = a;
    if (m[2]) {
      const b = EN_WORD_NUMBER[m[2].toLowerCase()];
      if (b === undefined || b >= 10) continue;
      v += b;
    }
    if (m[3]) v *= m[3].toLowerCase() === 'hundred' ? 100 : EN_SCALE[m[3].toLowerCase()]!;
    push(`n:${numberKey(v)}`, 'number', m.index!, m.index! + m[0].length);
  }
  return out.sort((x, y) => x.start - y.start);
}

/** "三十七点五" → 37.5; "零点五" → 0.5. */
function hanDecimal(s: string): number | undefined {
  const [a, b] = s.split('点');
  const whole = a ? (hanNumeral(a) ?? hanDigits(a)) : 0;
  if (whole === undefined) return undefined;
  if (!b) return whole;
  const frac = hanDigits(b);
  return frac === undefined ? undefined : whole + frac / 10 ** b.length;
}

/** Outlet anchors: any name of an outlet of the registry, in any language ("Global Times", "环球时报"). */
export function outletAnchors(text: string, outlets: ReadonlyArray<{ id: string; names: readonly string[] }>): Anchor[] {
  const out: Anchor[] = [];
  const lower = text.toLowerCase();
  for (const o of outlets)
    for (const name of o.names) {
      const n = name.toLowerCase();
      if (n.length < 2) continue;
      let at = lower.indexOf(n);
      while (at >= 0) {
        const before = at > 0 ? lower.charCodeAt(at - 1) : 32;
        const after = at + n.length < lower.length ? lower.charCodeAt(at + n.length) : 32;
        // Latin names must stand as words; Han names need no boundary.
        const latin = /[a-z]/.test(n);
        const word = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
        if (!latin || (!word(before) && !word(after))) out.push({ key: `o:${o.id}`, kind: 'outlet', start: at, end: at + n.length });
        at = lower.indexOf(n, at + n.length);
      }
    }
  return out.sort((x, y) => x.start - y.start);
}
