/**
 * The background's index: opened once per service-worker life; on first run
 * (or if the database is empty or unreadable) the bundled starter index is
 * imported so that the extension works offline at once.
 */
import { browser } from '#imports';
import { decodeIndex, INDEX_FILES } from '../index/index-codec';
import type { MemoryIndex } from '../index/memory-index';
import type { IndexStatus } from '../messages';
import { IndexDb, importIndex, openOrRebuild, type ActiveIndex, type DexieIndexReader } from '../store/index-db';

/** Where the bundled starter index lies inside the extension. */
export const BUNDLED_DIR = '/starter/index';

let db: IndexDb | undefined;
let opening: Promise<DexieIndexReader> | undefined;
let lastError: string | undefined;

export function indexDb(): IndexDb {
  db ??= new IndexDb();
  return db;
}

/** Fetches and decodes the files of an index folder; `urlOf` gives each file's address. */
export async function fetchIndex(urlOf: (file: string) => string): Promise<MemoryIndex> {
  const get = async (file: string) => {
    const res = await fetch(urlOf(file));
    if (!res.ok) throw new Error(`index file ${file}: HTTP ${res.status}`);
    return res;
  };
  const header = await get(INDEX_FILES.header).then((r) => r.text());
  // The rewrite tier's postings exist when the header names the tier (decodeIndex checks the header).
  const withRewrite = /"rewrite"\s*:/.test(header);
  const [originals, postings, texts, rewrite] = await Promise.all([
    get(INDEX_FILES.originals).then((r) => r.text()),
    get(INDEX_FILES.postings).then((r) => r.arrayBuffer()),
    get(INDEX_FILES.texts).then((r) => r.text()),
    withRewrite ? get(INDEX_FILES.rewrite).then((r) => r.arrayBuffer()) : undefined,
  ]);
  return decodeIndex({ header, originals, postings: new Uint8Array(postings), texts, rewrite: rewrite && new Uint8Array(rewrite) });
}

export async function importBundled(into = indexDb()): Promise<ActiveIndex> {
  const index = await fetchIndex((file) => browser.runtime.getURL(`${BUNDLED_DIR}/${file}` as never));
  return importIndex(into, index, { feed: 'bundled' });
}

let onRebuilt: (() => void) | undefined;
/** Called when the database was unreadable and had to be rebuilt from the bundled index (feeds then resync). */
export function whenRebuilt(callback: () => void): void {
  onRebuilt = callback;
}

/** The reader of the active index, importing the bundled one when there is none. */
export function openIndex(): Promise<DexieIndexReader> {
  opening ??= (async () => {
    try {
      const opened = await openOrRebuild(indexDb(), (into) => importBundled(into));
      db = opened.db;
      if (opened.rebuilt) onRebuilt?.();
      lastError = undefined;
      return opened.reader;
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
    const sources = Object.values(active?.sources ?? {});
    return {
      ready: !!active,
      originals: active?.originals ?? 0,
      outlets: active?.outlets ?? 0,
      // With feeds, the popup lists each one (components/FeedsPanel); the line names only the bundled index.
      version: sources.length === 1 && sources[0]!.id === 'bundled' ? sources[0]!.created.slice(0, 10) : '',
      source: sources.map((s) => s.id).join(', '),
      updated: active?.installedAt,
    };
  } catch (e) {
    return { ready: false, originals: 0, outlets: 0, version: '', source: '', error: lastError ?? (e as Error).message };
  }
}
