/**
 * The browser's on-device translator (Chrome's Translator API, Chrome 138+ on desktop; window
 * contexts only: an extension page, never the service worker or the content script) as an optional
 * second opinion on a translated copy's evidence: each matched page sentence is translated locally
 * into the original's language and compared with the original sentence the engine paired it with.
 * Nothing leaves the machine (the API runs its model on the device; Chrome downloads the model once,
 * on the reader's click). The engine never needs it; the verdict does not change with it.
 */

/** The part of the API this uses (https://developer.chrome.com/docs/ai/translator-api). */
export interface OnDeviceTranslator {
  translate(text: string): Promise<string>;
  destroy?(): void;
}
export interface TranslatorApi {
  availability(o: { sourceLanguage: string; targetLanguage: string }): Promise<'unavailable' | 'downloadable' | 'downloading' | 'available' | string>;
  create(o: { sourceLanguage: string; targetLanguage: string }): Promise<OnDeviceTranslator>;
}

/** The API if this context has it (feature detection; undefined in Firefox, older Chrome, workers). */
export function translatorApi(scope: object = globalThis): TranslatorApi | undefined {
  const api = (scope as { Translator?: Partial<TranslatorApi> }).Translator;
  return api && typeof api.create === 'function' && typeof api.availability === 'function' ? (api as TranslatorApi) : undefined;
}

/** The API's language code (BCP 47) for a language the engine names: "en", "zh", "zh-Hans", "zh-Hant". */
export function apiLanguage(lang: string): string {
  const l = lang.toLowerCase();
  if (l.startsWith('en')) return 'en';
  return l === 'zh-hant' || l === 'zh-tw' || l === 'zh-hk' ? 'zh-Hant' : 'zh';
}

const STOP = new Set(
  'a an and are as at be been but by for from had has have he her his in into is it its of on or our she that the their them they this to was were which who will with would'.split(' '),
);

/** A sentence's comparable units: English words (lower-cased, without the most common ones), Chinese character pairs, numbers as digits. */
export function sentenceUnits(text: string): Set<string> {
  const out = new Set<string>();
  const t = text.normalize('NFKC').toLowerCase();
  for (const n of t.match(/\d+(?:[.,]\d+)*/g) ?? []) out.add(`#${n.replace(/,/g, '')}`);
  for (const w of t.match(/[a-z]+(?:'[a-z]+)?/g) ?? []) {
    if (STOP.has(w) || w.length < 2) continue;
    // A crude stem: enough to meet "opened"/"opens"/"open" in two translations of one sentence.
    out.add(w.replace(/(?:ies|ied)$/, 'y').replace(/(?:ing|ed|es|s)$/, '') || w);
  }
  for (const run of t.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** Share of the original sentence's units that the browser's translation of the page sentence has (0–1). */
export function agreement(machineTranslation: string, originalSentence: string): number {
  const o = sentenceUnits(originalSentence);
  if (!o.size) return 0;
  const m = sentenceUnits(machineTranslation);
  let shared = 0;
  for (const u of o) if (m.has(u)) shared++;
  return shared / o.size;
}

/** A pair agrees when the browser's translation shares at least this share of the original sentence. */
export const AGREES = 0.4;

export interface PairCheck {
  /** The browser's translation of the page sentence. */
  translation: string;
  agreement: number;
}

/**
 * Translates each page sentence into the original's language and measures its agreement with the
 * original sentence. Throws (with the API's message) when the languages are not available.
 */
export async function checkPairs(
  api: TranslatorApi,
  pairs: ReadonlyArray<{ pageText: string; originalText?: string }>,
  pageLang: string,
  originalLang: string,
): Promise<PairCheck[]> {
  const o = { sourceLanguage: apiLanguage(pageLang), targetLanguage: apiLanguage(originalLang) };
  const available = await api.availability(o);
  if (available === 'unavailable') throw new Error(`no on-device translation from ${o.sourceLanguage} to ${o.targetLanguage}`);
  const translator = await api.create(o);
  try {
    const out: PairCheck[] = [];
    for (const p of pairs) {
      const translation = String(await translator.translate(p.pageText));
      out.push({ translation, agreement: p.originalText ? agreement(translation, p.originalText) : 0 });
    }
    return out;
  } finally {
    translator.destroy?.();
  }
}
