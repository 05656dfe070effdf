/**
 * The reader's sending settings (off until they configure an endpoint and a
 * token in options), in the extension's own IndexedDB (lib/reports/secret-store.ts),
 * out of content scripts' reach; never synced. A value left in `storage.local`
 * by an earlier version is moved there at the first read.
 */
import { storage } from '#imports';
import type { SendConfig } from './outbox';
import { migrateLegacy, readSending, SecretsDb, writeSending } from './secret-store';

/** Where earlier versions kept the settings (content scripts can read storage.local). */
const legacyItem = storage.defineItem<SendConfig | null>('local:reportSending', { fallback: null });

let db: SecretsDb | undefined;
let migrated: Promise<unknown> | undefined;
function secrets(): SecretsDb {
  db ??= new SecretsDb();
  return db;
}

/** Moves the old storage.local copy once per context (idempotent). */
export function migrateSendingSettings(): Promise<unknown> {
  migrated ??= migrateLegacy(secrets(), { get: () => legacyItem.getValue(), remove: () => legacyItem.removeValue() }).catch(() => {
    migrated = undefined;
  });
  return migrated;
}

export async function readSendingSettings(): Promise<SendConfig | null> {
  await migrateSendingSettings();
  return readSending(secrets());
}

export async function saveSendingSettings(config: SendConfig | null): Promise<void> {
  await migrateSendingSettings();
  await writeSending(secrets(), config);
}

export async function readSendConfig(): Promise<SendConfig | undefined> {
  const c = await readSendingSettings();
  return c && c.endpoint && c.token ? c : undefined;
}
