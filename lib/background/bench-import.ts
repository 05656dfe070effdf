/** Benchmark builds only: imports an index folder served on loopback into the extension's database. */
import { decodeIndex } from '../index/index-codec';
import { importIndex, POSTINGS_DONE, type ActiveIndex } from '../store/index-db';
import { fetchIndexFiles, indexDb, invalidateIndex } from './index-service';

/** Seconds each part of the import took: fetching, decoding, postings rows, search table, originals, commit. */
export type ImportPhases = Record<'fetch' | 'decode' | 'postings' | 'search' | 'originals' | 'commit', number>;

export async function importFromBase(base: string): Promise<{ active: ActiveIndex; phases: ImportPhases }> {
  const url = new URL(base);
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) throw new Error('bench import: loopback only');
  const t0 = performance.now();
  const files = await fetchIndexFiles((file) => new URL(file, url).href);
  const t1 = performance.now();
  const index = decodeIndex(files);
  const t2 = performance.now();
  // Marks from the write's progress: postings rows written, then the search table, then the originals.
  let postingsAt = 0;
  let searchAt = 0;
  let originalsAt = 0;
  const active = await importIndex(indexDb(), index, {
    feed: 'bench',
    replaceAll: true,
    batch: 5000,
    onProgress: (done, total) => {
      const now = performance.now();
      if (done.bucket >= POSTINGS_DONE && !postingsAt) postingsAt = now;
      if (done.metas > 0 && !searchAt) searchAt = now; // the first originals' batch follows the search table
      if (done.metas >= total.originals) originalsAt = now;
    },
  });
  const t3 = performance.now();
  invalidateIndex();
  const s = (ms: number) => ms / 1000;
  return {
    active,
    phases: { fetch: s(t1 - t0), decode: s(t2 - t1), postings: s(postingsAt - t2), search: s(searchAt - postingsAt), originals: s(originalsAt - searchAt), commit: s(t3 - originalsAt) },
  };
}
