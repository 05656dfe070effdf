/**
 * The background's index: opened once per service-worker life; on first run
 * (or if the database is empty or unreadable) the bundled starter index is
 * imported so that the extension works offline at once. Once per worker life
 * the bundled index in the store is compared with the package's (an update
 * may correct it) and imported again when it differs, feeds kept.
 */
import { browser } from '#imports';
import { decodeIndex, INDEX_FILES, type EncodedIndex } from '../index/index-codec';
import type { MemoryIndex } from '../index/memory-index';
import type { IndexStatus } from '../messages';
import { registryFor } from '../registry-bundled';
import { ensureBundled } from '../store/bundled-index';
import { IndexDb, openOrRebuild, type ActiveIndex, type DexieIndexReader } from '../store/index-db';

/** Where the bundled starter index lies inside the extension. */
export const BUNDLED_DIR = '/starter/index';

let db: IndexDb | undefined;
let opening: Promise<DexieIndexReader> | undefined;
let lastError: string | undefined;

export function indexDb(): IndexDb {
  db ??= new IndexDb();
  return db;
}

/** Fetches the files of an index folder as they are; `urlOf` gives each file's address. */
export async function fetchIndexFiles(urlOf: (file: string) => string): Promise<EncodedIndex> {
  const get = async (file: string) => {
    const res = await fetch(urlOf(file));
    if (!res.ok) throw new Error(`index file ${file}: HTTP ${res.status}`);
    return res;
  };
  const header = await get(INDEX_FILES.header).then((r) => r.text());
  // The rewrite tier's postings exist when the header names the tier (decodeIndex checks the header);
  // the translation tier's likewise (an index whose header names it but that lacks the file loads without it).
  const withRewrite = /"rewrite"\s*:/.test(header);
  const withTranslate = /"translate"\s*:/.test(header);
  const [originals, postings, texts, rewrite, translate] = await Promise.all([
    get(INDEX_FILES.originals).then((r) => r.text()),
    get(INDEX_FILES.postings).then((r) => r.arrayBuffer()),
    get(INDEX_FILES.texts).then((r) => r.text()),
    withRewrite ? get(INDEX_FILES.rewrite).then((r) => r.arrayBuffer()) : undefined,
    withTranslate ? get(INDEX_FILES.translate).then((r) => r.arrayBuffer()).catch(() => undefined) : undefined,
  ]);
  return {
    header,
    originals,
    postings: new Uint8Array(postings),
    texts,
    rewrite: rewrite && new Uint8Array(rewrite),
    ...(translate ? { translate: new Uint8Array(translate) } : {}),
  };
}

/** Fetches and decodes an index folder. */
export async function fetchIndex(urlOf: (file: string) => string): Promise<MemoryIndex> {
  return decodeIndex(await fetchIndexFiles(urlOf));
}

/** The bundled index's files as the package holds them. */
const bundledFiles = () => fetchIndexFiles((file) => browser.runtime.getURL(`${BUNDLED_DIR}/${file}` as never));

let packaged: Promise<EncodedIndex> | undefined;
/** The package's bundled index files, read once per worker life (the start-up check and the warm-up share them; about 140 KB). */
function packagedFiles(): Promise<EncodedIndex> {
  packaged ??= bundledFiles().catch((e: unknown) => {
    packaged = undefined;
    throw e;
  });
  return packaged;
}

/** The package's bundled index in memory (the worker's warm-up scans against it, without a read of the store). */
export async function packagedIndex(): Promise<MemoryIndex> {
  return decodeIndex(await packagedFiles());
}

export async function importBundled(into = indexDb()): Promise<void> {
  await ensureBundled(into, await packagedFiles());
}

let onRebuilt: (() => void) | undefined;
/**
 * Called when the store held no feed data any more: the database was
 * unreadable and rebuilt, or found empty (a schema upgrade clears it). The
 * subscribed feeds then sync at once, not at the next alarm.
 */
export function whenRebuilt(callback: () => void): void {
  onRebuilt = callback;
}

const changeListeners: Array<() => void> = [];
/** Called after the active index changed outside a feed sync (the bundled index imported again). */
export function whenIndexChanged(callback: () => void): void {
  changeListeners.push(callback);
}

let bundledChecked = false;
/** Once per worker life, after the index opened: the package's bundled index replaces a different one in the store. */
function checkBundled(): void {
  if (bundledChecked) return;
  bundledChecked = true;
  void packagedFiles()
    .then((files) => ensureBundled(indexDb(), files))
    .then((outcome) => {
      if (outcome !== 'imported') return;
      invalidateIndex();
      for (const f of changeListeners) f();
    })
    .catch((e: unknown) => {
      lastError = `the bundled index could not be updated: ${(e as Error).message}`;
    });
}

/** The reader of the active index, importing the bundled one when there is none. */
export function openIndex(): Promise<DexieIndexReader> {
  opening ??= (async () => {
    try {
      const opened = await openOrRebuild(indexDb(), (into) => importBundled(into));
      db = opened.db;
      if (opened.rebuilt || opened.imported) onRebuilt?.();
      lastError = undefined;
      if (!opened.imported) checkBundled();
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
  state = undefined;
}

let state: Promise<ActiveIndex> | undefined;
/**
 * The active index's state, read once until the index changes: what the
 * popup's search needs, without waiting for the reader's membership filters.
 * With no index yet, the index is opened (the bundled one imported) first.
 */
export function activeState(): Promise<ActiveIndex> {
  state ??= (async () => {
    // An unreadable store is left to openIndex, which rebuilds it.
    const active = (await indexDb().active().catch(() => undefined)) ?? (await openIndex()).state;
    return active;
  })().catch((e: unknown) => {
    state = undefined;
    throw e;
  });
  return state;
}

export async function indexStatus(): Promise<IndexStatus> {
  try {
    // The state alone: the popup's status does not wait for the reader's membership filters.
    const active = await activeState();
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

/** At most this many outlet ids a request (the popup's recent detections hold far fewer). */
const MAX_OUTLET_IDS = 500;

/**
 * Outlets' names by language for these ids: the bundled registry with the installed feeds'
 * outlets (the popup's list of recent detections names each detection's outlet; ids unknown to
 * both are left out, and the popup shows the id). The bundled registry alone when the store
 * cannot be read.
 */
export async function outletNames(ids: unknown): Promise<Record<string, Record<string, string>>> {
  const registry = registryFor(await activeState().catch(() => undefined));
  const out: Record<string, Record<string, string>> = {};
  if (!Array.isArray(ids)) return out;
  for (const id of ids.slice(0, MAX_OUTLET_IDS)) {
    if (typeof id !== 'string' || Object.hasOwn(out, id)) continue;
    const names = registry.find(id)?.names;
    if (names) out[id] = { ...names };
  }
  return out;
}
