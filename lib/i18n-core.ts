/** What the full UI catalogs (lib/i18n.ts) and the badge's trimmed ones (lib/i18n-badge.ts) share: no catalog of its own. */
export type Lang = 'en' | 'zh-Hans' | 'zh-Hant';
export type Catalog = Record<string, { message: string }>;

/** A message in the language, else in English, else its key; $1, $2… replaced by `subs`. */
export function translate(catalogs: Record<Lang, Catalog>, lang: Lang, key: string, subs: Array<string | number>): string {
  const msg = catalogs[lang][key]?.message ?? catalogs.en[key]?.message ?? key;
  return msg.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
}

/** An outlet's name in the UI language (falls back to English, then the id). */
export function outletName(names: Record<string, string> | undefined, lang: Lang, id = ''): string {
  return names?.[lang] ?? names?.en ?? id;
}
