/**
 * The badge's words for a translated copy, in the UI languages. They are made in the background and
 * sent with the result (BadgeInfo.labels), not kept in the _locales catalogues, which the content
 * script bundles whole: the content script stays as small as it was.
 */
import type { BadgeInfo } from '../badge-info';
import { outletName, type Lang } from '../i18n';

type Words = {
  uncredited: string;
  partial: string;
  credited: string;
  reuse: string;
  /** A post's mark on a timeline and its line in the badge's list. */
  mark: { uncredited: string; partial: string; credited: string };
  langs: Record<string, string>;
};

const WORDS: Record<Lang, Words> = {
  en: {
    uncredited: 'Likely an uncredited translation of $1 ($2 → $3)',
    partial: 'Partly translates $1 without credit ($2 → $3)',
    credited: 'Credited translation of $1 ($2 → $3)',
    reuse: 'Translated from $2 into $3: each passage pairs a sentence of this page with the original sentence it translates; the words, numbers, dates and names that translate each other are marked.',
    mark: { uncredited: 'Uncredited translation of $1', partial: 'Partly translates $1', credited: 'Credited translation of $1' },
    langs: { en: 'English', zh: 'Chinese', 'zh-Hans': 'Chinese', 'zh-Hant': 'Chinese (Traditional)' },
  },
  'zh-Hans': {
    uncredited: '疑似未注明出处翻译自$1（$2 → $3）',
    partial: '部分内容疑似翻译自$1，未注明出处（$2 → $3）',
    credited: '已注明出处的译文：$1（$2 → $3）',
    reuse: '由$2译成$3：每段是本页的一句话和它所翻译的原文句子；互为译文的词语、数字、日期和名字已标出。',
    mark: { uncredited: '未注明出处翻译自$1', partial: '部分翻译自$1', credited: '注明出处的译文：$1' },
    langs: { en: '英文', zh: '中文', 'zh-Hans': '中文', 'zh-Hant': '繁体中文' },
  },
  'zh-Hant': {
    uncredited: '疑似未註明出處翻譯自$1（$2 → $3）',
    partial: '部分內容疑似翻譯自$1，未註明出處（$2 → $3）',
    credited: '已註明出處的譯文：$1（$2 → $3）',
    reuse: '由$2譯成$3：每段是本頁的一句話和它所翻譯的原文句子；互為譯文的詞語、數字、日期和名字已標出。',
    mark: { uncredited: '未註明出處翻譯自$1', partial: '部分翻譯自$1', credited: '註明出處的譯文：$1' },
    langs: { en: '英文', zh: '中文', 'zh-Hans': '簡體中文', 'zh-Hant': '繁體中文' },
  },
};

/** A language's name in the UI language (en, zh-Hans, zh-Hant; other tags as they are). */
export function languageName(tag: string, lang: Lang): string {
  return WORDS[lang].langs[tag] ?? WORDS.en.langs[tag] ?? tag;
}

/** The badge's title and reuse line for a translated copy (undefined for other reuse). */
export function translationLabels(info: BadgeInfo, lang: Lang): BadgeInfo['labels'] {
  const tr = info.translation;
  if (info.reuse !== 'translated' || !tr || info.verdict === 'none') return undefined;
  const w = WORDS[lang];
  const subs = [outletName(info.outlet?.names, lang, info.outlet?.id), languageName(tr.originalLang, lang), languageName(tr.pageLang, lang)];
  const fill = (s: string) => s.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return { title: fill(w[info.verdict]), reuse: fill(w.reuse), mark: fill(w.mark[info.verdict]) };
}
