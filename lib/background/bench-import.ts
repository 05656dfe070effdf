/** Benchmark builds only: imports an index folder served on loopback into the extension's database. */
import { decodeIndex } from '../index/index-codec';
import { importIndex, type ActiveIndex } from '../store/index-db';
import { indexDb, invalidateIndex } from './index-service';

export async function importFromBase(base: string): Promise<ActiveIndex> {
  const url = new URL(base);
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) throw new Error('bench import: loopback only');
  const get = async (name: string) => {
    const res = await fetch(new URL(name, url));
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
    return res;
  };
  const [header, originals, postings, texts] = await Promise.all([
    get('index.json').then((r) => r.text()),
    get('originals.ndjson').then((r) => r.text()),
    get('postings.bin').then((r) => r.arrayBuffer()),
    get('texts.ndjson').then((r) => r.text()),
  ]);
  const index = decodeIndex({ header, originals, postings: new Uint8Array(postings), texts });
  const active = await importIndex(indexDb(), index, { source: `bench ${index.header.originals}`, batch: 5000 });
  invalidateIndex();
  return active;
}
