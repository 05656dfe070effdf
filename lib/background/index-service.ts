/**
 * The background's index: opened once per service-worker life; on first run
 * (or if the database is empty or unreadable) the bundled starter index is
 * imported so that the extension works offline at once.
 */
import { browser } from '#imports';
import { decodeIndex } from '../index/index-codec';
import type { IndexStatus } from '../messages';
import { DexieIndexReader, IndexDb, importIndex, type ActiveIndex } from '../store/index-db';

export const BUNDLED_PATHS = {
  header: '/starter/index/index.json',
  originals: '/starter/index/originals.ndjson',
  postings: '/starter/index/postings.bin',
  texts: '/starter/index/texts.ndjson',
} as const;

let db: IndexDb | undefined;
let opening: Promise<DexieIndexReader> | undefined;
let lastError: string | undefined;

export function indexDb(): IndexDb {
  db ??= new IndexDb();
  return db;
}

async function fetchBundled(path: string): Promise<Response> {
  const res = await fetch(browser.runtime.getURL(path as never));
  if (!res.ok) throw new Error(`bundled index file ${path}: HTTP ${res.status}`);
  return res;
}

export async function importBundled(): Promise<ActiveIndex> {
  const [header, originals, postings, texts] = await Promise.all([
    fetchBundled(BUNDLED_PATHS.header).then((r) => r.text()),
    fetchBundled(BUNDLED_PATHS.originals).then((r) => r.text()),
    fetchBundled(BUNDLED_PATHS.postings).then((r) => r.arrayBuffer()),
    fetchBundled(BUNDLED_PATHS.texts).then((r) => r.text()),
  ]);
  const index = decodeIndex({ header, originals, postings: new Uint8Array(postings), texts });
  return importIndex(indexDb(), index, { source: 'bundled' });
}

/** The reader of the active index, importing the bundled one when there is none. */
export function openIndex(): Promise<DexieIndexReader> {
  opening ??= (async () => {
    try {
      let reader = await DexieIndexReader.open(indexDb());
      if (!reader) {
        await importBundled();
        reader = await DexieIndexReader.open(indexDb());
      }
      if (!reader) throw new Error('the index could not be opened');
      lastError = undefined;
      return reader;
    } catch (e) {
      lastError = (e as Error).message;
      opening = undefined; // try again next time
      throw e;
    }
  })();
  return opening;
}

/** Forgets the open reader (after an import switched generations). */
export function invalidateIndex(): void {
  opening = undefined;
}

export async function indexStatus(): Promise<IndexStatus> {
  try {
    await openIndex();
    const active = await indexDb().active();
    return {
      ready: !!active,
      originals: active?.header.originals ?? 0,
      outlets: active?.outlets ?? 0,
      version: active?.header.created ?? '',
      source: active?.source ?? '',
      updated: active?.installedAt,
    };
  } catch (e) {
    return { ready: false, originals: 0, outlets: 0, version: '', source: '', error: lastError ?? (e as Error).message };
  }
}
