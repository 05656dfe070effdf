/**
 * UI strings in English, Simplified and Traditional Chinese, from the same
 * _locales files the browser uses for the manifest, so that the reader's
 * language choice in options applies everywhere.
 */
import en from '../public/_locales/en/messages.json';
import zhCN from '../public/_locales/zh_CN/messages.json';
import zhTW from '../public/_locales/zh_TW/messages.json';
import { translate, type Catalog, type Lang } from './i18n-core';
import type { UiLanguage } from './settings';

export { outletName, type Lang } from './i18n-core';
export type MessageKey = keyof typeof en;

const CATALOGS: Record<Lang, Catalog> = { en, 'zh-Hans': zhCN, 'zh-Hant': zhTW };

/** The UI language for a setting; "auto" follows the browser's language. */
export function resolveLang(setting: UiLanguage, browserLang = globalThis.navigator?.language ?? 'en'): Lang {
  if (setting !== 'auto') return setting;
  const l = browserLang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(l)) return 'zh-Hant';
  if (l.startsWith('zh')) return 'zh-Hans';
  return 'en';
}

export function t(lang: Lang, key: MessageKey, ...subs: Array<string | number>): string {
  return translate(CATALOGS, lang, key, subs);
}

export function catalogKeys(lang: Lang): string[] {
  return Object.keys(CATALOGS[lang]);
}
