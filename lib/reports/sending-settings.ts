/**
 * The reader's sending settings (off until they configure an endpoint and a
 * token in options). Kept in extension storage, never synced.
 */
import { storage } from '#imports';
import type { SendConfig } from './outbox';

export const sendingItem = storage.defineItem<SendConfig | null>('local:reportSending', { fallback: null, version: 1 });

export async function readSendConfig(): Promise<SendConfig | undefined> {
  const c = await sendingItem.getValue();
  return c && c.endpoint && c.token ? c : undefined;
}
