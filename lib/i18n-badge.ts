/**
 * The UI strings of the on-page badge and the posts' marks, for the content
 * script: the same _locales catalogs as lib/i18n.ts, but only the messages
 * the content script's own sources name. The build (wxt.config.ts,
 * lib/build/badge-messages.ts) keeps a catalog's key only when one of those
 * sources holds it as a string literal, so the content script does not carry
 * every page's strings in three languages. Keys are therefore written out in
 * full in those sources (`t(lang, 'badgeUncredited')`), never assembled.
 * Outside the build (unit tests) the `?badge` import is the whole catalog.
 */
import en from '../public/_locales/en/messages.json?badge';
import zhCN from '../public/_locales/zh_CN/messages.json?badge';
import zhTW from '../public/_locales/zh_TW/messages.json?badge';
import type { MessageKey } from './i18n';
import { translate, type Catalog, type Lang } from './i18n-core';

export { outletName, type Lang } from './i18n-core';

const CATALOGS: Record<Lang, Catalog> = { en, 'zh-Hans': zhCN, 'zh-Hant': zhTW };

export function t(lang: Lang, key: MessageKey, ...subs: Array<string | number>): string {
  return translate(CATALOGS, lang, key, subs);
}
