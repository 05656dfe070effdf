/**
 * Seeded generator of page/original pairs for behaviour tests and the
 * accuracy benchmark. It takes the fictional originals and fixtures and makes
 * the copies that real pages make: verbatim, commentary around and between
 * paragraphs, a share of the original, reordered sentences, Traditional
 * script, Unicode noise (full-width forms, zero-width and bidi characters),
 * look-alike Cyrillic letters, mixed English/Chinese, every 5th sentence
 * reworded, credited copies; and negatives (independent articles on the same
 * event, statement-only overlap, unrelated text, originals not in the index).
 */
import * as OpenCC from 'opencc-js';
import { readFileSync } from 'node:fs';
import type { OriginalInput } from '../../lib/index/types';

export type Lang = 'en' | 'zh';
export type Obfuscation =
  | 'verbatim'
  | 'commentary'
  | 'reordered'
  | 'traditional'
  | 'unicode-noise'
  | 'homoglyphs'
  | 'mixed-language'
  | 'reworded-every-5th'
  | 'combined';

export const OBFUSCATIONS: Obfuscation[] = [
  'verbatim', 'commentary', 'reordered', 'traditional', 'unicode-noise', 'homoglyphs', 'mixed-language', 'reworded-every-5th', 'combined',
];

/** The single obfuscations that 'combined' stacks (three at a time, in this order). */
const STACKABLE: Obfuscation[] = ['reworded-every-5th', 'reordered', 'commentary', 'traditional', 'homoglyphs', 'unicode-noise'];

export interface GeneratedPage {
  lang: Lang;
  text: string;
  /** Expected verdict family: a copy (uncredited/partial), credited, or none. */
  expect: 'copy' | 'credited' | 'none';
  /** Original the page copies (for copy/credited). */
  originalId?: string;
  kind: string;
  /** Share of the original reused (0–1). */
  share: number;
  url?: string;
}

const ROOT = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, ROOT), 'utf8');
/** The records of a JSONL file (a path from the project's root), one per non-blank line. */
export const jsonl = <T = any>(p: string): T[] => read(p).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);

export interface Fixtures {
  originals: Record<Lang, OriginalInput[]>;
  negatives: Record<Lang, Array<OriginalInput & { about: string }>>;
  commentary: Record<Lang, string[]>;
  filler: Record<Lang, string[]>;
}

/**
 * The share of an original's figures (digit groups) that a page repeats: an
 * engine-independent measure of how much of the original's facts a page
 * reuses. Independent reports of an event share its key figures, not most of them.
 */
export function figureShare(page: string, original: string): number {
  const figures = (t: string) => new Set((t.match(/\d+(?:[.,]\d+)*/g) ?? []).map((x) => x.replace(/,/g, '')));
  const a = figures(original);
  const b = figures(page);
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return a.size ? shared / a.size : 0;
}

/** Reports of the same events written independently from the core facts only (tests/fixtures/rewrites/). */
function independentReports(lang: Lang): Array<OriginalInput & { about: string }> {
  return jsonl(`tests/fixtures/rewrites/${lang === 'en' ? 'independent-en' : 'same-event-zh'}.jsonl`).map((p) => ({
    id: p.id,
    outlet: 'independent',
    url: `https://independent-news.test/${p.id}`,
    title: p.title,
    published: '2026-11-20',
    lang,
    text: p.text,
    about: p.source,
  }));
}

/** Articles that no bundled original is the source of (independent reports), as originals for feeds in tests. */
export function articlesNotInIndex(): OriginalInput[] {
  return jsonl('tests/fixtures/rewrites/independent-en.jsonl').map((p) => ({ id: p.id, outlet: 'independent', url: `https://independent-news.test/${p.id}`, title: p.title, published: '2026-11-20', lang: 'en', text: p.text }));
}

export function loadFixtures(): Fixtures {
  const originals = { en: jsonl('public/starter/originals-en.jsonl'), zh: jsonl('public/starter/originals-zh.jsonl') };
  return {
    originals,
    // Statement-only overlap (a quoted official statement that several originals carry) and independent reports of the same events.
    negatives: {
      en: [...jsonl('tests/fixtures/negatives-en.jsonl'), ...independentReports('en')],
      zh: [...jsonl('tests/fixtures/negatives-zh.jsonl'), ...independentReports('zh')],
    },
    commentary: { en: JSON.parse(read('tests/fixtures/commentary-en.json')), zh: JSON.parse(read('tests/fixtures/commentary-zh.json')) },
    filler: { en: JSON.parse(read('tests/fixtures/filler-en.json')), zh: JSON.parse(read('tests/fixtures/filler-zh.json')) },
  };
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
function shuffle<T>(r: () => number, a: T[]): T[] {
  const b = a.slice();
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [b[i], b[j]] = [b[j]!, b[i]!];
  }
  return b;
}

export const paragraphs = (t: string) => t.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
export function sentences(p: string, lang: Lang): string[] {
  const parts = lang === 'zh' ? p.split(/(?<=[。！？!?][”」』]?)/) : p.split(/(?<=[.!?]["”’]?)\s+(?=["“‘A-Z0-9])/);
  return parts.map((s) => s.trim()).filter(Boolean);
}
const joinSentences = (s: string[], lang: Lang) => s.join(lang === 'zh' ? '' : ' ');

/** Contiguous paragraphs covering about `share` of the original's characters. */
export function takeShare(r: () => number, paras: string[], share: number): string[] {
  if (share >= 0.999) return paras;
  const total = paras.reduce((s, p) => s + p.length, 0);
  const want = share * total;
  const start = Math.floor(r() * paras.length);
  const out: string[] = [];
  let got = 0;
  for (let i = 0; i < paras.length && got < want; i++) {
    const p = paras[(start + i) % paras.length]!;
    out.push(p);
    got += p.length;
  }
  // Trim the last paragraph so the share is close to the target.
  if (got > want * 1.15 && out.length > 1) {
    const last = out.pop()!;
    const need = want - (got - last.length);
    if (need > 0) out.push(last.slice(0, Math.ceil(need)));
  }
  return out;
}

let t2hk: ((s: string) => string) | undefined;
export function toTraditional(s: string): string {
  t2hk ??= OpenCC.Converter({ from: 'cn', to: 'hk' });
  return t2hk(s);
}

const ZW = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const BIDI = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068'];
function unicodeNoise(r: () => number, s: string): string {
  let out = '';
  for (const ch of s) {
    let c = ch;
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x21 && cp <= 0x7e && r() < 0.5) c = String.fromCodePoint(cp + 0xfee0); // full-width
    if (ch === ',' && r() < 0.5) c = '，';
    out += c;
    const x = r();
    if (x < 0.12) out += pick(r, ZW);
    else if (x < 0.14) out += pick(r, BIDI) + '\u202c';
  }
  return out;
}

const HOMO: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у', i: 'і', A: 'А', E: 'Е', O: 'О', P: 'Р', C: 'С', T: 'Т', H: 'Н', K: 'К', M: 'М', B: 'В' };
function homoglyphs(r: () => number, s: string): string {
  let out = '';
  for (const ch of s) out += HOMO[ch] && r() < 0.7 ? HOMO[ch] : ch;
  return out;
}

const EN_SYN: Record<string, string> = {
  said: 'stated', says: 'states', new: 'fresh', large: 'big', big: 'large', many: 'numerous', more: 'additional',
  also: 'as well', about: 'around', city: 'town', people: 'residents', year: 'twelve months', first: 'initial',
  percent: 'per cent', will: 'is set to', began: 'started', opened: 'launched', help: 'assist', show: 'reveal',
  local: 'area', officials: 'authorities', government: 'administration', project: 'scheme', number: 'count',
  after: 'following', before: 'ahead of', during: 'throughout', because: 'since', however: 'but', expected: 'forecast',
};
/** Rewords a sentence: synonyms, dropped words, clause order; breaks every k-gram in it. */
function rewordEn(r: () => number, s: string): string {
  const words = s.split(/\s+/);
  const out: string[] = [];
  words.forEach((w, i) => {
    const bare = w.toLowerCase().replace(/[^a-z]/g, '');
    if (EN_SYN[bare]) out.push(w.replace(new RegExp(bare, 'i'), EN_SYN[bare]!));
    else if (i % 4 === 2 && /^(the|a|an|of|to|in|on|and|that)$/i.test(bare)) return; // drop a function word
    else if (i % 5 === 3) out.push(w, pick(r, ['indeed', 'notably', 'reportedly', 'in fact', 'clearly']));
    else out.push(w);
  });
  const t = out.join(' ');
  const comma = t.indexOf(', ');
  return comma > 10 && r() < 0.5 ? `${t.slice(comma + 2).replace(/[.!?]$/, '')}, ${t.slice(0, comma)}.` : t;
}
const ZH_FILL = ['了', '也', '都', '就', '还', '更', '已经', '正在', '据悉', '目前'];
function rewordZh(r: () => number, s: string): string {
  const chars = [...s];
  const out: string[] = [];
  chars.forEach((c, i) => {
    if (/[\p{Script=Han}]/u.test(c) && i % 5 === 2) out.push(pick(r, ZH_FILL), c);
    else if (/[的是在]/.test(c) && r() < 0.5) return;
    else out.push(c);
  });
  return out.join('');
}
function reworded(r: () => number, paras: string[], lang: Lang): string[] {
  let n = 0;
  return paras.map((p) =>
    joinSentences(
      sentences(p, lang).map((s) => (++n % 5 === 0 ? (lang === 'zh' ? rewordZh(r, s) : rewordEn(r, s)) : s)),
      lang,
    ),
  );
}

function reorder(r: () => number, paras: string[], lang: Lang): string[] {
  // Shuffle sentences within each paragraph and shuffle the paragraphs.
  return shuffle(r, paras.map((p) => joinSentences(shuffle(r, sentences(p, lang)), lang)));
}

function withCommentary(r: () => number, paras: string[], comments: string[], every = 3): string[] {
  const out: string[] = [pick(r, comments)];
  paras.forEach((p, i) => {
    out.push(p);
    if (i % every === every - 1 && i < paras.length - 1) out.push(pick(r, comments));
  });
  out.push(pick(r, comments));
  return out;
}

export function creditLine(o: OriginalInput, lang: Lang, names: Record<string, Record<string, string>>, r: () => number): string {
  const n = names[o.outlet] ?? { en: o.outlet };
  if (lang === 'zh') return pick(r, [`来源：${n['zh-Hans'] ?? n.en}`, `來源：${n['zh-Hant'] ?? n.en}`, `本文转载自${n['zh-Hans'] ?? n.en}`, `原文链接：${o.url}`]);
  return pick(r, [`Source: ${n.en}`, `This article was first published by ${n.en}.`, `Via ${n.en}: ${o.url}`, `(${n.en})`]);
}

/**
 * Copiers strip the agency tag or dateline that opens a state-media story
 * ("新华社澜州1月18日电（记者…）", "【大公報訊】記者…報道：", "BEIJING, March 3 (Xinhua) --");
 * a copy that keeps it names its source and is credited.
 */
export function stripSourceTag(p: string): string {
  return p
    .replace(/^【[^】]{1,16}】\s*(?:記者|记者)?[^：:，,。]{0,6}(?:報道|报道)?[：:]?/u, '')
    .replace(/^[^，,。：:\s]{2,16}?(?:电|電)(?:（[^）]{0,16}）)?/u, '')
    .replace(/^[^，,。：:]{2,12}?(?:讯|訊|消息)[：:\s]*/u, '')
    .replace(/^[^，,。：:]{2,12}?(?:报道|報道)\s*(?:记者|記者)[^：:]{0,6}[：:]/u, '')
    .replace(/^[A-Z][A-Za-z0-9 ,.]{0,40}\((?:[A-Za-z ]{2,20})\)\s*(?:--|—)\s*/u, '');
}

let statements: Set<string> | undefined;
function isSharedStatement(fx: Fixtures, p: string): boolean {
  if (!statements) {
    const count = new Map<string, number>();
    for (const o of [...fx.originals.en, ...fx.originals.zh]) for (const q of new Set(paragraphs(o.text))) count.set(q, (count.get(q) ?? 0) + 1);
    statements = new Set([...count].filter(([, n]) => n >= 3).map(([q]) => q));
  }
  return statements.has(p);
}

/** Makes one copy of an original. */
export function makeCopy(
  r: () => number,
  fx: Fixtures,
  o: OriginalInput,
  lang: Lang,
  ob: Obfuscation,
  share: number,
): GeneratedPage {
  // A quoted statement that several originals carry is common text, not this
  // original's: it is left out of the share a partial copy reuses.
  const all = paragraphs(o.text).filter((p) => share >= 0.999 || !isSharedStatement(fx, p));
  all[0] = stripSourceTag(all[0]!);
  let paras = takeShare(r, all, share);
  paras = obfuscate(r, fx, paras, lang, ob);
  // A short page that reuses a small share of the original gets the blogger's own text around it.
  if (share < 0.5) paras = [pick(r, fx.filler[lang]), ...paras, pick(r, fx.filler[lang])];
  return { lang, text: paras.join('\n\n'), expect: 'copy', originalId: o.id, kind: ob, share };
}

function obfuscate(r: () => number, fx: Fixtures, paras: string[], lang: Lang, ob: Obfuscation): string[] {
  const comments = fx.commentary[lang];
  switch (ob) {
    case 'combined': {
      const chosen = shuffle(r, STACKABLE.filter((x) => lang === 'zh' || x !== 'traditional')).slice(0, 3);
      for (const x of STACKABLE) if (chosen.includes(x)) paras = obfuscate(r, fx, paras, lang, x);
      break;
    }
    case 'verbatim':
      break;
    case 'commentary':
      paras = withCommentary(r, paras, comments, 1 + Math.floor(r() * 3));
      break;
    case 'reordered':
      paras = reorder(r, paras, lang);
      break;
    case 'traditional':
      paras = paras.map(toTraditional); // English text is unchanged by the converter except for stray Han
      break;
    case 'unicode-noise':
      paras = paras.map((p) => unicodeNoise(r, p));
      break;
    case 'homoglyphs':
      paras = paras.map((p) => homoglyphs(r, p));
      break;
    case 'mixed-language': {
      const other: Lang = lang === 'en' ? 'zh' : 'en';
      paras = withCommentary(r, paras, fx.commentary[other], 2);
      break;
    }
    case 'reworded-every-5th':
      paras = reworded(r, paras, lang);
      break;
  }
  return paras;
}

export function makeNegative(r: () => number, fx: Fixtures, lang: Lang, heldOut: OriginalInput[]): GeneratedPage {
  const x = r();
  const comments = fx.commentary[lang];
  if (x < 0.45) {
    const n = pick(r, fx.negatives[lang]);
    const kind = n.about === 'statement' ? 'statement-only' : 'same-event';
    let paras = paragraphs(n.text);
    if (r() < 0.5) paras = withCommentary(r, paras, comments, 2);
    if (r() < 0.3) paras = paras.map((p) => unicodeNoise(r, p));
    if (lang === 'zh' && r() < 0.3) paras = paras.map(toTraditional);
    return { lang, text: paras.join('\n\n'), expect: 'none', kind, share: 0 };
  }
  if (x < 0.75 && heldOut.length) {
    const o = pick(r, heldOut);
    const p = makeCopy(r, fx, o, lang, pick(r, OBFUSCATIONS), 0.5 + r() * 0.5);
    return { ...p, expect: 'none', originalId: undefined, kind: 'not-in-index' };
  }
  const paras = shuffle(r, fx.filler[lang]).slice(0, 3 + Math.floor(r() * 5));
  return { lang, text: withCommentary(r, paras, comments, 3).join('\n\n'), expect: 'none', kind: 'unrelated', share: 0 };
}
