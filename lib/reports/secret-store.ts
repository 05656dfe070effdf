/**
 * The report-sending settings (collection server address and token), kept
 * in the extension's own IndexedDB: extension pages and the background
 * reach it, content scripts cannot (an IndexedDB opened from a content script
 * is the web page's). Until issue 11 they lived in `storage.local`, which
 * content scripts can read; `migrateLegacy` moves such a value here once and
 * removes the old copy.
 */
import Dexie, { type Table } from 'dexie';
import type { SendConfig } from './outbox';

const KEY = 'reportSending';

export class SecretsDb extends Dexie {
  kv!: Table<{ key: string; value: unknown }, string>;
  constructor(name = 'provenance-secrets') {
    super(name);
    this.version(1).stores({ kv: 'key' });
  }
}

export interface LegacySource {
  get(): Promise<SendConfig | null | undefined>;
  remove(): Promise<void>;
}

function valid(c: unknown): c is SendConfig {
  return !!c && typeof (c as SendConfig).endpoint === 'string' && typeof (c as SendConfig).token === 'string';
}

export async function readSending(db: SecretsDb): Promise<SendConfig | null> {
  const row = await db.kv.get(KEY);
  return valid(row?.value) ? row.value : null;
}

export async function writeSending(db: SecretsDb, config: SendConfig | null): Promise<void> {
  if (config) await db.kv.put({ key: KEY, value: { endpoint: config.endpoint, token: config.token } });
  else await db.kv.delete(KEY);
}

/**
 * Moves a value left in the old place into the database (unless the database
 * already holds one, which is then the newer), then removes the old copy.
 * Returns whether there was anything to move.
 */
export async function migrateLegacy(db: SecretsDb, legacy: LegacySource): Promise<boolean> {
  const old = await legacy.get();
  if (old === undefined || old === null) return false;
  if (valid(old) && !(await readSending(db))) await writeSending(db, old);
  await legacy.remove();
  return true;
}
