/**
 * The translation tier's dictionary in the background worker: the compiled CC-CEDICT table that the
 * extension's package carries (public/translate/zh-en.txt), fetched from the package and parsed once
 * per worker life, when a page first needs it (never in the content script). While it loads, or if
 * it cannot be read, pages are judged without the tier.
 */
import { browser } from '#imports';
import { Dictionary } from '../translate/dictionary';

/** Where the dictionary lies inside the extension. */
export const DICTIONARY_PATH = '/translate/zh-en.txt';

let loaded: Dictionary | undefined;
let loading: Promise<Dictionary | undefined> | undefined;
let lastError: string | undefined;

/** The dictionary if it is loaded already (no waiting). */
export function loadedDictionary(): Dictionary | undefined {
  return loaded;
}

/** The dictionary, loading it on first call; undefined when it cannot be read (the reason in dictionaryError()). */
export function dictionary(): Promise<Dictionary | undefined> {
  loading ??= (async () => {
    try {
      const res = await fetch(browser.runtime.getURL(DICTIONARY_PATH as '/popup.html'));
      if (!res.ok) throw new Error(`translate/zh-en.txt: HTTP ${res.status}`);
      loaded = Dictionary.parse(await res.text(), 'translate/zh-en.txt');
      lastError = undefined;
      return loaded;
    } catch (e) {
      lastError = (e as Error).message;
      loading = undefined; // try again next time
      return undefined;
    }
  })();
  return loading;
}

/** Why the dictionary could not be read, if it could not. */
export function dictionaryError(): string | undefined {
  return lastError;
}
