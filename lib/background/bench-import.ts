/** Benchmark builds only: imports an index folder served on loopback into the extension's database. */
import { importIndex, type ActiveIndex } from '../store/index-db';
import { fetchIndex, indexDb, invalidateIndex } from './index-service';

export async function importFromBase(base: string): Promise<ActiveIndex> {
  const url = new URL(base);
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) throw new Error('bench import: loopback only');
  const index = await fetchIndex((file) => new URL(file, url).href);
  const active = await importIndex(indexDb(), index, { feed: 'bench', replaceAll: true, batch: 5000 });
  invalidateIndex();
  return active;
}
