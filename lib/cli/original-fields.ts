/**
 * The fields of an original that the index builder checks beyond their type:
 * `published` an ISO 8601 date, `lang` a BCP 47 tag ICU recognises, and the
 * bytes of an originals file UTF-8 text. Pure; shared by the JSONL, saved
 * page and RSS readers.
 */

const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/**
 * Why `published` is not an ISO 8601 date or date-time (2026-03-14,
 * 2026-03, 2026, 2026-03-14T08:00:00Z, 2026-03-14T08:00+08:00) of a real
 * calendar day; undefined when it is one, or empty.
 */
export function checkPublished(value: string): string | undefined {
  if (value === '') return undefined;
  const m = ISO_DATE.exec(value);
  const bad = `published ${JSON.stringify(value.slice(0, 60))} is not an ISO 8601 date (2026-03-14, or 2026-03-14T08:00:00Z; empty when unknown)`;
  if (!m) return bad;
  const [y, mo = '01', d = '01', h = '00', mi = '00', se = '00'] = m.slice(1);
  const t = new Date(Date.UTC(+y!, +mo - 1, +d, +h, +mi, +se));
  if (t.getUTCMonth() !== +mo - 1 || t.getUTCDate() !== +d || +h > 23 || +mi > 59 || +se > 59) return bad;
  return undefined;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * `lang` as a canonical BCP 47 tag (zh-cn → zh-CN, ZH-hant → zh-Hant), or
 * the reason it is none: the tag must be well-formed (Intl.getCanonicalLocales)
 * and its language a 2- or 3-letter ISO 639 code that ICU can name (en, zh,
 * ru, fa, …: "klingon" is refused, "tlh" is Klingon). Empty is allowed (unknown).
 */
export function canonicalLang(value: string): { tag: string; error?: undefined } | { tag?: undefined; error: string } {
  if (value === '') return { tag: '' };
  const bad = `lang ${JSON.stringify(value.slice(0, 40))} is not a language tag (en, zh, zh-Hans, zh-Hant, zh-CN, zh-TW, ru, fa, …; empty when unknown)`;
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(value)[0]!;
  } catch {
    return { error: bad };
  }
  const language = tag.split('-')[0]!;
  if (!/^[a-z]{2,3}$/.test(language)) return { error: bad };
  let name: string | undefined;
  try {
    name = LANGUAGE_NAMES.of(language);
  } catch {
    name = undefined;
  }
  return name ? { tag } : { error: bad };
}

/** Why a file's bytes are not UTF-8 text (a JSONL file or an address list must be), if they are not. */
export function notUtf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return 'a binary file, not UTF-8 text (it holds NUL bytes)';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'not UTF-8 text (JSONL files and address lists must be UTF-8)';
  }
  return undefined;
}

/** A page's own date (meta tags say it many ways) as an ISO date, or empty. */
export function isoPublished(value: string | undefined): string {
  if (!value) return '';
  if (!checkPublished(value.trim())) return value.trim();
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}
